"""Federation: a partner centre (Kathmandu) receives a case shared with it through a referral, only under a
data-sharing agreement and only the fields it names; its records carry their origin and each side is
authoritative for its own; what crosses is audited."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from icmc.audit.models import AuditEvent
from icmc.cases.models import Case, CaseParty, Note
from icmc.demo.world import World, system_actor
from icmc.privacy.actions import do_decide_approval, do_request_approval
from icmc.privacy.kinds import CROSS_BORDER_REFERRAL
from icmc.prosecution.models import FIR
from icmc.referrals.actions import do_send_referral
from icmc.referrals.models import Referral
from icmc.sync.actions import do_create_agreement, do_end_agreement, do_register_node
from icmc.sync.models import DataSharingAgreement, Node, RecordOrigin
from tests.api.conftest import api_as  # noqa: F401  (fixture)
from tests.factories import person_data, report_case
from tests.sync.conftest import Pusher, register, upstream_for

pytestmark = pytest.mark.django_db
PROMPTS = ["purpose", "uses", "access_right", "retention", "withdrawal"]


@pytest.fixture
def shared_case(world: World, api_as) -> Case:  # noqa: F811
    """A Meghalaya case whose survivor is referred to the Kathmandu partner for repatriation (sent)."""
    case = report_case(world, survivors=[person_data("Maya Crossborder", estimated_age=19, citizenship=["NP"])],
                       source_ahtu=str(world.organisations["ahtu_ekh"].pk))
    party = str(CaseParty.objects.get(case=case, role="survivor").id)
    cm = api_as("cm.meghalaya")
    assert cm.post(f"/cases/{case.id}/consents", {
        "survivor": party, "basis": "survivor", "response": "consented", "purposes": ["repatriation"],
        "prompts_explained": PROMPTS, "given_on": "2025-01-10"}).status_code == 201
    referral = cm.post(f"/cases/{case.id}/referrals", {"to_organisation": str(world.organisations["partner_np"].id),
                                                       "purpose": "repatriation", "survivor": party,
                                                       "message": "Return home"}).json()
    # Sending abroad needs a second person's approval and a fresh second factor (icmc/privacy).
    approval = do_request_approval(actor=world.actor("cm.meghalaya"), kind=CROSS_BORDER_REFERRAL,
                                   referral=Referral.objects.get(pk=referral["id"]), reason="Return to her family")
    do_decide_approval(approval.id, actor=world.actor("nodal.meghalaya"), approve=True, stepped_up=True)
    do_send_referral(Referral.objects.get(pk=referral["id"]), actor=world.actor("cm.meghalaya"), stepped_up=True)
    return case


@pytest.fixture
def partner(world: World) -> tuple[Node, str]:
    return do_register_node(actor=system_actor(), name="Kathmandu centre", kind="partner",
                            users=[world.users["partner.nepal"]])


def pull(node: Node, key: str) -> list[dict[str, Any]]:
    upstream, cursor, changes = upstream_for(node, key), "", []
    for _ in range(50):
        status, body = upstream.call(method="GET", endpoint="/feed", params={"cursor": cursor, "limit": 2000})
        assert status == 200, body
        changes += body["changes"]
        cursor = body["cursor"]
        if not body["has_more"]:
            return changes
    raise AssertionError("no end")


def agree(node: Node, **fields: list[str]) -> DataSharingAgreement:
    import datetime

    return do_create_agreement(actor=system_actor(), node=node, title="MoU Meghalaya-Kathmandu",
                               fields={k.replace("__", "."): v for k, v in fields.items()},
                               starts_on=datetime.date(2026, 1, 1), ends_on=None)


def test_nothing_crosses_without_an_agreement(world: World, shared_case: Case, partner) -> None:
    node, key = partner
    assert pull(node, key) == []
    result = Pusher(world, node, key)("partner.nepal", "add_note", case=str(shared_case.id), body="Family found.")
    assert result["status"] == "rejected" and result["reason"] == "not_in_agreement"
    assert not Note.objects.filter(case=shared_case).exists()


def test_only_the_agreed_fields_cross_and_origin_and_audit(world: World, shared_case: Case, partner) -> None:
    node, key = partner
    agree(node, cases__case=["reference", "stage", "status"], cases__note=["case", "body", "created_at"])
    changes = pull(node, key)
    cases = [c for c in changes if c["type"] == "cases.case"]
    assert [c["id"] for c in cases] == [str(shared_case.id)]
    assert set(cases[0]["data"]) <= {"reference", "stage", "status", "version"}  # no summary, no owner
    assert {c["type"] for c in changes} <= {"cases.case", "cases.note"}  # no persons, places, FIR...
    assert "Maya" not in str(changes)
    out = AuditEvent.objects.filter(action="sync.shared_out", object_id=str(node.id))
    assert out.exists() and str(shared_case.id) in out.first().details["cases"]
    # The partner adds a note: applied, stamped with its origin, audited as crossing in.
    result = Pusher(world, node, key)("partner.nepal", "add_note", case=str(shared_case.id),
                                      body="Family traced in Sindhupalchok.")
    assert result["status"] == "applied", result
    note = Note.objects.get(pk=result["object"]["id"])
    assert RecordOrigin.objects.get(object_id=note.id).node_id == node.id
    assert AuditEvent.objects.filter(action="sync.shared_in", object_id=str(node.id)).exists()
    # ...and it comes back with its origin
    back = [c for c in pull(node, key) if c["id"] == str(note.id)]
    assert back and back[0]["origin"] == str(node.id)


def test_each_side_is_authoritative_for_its_own_records(world: World, shared_case: Case, partner) -> None:
    node, key = partner
    agree(node, cases__case=["reference", "stage", "status"], prosecution__fir=["number"])
    # The partner may not edit the centre's records (here: close the case).
    result = Pusher(world, node, key)("partner.nepal", "close_case", case=str(shared_case.id),
                                      outcome="no_prosecution_possible", reason="x")
    assert result["status"] == "rejected" and result["reason"] == "not_authoritative"
    # No node of ours edits a record that belongs to a partner.
    fir = FIR.objects.create(case=shared_case, number="1/2026", created_at=shared_case.created_at,
                             updated_at=shared_case.created_at)
    RecordOrigin.objects.create(object_id=fir.id, node=node)
    field, field_key = register(world, "ahtu.ekh")
    result = Pusher(world, field, field_key)("ahtu.ekh", "record_fir", case=str(shared_case.id), number="2/2026")
    assert result["status"] == "rejected" and result["reason"] == "not_authoritative"


def test_ending_the_agreement_removes_the_shared_cases(world: World, shared_case: Case, partner) -> None:
    node, key = partner
    agreement = agree(node, cases__case=["reference", "stage"])
    upstream = upstream_for(node, key)
    status, body = upstream.call(method="GET", endpoint="/feed", params={"cursor": "", "limit": 2000})
    assert status == 200 and any(c["type"] == "cases.case" for c in body["changes"])
    do_end_agreement(agreement, actor=system_actor())
    status, body = upstream.call(method="GET", endpoint="/feed", params={"cursor": body["cursor"], "limit": 2000})
    assert [(c["op"], c["id"]) for c in body["changes"]] == [("remove", str(shared_case.id))]


def test_agreement_command_checks_types_and_fields(world: World, partner) -> None:
    node, _ = partner
    out = StringIO()
    call_command("agreement", "create", "--node", str(node.id), "--title", "MoU",
                 "--fields", "cases.case=reference,stage", "--fields", "cases.note=body", stdout=out)
    assert "cases.case, cases.note" in out.getvalue()
    from django.core.management.base import CommandError
    with pytest.raises(CommandError, match="cannot be shared"):
        call_command("agreement", "create", "--node", str(node.id), "--title", "x",
                     "--fields", "cases.personname=value")
    with pytest.raises(CommandError, match="Unknown fields"):
        call_command("agreement", "create", "--node", str(node.id), "--title", "x", "--fields", "cases.case=nope")
    listed = StringIO()
    call_command("agreement", "list", stdout=listed)
    assert "active" in listed.getvalue() and "cases.case=reference,stage" in listed.getvalue()
