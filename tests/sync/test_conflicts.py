"""Conflicts: different fields merge; the same field keeps the later arrival and the overwritten value in a
conflict record; protected fields go to the inbox; insert-only never conflicts; P0 values are sealed; the
owner resolves (API), others may not."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from icmc.cases.models import Case, CaseParty
from icmc.demo.world import World
from icmc.pathway.models import RescueOperation
from icmc.referrals.models import Referral
from icmc.sync.conflicts import args_of
from icmc.sync.models import ConflictRecord, RecordState
from tests.api.conftest import api_as  # noqa: F401  (fixture)
from tests.factories import person_data, report_case
from tests.pathway.helpers import DAY
from tests.sync.conftest import Pusher, register
from tests.web.conftest import client_as  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world: World) -> Case:
    return report_case(world, survivors=[person_data(estimated_age=24)],
                       source_ahtu=str(world.organisations["ahtu_ekh"].pk))


@pytest.fixture
def push(world: World) -> Pusher:
    node, key = register(world, "cm.meghalaya", "ahtu.ekh", "shelter.shillong")
    return Pusher(world, node, key)


def survivor(case: Case) -> str:
    return str(CaseParty.objects.get(case=case, role="survivor").id)


def rescue(api: Any, world: World, case: Case) -> dict[str, Any]:
    response = api.post(f"/cases/{case.id}/pathway/rescue_operation", {
        "rescued_on": DAY, "jurisdiction": "IN-ML-EAST-KHASI-HILLS", "lead_ahtu": str(world.organisations[
            "ahtu_ekh"].id), "survivors": [survivor(case)], "place_detail": "Behind the old market",
        "post_rescue_needs": "Medical check"})
    assert response.status_code == 201, response.json()
    return dict(response.json())


def correct_upstream(api: Any, case: Case, record: dict[str, Any], **changes: Any) -> None:
    body = {k: record[k] for k in ("rescued_on", "lead_ahtu", "post_rescue_needs", "place_detail")
            if k in record} | {"jurisdiction": "IN-ML-EAST-KHASI-HILLS", "survivors": [], **changes}
    body["lead_ahtu"] = body["lead_ahtu"]["id"] if isinstance(body["lead_ahtu"], dict) else body["lead_ahtu"]
    response = api.send("put", f"/cases/{case.id}/pathway/rescue_operation/{record['id']}", body)
    assert response.status_code == 200, response.json()


def base(record: dict[str, Any], version: int = 1) -> dict[str, int]:
    return {f"pathway.rescueoperation:{record['id']}": version}


def test_different_fields_merge(world: World, case: Case, push: Pusher, api_as) -> None:  # noqa: F811
    ahtu = api_as("ahtu.ekh")
    record = rescue(ahtu, world, case)
    correct_upstream(ahtu, case, record, post_rescue_needs="Medical check and counselling")
    result = push("ahtu.ekh", "correct_record", base=base(record), case=str(case.id), kind="rescue_operation",
                  record=record["id"], data={"jurisdiction": "IN-ML-WEST-JAINTIA-HILLS"})
    assert result["status"] == "applied" and "conflicts" not in result, result
    row = RescueOperation.objects.get(pk=record["id"])
    assert row.post_rescue_needs == "Medical check and counselling"  # upstream's edit kept
    assert row.jurisdiction.code == "IN-ML-WEST-JAINTIA-HILLS"  # the node's edit applied
    assert not ConflictRecord.objects.exists()


def test_same_field_keeps_the_later_arrival_and_the_other_value(world: World, case: Case, push: Pusher,
                                                                 api_as) -> None:  # noqa: F811
    ahtu = api_as("ahtu.ekh")
    record = rescue(ahtu, world, case)
    correct_upstream(ahtu, case, record, post_rescue_needs="Upstream needs")
    result = push("ahtu.ekh", "correct_record", base=base(record), case=str(case.id), kind="rescue_operation",
                  record=record["id"], data={"post_rescue_needs": "Node needs"})
    assert result["status"] == "applied" and len(result["conflicts"]) == 1, result
    assert RescueOperation.objects.get(pk=record["id"]).post_rescue_needs == "Node needs"
    conflict = ConflictRecord.objects.get()
    assert (conflict.kind, conflict.fields, conflict.status) == ("overwritten", ["post_rescue_needs"], "open")
    assert args_of(conflict)["data"] == {"post_rescue_needs": "Upstream needs"}
    # The owner (the case's centre) sees it and puts the overwritten value back.
    cm = api_as("cm.meghalaya")
    listed = cm.get(f"/cases/{case.id}/conflicts").json()
    assert [c["id"] for c in listed] == [str(conflict.id)]
    assert listed[0]["value"] == {"post_rescue_needs": "Upstream needs"}
    assert cm.post(f"/sync/conflicts/{conflict.id}/resolve", {"choice": "apply"}).status_code == 200
    assert RescueOperation.objects.get(pk=record["id"]).post_rescue_needs == "Upstream needs"
    assert cm.post(f"/sync/conflicts/{conflict.id}/resolve", {"choice": "keep"}).status_code == 422
    assert cm.get(f"/cases/{case.id}/conflicts").json() == []


def test_p0_values_in_a_conflict_are_sealed(world: World, case: Case, push: Pusher, api_as) -> None:  # noqa: F811
    ahtu = api_as("ahtu.ekh")
    record = rescue(ahtu, world, case)
    correct_upstream(ahtu, case, record, place_detail="Upstream hideout")
    result = push("ahtu.ekh", "correct_record", base=base(record), case=str(case.id), kind="rescue_operation",
                  record=record["id"], data={"place_detail": "Node hideout"})
    assert result["status"] == "applied", result
    conflict = ConflictRecord.objects.get()
    assert conflict.args is None and conflict.args_sealed.startswith("v1:")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM sync_conflictrecord")
        assert "Upstream hideout" not in repr(cursor.fetchall())
    assert args_of(conflict)["data"] == {"place_detail": "Upstream hideout"}


def test_protected_field_goes_to_the_inbox(world: World, case: Case, push: Pusher, api_as) -> None:  # noqa: F811
    cm, shelter = api_as("cm.meghalaya"), api_as("shelter.shillong")
    party = survivor(case)
    assert cm.post(f"/cases/{case.id}/consents", {
        "survivor": party, "basis": "survivor", "response": "consented", "purposes": ["shelter"],
        "prompts_explained": ["purpose", "uses", "access_right", "retention", "withdrawal"],
        "given_on": "2025-01-10"}).status_code == 201
    referral = cm.post(f"/cases/{case.id}/referrals", {"to_organisation": str(world.organisations[
        "shelter_shillong"].id), "purpose": "shelter", "survivor": party, "message": "x"}).json()
    sent = cm.post(f"/referrals/{referral['id']}/send", {"message": ""}).json()
    # Upstream, the shelter accepts; offline, the same shelter (another worker's kit) declines.
    assert shelter.post(f"/referrals/{referral['id']}/accept", {"message": ""}).status_code == 200
    result = push("shelter.shillong", "decline_referral", base={f"referrals.referral:{referral['id']}":
                                                                sent["version"]},
                  referral=referral["id"], message="Full tonight.")
    assert result["status"] == "conflict" and result["fields"] == ["state"], result
    assert Referral.objects.get(pk=referral["id"]).state == "accepted"  # not applied
    conflict = ConflictRecord.objects.get()
    assert (conflict.kind, conflict.action) == ("held", "decline_referral")
    # Only the case's owner resolves: the shelter may not, nor may another state's centre.
    assert shelter.post(f"/sync/conflicts/{conflict.id}/resolve", {"choice": "keep"}).status_code in (403, 404)
    assert api_as("cm.assam").post(f"/sync/conflicts/{conflict.id}/resolve", {"choice": "keep"}).status_code == 404
    assert api_as("cm.assam").get(f"/cases/{case.id}/conflicts").status_code == 404
    # Applying it now is refused by the workflow (accepted cannot be declined): 422/409 with the reason.
    assert cm.post(f"/sync/conflicts/{conflict.id}/resolve", {"choice": "apply"}).status_code in (403, 409, 422)
    assert cm.post(f"/sync/conflicts/{conflict.id}/resolve", {"choice": "keep"}).status_code == 200
    assert ConflictRecord.objects.get().status == "kept"


def test_same_value_on_both_sides_is_no_conflict(world: World, case: Case, push: Pusher,
                                                 api_as) -> None:  # noqa: F811
    ahtu = api_as("ahtu.ekh")
    record = rescue(ahtu, world, case)
    correct_upstream(ahtu, case, record, post_rescue_needs="Same")
    result = push("ahtu.ekh", "correct_record", base=base(record), case=str(case.id), kind="rescue_operation",
                  record=record["id"], data={"post_rescue_needs": "Same"})
    assert result["status"] == "applied" and "conflicts" not in result


def test_insert_only_records_never_conflict(world: World, case: Case, push: Pusher) -> None:
    result = push("cm.meghalaya", "add_note", base={f"cases.case:{case.id}": 0}, case=str(case.id), body="A note.")
    assert result["status"] == "applied" and "conflicts" not in result


def test_missing_base_version_never_loses_the_upstream_value(world: World, case: Case, push: Pusher,
                                                             api_as) -> None:  # noqa: F811
    ahtu = api_as("ahtu.ekh")
    record = rescue(ahtu, world, case)
    correct_upstream(ahtu, case, record, post_rescue_needs="Upstream needs")
    result = push("ahtu.ekh", "correct_record", case=str(case.id), kind="rescue_operation", record=record["id"],
                  data={"post_rescue_needs": "Node needs"})
    assert result["status"] == "applied" and len(result["conflicts"]) == 1


def test_field_versions_are_kept_for_every_write(world: World, case: Case, api_as) -> None:  # noqa: F811
    ahtu = api_as("ahtu.ekh")
    record = rescue(ahtu, world, case)
    correct_upstream(ahtu, case, record, post_rescue_needs="Changed")
    state = RecordState.objects.get(object_id=record["id"])
    assert state.fields["post_rescue_needs"][0] == 2 and state.fields["rescued_on"][0] == 1


def test_inbox_page_for_the_owner(world: World, case: Case, push: Pusher, api_as, client_as) -> None:  # noqa: F811
    ahtu = api_as("ahtu.ekh")
    record = rescue(ahtu, world, case)
    correct_upstream(ahtu, case, record, post_rescue_needs="Upstream needs")
    push("ahtu.ekh", "correct_record", base=base(record), case=str(case.id), kind="rescue_operation",
         record=record["id"], data={"post_rescue_needs": "Node needs"})
    conflict = ConflictRecord.objects.get()
    cm = client_as("cm.meghalaya")
    page = cm.get(f"/cases/{case.id}/").content.decode()
    assert f"/cases/{case.id}/conflicts/" in page and "1 conflicting edit to resolve" in page
    inbox = cm.get(f"/cases/{case.id}/conflicts/").content.decode()
    assert "Upstream needs" in inbox and "Apply this value" in inbox
    assert client_as("shelter.shillong").get(f"/cases/{case.id}/conflicts/").status_code in (403, 404)
    assert f"/cases/{case.id}/conflicts/" not in client_as("nodal.meghalaya").get(f"/cases/{case.id}/").content.decode()
    response = cm.post(f"/cases/{case.id}/conflicts/{conflict.id}/resolve/", {"choice": "keep"})
    assert response.status_code == 302
    assert ConflictRecord.objects.get().status == "kept"
    assert RescueOperation.objects.get(pk=record["id"]).post_rescue_needs == "Node needs"
    assert "No open conflicts" in cm.get(f"/cases/{case.id}/conflicts/").content.decode()


def test_closing_a_case_closed_meanwhile_is_refused_not_held(world: World, case: Case, push: Pusher,
                                                             api_as) -> None:  # noqa: F811
    """The status a close or reopen sets is compared with the case's status as the model stores it
    (CaseStatus): the same move made upstream meanwhile is no conflict, the workflow refuses it, and the
    mutation is kept as rejected with the reason (not a spurious conflict in the inbox)."""
    cm = api_as("cm.meghalaya")
    seen = Case.objects.get(pk=case.pk).version  # what the node last pulled
    closed = cm.post(f"/cases/{case.id}/close", {"outcome": "no_prosecution_possible", "reason": "Absconded."})
    assert closed.status_code == 200, closed.json()
    result = push("cm.meghalaya", "close_case", base={f"cases.case:{case.id}": seen}, case=str(case.id),
                  outcome="no_prosecution_possible", reason="Absconded.")
    assert (result["status"], result["reason"]) == ("rejected", "refused_by_workflow"), result
    closed_version = Case.objects.get(pk=case.pk).version
    assert cm.post(f"/cases/{case.id}/reopen", {"reason": "Found."}).status_code == 200
    result = push("cm.meghalaya", "reopen_case", base={f"cases.case:{case.id}": closed_version},
                  case=str(case.id), reason="Found.")
    assert (result["status"], result["reason"]) == ("rejected", "refused_by_workflow"), result
    assert not ConflictRecord.objects.exists()
    assert Case.objects.get(pk=case.pk).status == "Active"
