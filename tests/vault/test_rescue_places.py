"""A rescue operation's place detail (whereabouts, P0) is sealed under the case's key exactly like the case's
place details (tests/vault/test_places.py): ciphertext in the database, plain through the one reader and only
for a reader cleared for P0 (page, API, sync projection), tamper fails loudly, erasing the last survivor shreds
it, rotation rewraps it, and the migration seals rows written before it (and opens them again when reversed)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from icmc.access.policy import POLICY, Perm
from icmc.access.redaction import Clearance
from icmc.access.sensitivity import P0, P1, P2
from icmc.accounts.reference import Role
from icmc.cases.models import Case, CaseParty
from icmc.demo.world import World
from icmc.pathway.models import RescueOperation
from icmc.sync.projection import project_cases
from icmc.vault.actions import rotate_master_key
from icmc.vault.keyfile import new_key_line
from icmc.vault.keys import TamperedError
from icmc.vault.models import CaseKey
from tests.api.conftest import Api
from tests.factories import person_data, report_case
from tests.privacy.helpers import erase

PLACE = "Room 4, Hotel Greenview behind the Iewduh market"
DAY = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()


@pytest.fixture
def case(world: World) -> Case:
    return report_case(world, survivors=[person_data("Iaishah Nongrum"), person_data("Badaplin Lyngdoh")],
                       source_ahtu=str(world.organisations["ahtu_ekh"].id))


def rescue(api: Api, case: Case, *, place: str = PLACE) -> dict:
    survivors = [str(p.id) for p in CaseParty.objects.filter(case=case, role="survivor")]
    response = api.post(f"/cases/{case.id}/pathway/rescue_operation", {
        "rescued_on": DAY, "jurisdiction": "IN-ML-EAST-KHASI-HILLS", "place_detail": place,
        "lead_ahtu": str(case.source_ahtu_id), "survivors": survivors})
    assert response.status_code == 201, response.json()
    return response.json()


def raw(op_id: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT place_detail_sealed FROM pathway_rescueoperation WHERE id = %s",
                       [op_id.replace("-", "") if connection.vendor == "sqlite" else op_id])
        return str(cursor.fetchone()[0])


def test_sealed_in_the_database_plain_for_readers_cleared_for_identity(
        case: Case, api_as: Callable[[str], Api], client_as: Callable[[str], Client]) -> None:
    made = rescue(api_as("ahtu.ekh"), case)
    assert made["place_detail"] == PLACE
    assert "place_detail_sealed" not in made
    token = raw(made["id"])
    assert token.startswith("v1:") and "Greenview" not in token
    assert RescueOperation.objects.get(pk=made["id"]).place_detail == PLACE
    served = api_as("cm.meghalaya").get(f"/cases/{case.id}/pathway").json()["rescue_operations"]
    assert [r["place_detail"] for r in served] == [PLACE]
    page = client_as("cm.meghalaya").get(reverse("web:case_detail", kwargs={"case_id": case.id}))
    assert PLACE in page.content.decode()
    correction = client_as("ahtu.ekh").get(reverse("web:pathway_edit", kwargs={
        "case_id": case.id, "kind": "rescue_operation", "record_id": made["id"]}))
    assert PLACE in correction.content.decode()
    # A correction that leaves the detail alone keeps the token; one that changes it seals the new value.
    api = api_as("ahtu.ekh")
    body = {"rescued_on": DAY, "jurisdiction": "IN-ML-EAST-KHASI-HILLS", "place_detail": PLACE,
            "lead_ahtu": str(case.source_ahtu_id), "post_rescue_needs": "Counselling"}
    assert api.put(f"/cases/{case.id}/pathway/rescue_operation/{made['id']}", body).status_code == 200
    assert raw(made["id"]) == token
    body["place_detail"] = "A house near the bus stand"
    assert api.put(f"/cases/{case.id}/pathway/rescue_operation/{made['id']}", body).status_code == 200
    assert raw(made["id"]) not in (token, "") and "bus stand" not in raw(made["id"])
    assert RescueOperation.objects.get(pk=made["id"]).place_detail == "A house near the bus stand"


def test_withheld_from_a_reader_without_identity_by_page_api_and_sync(
        case: Case, api_as: Callable[[str], Api], client_as: Callable[[str], Client],
        monkeypatch: pytest.MonkeyPatch) -> None:
    made = rescue(api_as("ahtu.ekh"), case)
    nodal = dict(POLICY[Role.STATE_NODAL_OFFICER])
    del nodal[Perm.PERSON_VIEW_IDENTITY]
    monkeypatch.setitem(POLICY, Role.STATE_NODAL_OFFICER, nodal)
    served = api_as("nodal.meghalaya").get(f"/cases/{case.id}/pathway").json()["rescue_operations"]
    assert [r["place_detail"] for r in served] == [""]
    assert not any(str(v).startswith("v1:") for r in served for v in r.values())
    page = client_as("nodal.meghalaya").get(reverse("web:case_detail", kwargs={"case_id": case.id}))
    assert page.status_code == 200 and "Greenview" not in page.content.decode()
    # The sync projection: a node cleared for P0 gets the plain value, others nothing; never the token.
    full = project_cases(object_type="pathway.rescueoperation", case_ids=[case.id],
                         clearance=Clearance(classes=frozenset({P0, P1, P2})))
    cut = project_cases(object_type="pathway.rescueoperation", case_ids=[case.id],
                        clearance=Clearance(classes=frozenset({P1, P2})))
    row_id = str(RescueOperation.objects.get(pk=made["id"]).pk)  # the projection's rows are by id as text
    assert full[row_id]["place_detail"] == PLACE and "place_detail_sealed" not in full[row_id]
    assert "place_detail" not in cut[row_id] and "place_detail_sealed" not in cut[row_id]


def test_tampered_or_moved_detail_fails_loudly(case: Case, api_as: Callable[[str], Api], world: World) -> None:
    made = rescue(api_as("ahtu.ekh"), case)
    other = report_case(world, source_ahtu=str(world.organisations["ahtu_ekh"].id))
    moved = rescue(api_as("ahtu.ekh"), other, place="somewhere else entirely")
    RescueOperation.objects.filter(pk=moved["id"]).update(place_detail_sealed=raw(made["id"]))  # other case
    with pytest.raises(TamperedError):
        list(RescueOperation.objects.filter(case=other))


def test_erasing_the_last_survivor_shreds_it_and_rotation_rewraps_it(
        case: Case, api_as: Callable[[str], Api], world: World, settings) -> None:  # type: ignore[no-untyped-def]
    made = rescue(api_as("ahtu.ekh"), case)
    settings.ICMC_MASTER_KEYS = new_key_line("rotated-9") + "\n" + settings.ICMC_MASTER_KEYS
    assert rotate_master_key(new_key_id="rotated-9") >= 3
    settings.ICMC_MASTER_KEYS = settings.ICMC_MASTER_KEYS.splitlines()[0]  # the old key is gone
    assert RescueOperation.objects.get(pk=made["id"]).place_detail == PLACE
    first, second = [p.person for p in CaseParty.objects.filter(case=case, role="survivor").order_by("created_at")]
    erase(world, case, first)
    assert RescueOperation.objects.get(pk=made["id"]).place_detail == PLACE  # one survivor left
    erase(world, case, second)
    assert RescueOperation.objects.get(pk=made["id"]).place_detail == "[erased]"
    assert CaseKey.objects.get(case=case).destroyed_at is not None


def _plain_column(op_id: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT place_detail FROM pathway_rescueoperation WHERE id = %s",
                       [op_id.replace("-", "") if connection.vendor == "sqlite" else op_id])
        return str(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_existing_details_and_opens_them_when_reversed(
        world: World, api_as: Callable[[str], Api]) -> None:
    # One case whose key already exists (a place detail) and one without any key before the migration.
    with_key = report_case(world, source_detail="Near the market of a village",
                           source_ahtu=str(world.organisations["ahtu_ekh"].id))
    without_key = report_case(world, source_ahtu=str(world.organisations["ahtu_ekh"].id))
    first, second = rescue(api_as("ahtu.ekh"), with_key), rescue(api_as("ahtu.ekh"), without_key, place="Hut 9")
    executor = MigrationExecutor(connection)
    executor.migrate([("pathway", "0002_synced_ids")])
    assert (_plain_column(first["id"]), _plain_column(second["id"])) == (PLACE, "Hut 9")
    CaseKey.objects.filter(case=without_key).delete()  # as it was before: no key for that case
    call_command("migrate", verbosity=0)
    assert raw(first["id"]).startswith("v1:") and raw(second["id"]).startswith("v1:")
    assert RescueOperation.objects.get(pk=first["id"]).place_detail == PLACE
    assert RescueOperation.objects.get(pk=second["id"]).place_detail == "Hut 9"
    assert CaseKey.objects.filter(case=without_key, destroyed_at__isnull=True).count() == 1
