"""Approvals, erasure and holds through the front doors: pages (with step-up), API (session vs token) and
`manage.py erase`."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from icmc.audit.models import AuditEvent
from icmc.identity import session as mfa_session
from icmc.privacy.models import ApprovalRequest, ApprovalState, LegalHold
from icmc.vault.models import PersonKey
from tests.api.conftest import Api, make_token
from tests.privacy.helpers import NAME, REASON, approved_erasure, closed_case, request_erasure
from tests.security.mfa import totp_code

API = "/api/v1"


def logged_in(world, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def make_stale(client: Client) -> None:
    store = client.session
    store[mfa_session.MFA_AT] -= 10 * 60
    store.save()


def test_the_whole_erasure_through_the_pages(world):
    case, person = closed_case(world)
    cm, nodal = logged_in(world, "cm.meghalaya"), logged_in(world, "nodal.meghalaya")
    page = f"/cases/{case.id}/persons/{person.id}/privacy/"
    body = cm.get(page).content.decode()
    assert "Ask for erasure" in body and NAME not in body
    assert AuditEvent.objects.filter(action="person.data_reported", object_id=str(person.id)).exists()
    assert "What we hold" in cm.get(f"/cases/{case.id}/").content.decode()  # linked from the case page
    refused = cm.post(f"/cases/{case.id}/persons/{person.id}/erase/", {"erase-reason": "short"})
    assert refused.status_code == 422 and not ApprovalRequest.objects.exists()
    asked = cm.post(f"/cases/{case.id}/persons/{person.id}/erase/", {"erase-reason": REASON})
    approval = ApprovalRequest.objects.get()
    assert asked.status_code == 302 and asked["Location"] == f"/approvals/{approval.id}/"
    assert "Erase a person" in nodal.get("/approvals/").content.decode()
    detail = nodal.get(f"/approvals/{approval.id}/").content.decode()
    assert "Approve" in detail and NAME not in detail
    # the requester sees no decision buttons, and cannot decide by posting
    assert "Approve" not in cm.get(f"/approvals/{approval.id}/").content.decode()
    assert cm.post(f"/approvals/{approval.id}/decide/", {"decision": "approve"}).status_code == 403
    make_stale(nodal)  # deciding needs a fresh second factor
    stale = nodal.post(f"/approvals/{approval.id}/decide/", {"decision": "approve"})
    assert stale.status_code == 302 and stale["Location"].startswith("/account/mfa/step-up/")
    assert ApprovalRequest.objects.get().state == ApprovalState.PENDING
    fresh = logged_in(world, "nodal.meghalaya")
    assert fresh.post(f"/approvals/{approval.id}/decide/", {"decision": "approve"}).status_code == 302
    assert ApprovalRequest.objects.get().state == ApprovalState.APPROVED
    assert "Erase now" in cm.get(f"/approvals/{approval.id}/").content.decode()
    assert fresh.post(f"/approvals/{approval.id}/execute/").status_code == 403  # not the requester
    done = cm.post(f"/approvals/{approval.id}/execute/")
    assert done.status_code == 302
    assert PersonKey.objects.get(person=person).destroyed_at is not None
    case_page = cm.get(f"/cases/{case.id}/").content.decode()
    assert "[erased]" in case_page and "Erasableperson" not in case_page
    again = cm.post(f"/approvals/{approval.id}/execute/")
    assert again.status_code == 422 and "already been used" in again.content.decode()


@pytest.mark.parametrize("username", ["ahtu.ekh", "shelter.shillong", "cm.assam", "media.shillong", "admin"])
def test_the_privacy_page_is_for_the_owner_and_the_state(world, username):
    case, person = closed_case(world)
    status = logged_in(world, username).get(f"/cases/{case.id}/persons/{person.id}/privacy/").status_code
    assert status in (403, 404)
    assert logged_in(world, "nodal.meghalaya").get(
        f"/cases/{case.id}/persons/{person.id}/privacy/").status_code == 200


def test_holds_on_the_page(world):
    case, person = closed_case(world)
    cm = logged_in(world, "cm.meghalaya")
    assert cm.post(f"/cases/{case.id}/persons/{person.id}/holds/", {"hold-reason": ""}).status_code == 422
    placed = cm.post(f"/cases/{case.id}/persons/{person.id}/holds/",
                     {"hold-reason": "Evidence for a civil claim", "hold-scope": "case"})
    assert placed.status_code == 302
    hold = LegalHold.objects.get()
    assert hold.person_id is None
    body = cm.get(f"/cases/{case.id}/persons/{person.id}/privacy/").content.decode()
    assert "a legal hold was placed" in body
    refused = cm.post(f"/cases/{case.id}/persons/{person.id}/erase/", {"erase-reason": REASON})
    assert refused.status_code == 422 and "legal hold" in refused.content.decode()
    assert cm.post(f"/holds/{hold.id}/release/", {"reason": "Claim settled in 2027",
                                                  "person_id": str(person.id)}).status_code == 302
    assert LegalHold.objects.get().released_at is not None
    assert logged_in(world, "cm.assam").post(f"/holds/{hold.id}/release/", {"reason": "x" * 20}).status_code == 404


def session_api(world, username: str) -> Api:
    return Api(logged_in(world, username), None)


def test_api_ask_decide_and_carry_out(world):
    case, person = closed_case(world)
    cm, nodal = session_api(world, "cm.meghalaya"), session_api(world, "nodal.meghalaya")
    bad = cm.post("/approvals", {"kind": "erase_person", "reason": REASON, "case_id": str(case.id)})
    assert bad.status_code == 422
    unknown = cm.post("/approvals", {"kind": "erase_person", "reason": REASON, "case_id": str(case.id),
                                     "person_id": str(person.id), "extra": 1})
    assert unknown.status_code == 422
    asked = cm.post("/approvals", {"kind": "erase_person", "reason": REASON, "case_id": str(case.id),
                                   "person_id": str(person.id)})
    assert asked.status_code == 201, asked.content
    approval_id = asked.json()["id"]
    assert asked.json()["state"] == "pending"
    assert [a["id"] for a in nodal.get("/approvals").json()["to_decide"]] == [approval_id]
    assert session_api(world, "nodal.assam").get(f"/approvals/{approval_id}").status_code == 404
    # a token cannot step up
    token = Api(Client(), make_token(world, "nodal.meghalaya"))
    refused = token.post(f"/approvals/{approval_id}/decide", {"approve": True})
    assert refused.status_code == 403 and "Confirm it is you" in refused.json()["detail"]
    assert cm.post(f"/approvals/{approval_id}/decide", {"approve": True}).status_code == 403
    assert nodal.post(f"/approvals/{approval_id}/decide", {"approve": True}).json()["state"] == "approved"
    token_cm = Api(Client(), make_token(world, "cm.meghalaya"))
    assert token_cm.post(f"/approvals/{approval_id}/execute", {}).status_code == 403
    done = cm.post(f"/approvals/{approval_id}/execute", {})
    assert done.status_code == 200 and done.json()["state"] == "executed"
    assert cm.post(f"/approvals/{approval_id}/execute", {}).status_code == 422
    person_api = cm.get(f"/persons/{person.id}").json()
    assert NAME not in json.dumps(person_api) and "[erased]" in json.dumps(person_api)
    report = cm.get(f"/cases/{case.id}/persons/{person.id}/privacy").json()
    assert report["erased"] is True and report["approvals"][0]["state"] == "executed"


def test_api_holds(world):
    case, person = closed_case(world)
    cm = Api(Client(), make_token(world, "cm.meghalaya"))
    assert cm.post(f"/cases/{case.id}/holds", {"reason": ""}).status_code == 422
    placed = cm.post(f"/cases/{case.id}/holds", {"reason": "Preserve for the appeal", "person_id": str(person.id)})
    assert placed.status_code == 201 and placed.json()["person_id"] == str(person.id)
    report = cm.get(f"/cases/{case.id}/persons/{person.id}/privacy").json()
    assert [h["kind"] for h in report["holds"]] == ["explicit"]
    other = Api(Client(), make_token(world, "cm.assam"))
    assert other.post(f"/cases/{case.id}/holds", {"reason": "Preserve for the appeal"}).status_code == 404
    hold_id = placed.json()["id"]
    assert other.post(f"/holds/{hold_id}/release", {"reason": "No longer needed now"}).status_code == 404
    released = cm.post(f"/holds/{hold_id}/release", {"reason": "No longer needed now"})
    assert released.status_code == 200 and released.json()["released_at"]
    assert cm.post(f"/holds/{hold_id}/release", {"reason": "No longer needed now"}).status_code == 422


def test_erase_command_steps_up_and_carries_it_out(world):
    case, person = closed_case(world)
    approval = approved_erasure(world, case, person)
    with pytest.raises(CommandError, match="not right"):
        call_command("erase", "--approval", str(approval.id), "--as", "cm.meghalaya", "--code", "000000")
    assert AuditEvent.objects.filter(action="auth.step_up_failed").exists()
    with pytest.raises(CommandError, match="No approved erasure"):
        call_command("erase", "--approval", str(approval.id), "--as", "nodal.meghalaya", "--code", totp_code())
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.update(throttling_failure_timestamp=None, throttling_failure_count=0)
    out = StringIO()
    call_command("erase", "--approval", str(approval.id), "--as", "cm.meghalaya", "--code",
                 totp_code(steps_ahead=1), stdout=out)
    assert "erased" in out.getvalue()
    assert PersonKey.objects.get(person=person).destroyed_at is not None
    assert AuditEvent.objects.get(action="person.erased").via == "cli"
    TOTPDevice.objects.update(last_t=-1)  # let the same code be accepted again (replay protection)
    with pytest.raises(CommandError, match="already been used"):
        call_command("erase", "--approval", str(approval.id), "--as", "cm.meghalaya", "--code", totp_code())


def test_pending_request_cannot_be_carried_out(world):
    case, person = closed_case(world)
    approval = request_erasure(world, case, person)
    cm = session_api(world, "cm.meghalaya")
    refused = cm.post(f"/approvals/{approval.id}/execute", {})
    assert refused.status_code == 422 and "not been approved" in json.dumps(refused.json())
