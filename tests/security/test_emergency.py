"""Item 10, break the glass: one case, a few hours, a written reason, read-only, step-up, audited, the owner and
the state nodal officer told, reviewed afterwards."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from icmc.access.queries import visible_cases, visible_parties_joined
from icmc.accounts.actions import do_create_api_token
from icmc.audit.models import AuditEvent
from icmc.cases.models import Case, Note
from icmc.deadlines.models import Notification
from icmc.demo.world import World
from icmc.emergency.models import EmergencyAccess
from icmc.identity import session as mfa_session
from tests.factories import person_data, report_case

SURVIVOR = "Daphisha Glasssurvivor"
REASON = "Survivor seen at Guwahati station tonight, need the case to confirm identity."


@pytest.fixture
def case(world: World) -> Case:
    return report_case(world, survivors=[person_data(SURVIVOR)], source_ahtu=str(world.organisations["ahtu_ekh"].pk),
                       destination_jurisdiction="IN-ML-WEST-JAINTIA-HILLS")


def login(world: World, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])  # with a fresh second factor (tests/security/mfa.py)
    return client


def grant(client: Client, case: Case, **overrides: object):
    return client.post("/emergency/", {"reference": case.reference, "reason": REASON, "hours": "4", **overrides})


def test_grant_gives_read_only_access_to_that_case_for_the_hours_asked(world: World, case: Case) -> None:
    officer = login(world, "ahtu.kamrup")
    assert officer.get(f"/cases/{case.id}/").status_code == 404
    response = grant(officer, case)
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.id}/"
    page = officer.get(f"/cases/{case.id}/")
    assert page.status_code == 200 and SURVIVOR.encode() in page.content  # identity: to recognise her
    # The grant's cases are a list of ids in the scope filter (one parameter on PostgreSQL): the case list and the
    # people the officer may search among (joined through the case) hold that case and no other.
    actor = world.actor("ahtu.kamrup")
    assert list(visible_cases(actor=actor).values_list("pk", flat=True)) == [case.pk]
    assert {p.case_id for p in visible_parties_joined(actor=actor)} == {case.pk}
    row = EmergencyAccess.objects.get(case=case)
    assert row.membership.user.username == "ahtu.kamrup" and row.reason == REASON
    assert datetime.timedelta(hours=3, minutes=59) < row.expires_at - row.granted_at <= datetime.timedelta(hours=4)
    event = AuditEvent.objects.get(action="access.emergency_granted")
    assert event.case_id == case.id and event.details["hours"] == 4
    # Read-only: no note, no person, no FIR, by page or API.
    assert officer.post(f"/cases/{case.id}/notes/", {"body": "Seen."}).status_code in (403, 404)
    assert officer.post(f"/cases/{case.id}/people/add/", {}).status_code in (403, 404)
    token = do_create_api_token(actor=world.actor("ahtu.kamrup"), label="t")[1]
    api = Client(headers={"Authorization": f"Bearer {token}"})
    assert api.get(f"/api/v1/cases/{case.id}").status_code == 200
    assert api.post(f"/api/v1/cases/{case.id}/notes", json.dumps({"body": "Seen."}),
                    content_type="application/json").status_code in (403, 404)
    assert not Note.objects.filter(case=case, body="Seen.").exists()
    # Only that case: another case of the same owner stays hidden.
    other = report_case(world, source_ahtu=str(world.organisations["ahtu_ekh"].pk),
                        destination_jurisdiction="IN-ML-WEST-JAINTIA-HILLS")
    assert officer.get(f"/cases/{other.id}/").status_code == 404


def test_expired_access_is_404_again(world: World, case: Case) -> None:
    officer = login(world, "cm.assam")
    assert grant(officer, case, hours="1").status_code == 302
    assert officer.get(f"/cases/{case.id}/").status_code == 200
    EmergencyAccess.objects.filter(case=case).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert officer.get(f"/cases/{case.id}/").status_code == 404


def test_owner_case_managers_and_state_nodal_officer_are_notified(world: World, case: Case) -> None:
    assert grant(login(world, "nodal.assam"), case).status_code == 302
    told = set(Notification.objects.filter(kind="emergency_access", case_id=case.id)
               .values_list("user__username", flat=True))
    assert told == {"cm.meghalaya", "nodal.meghalaya"}
    for text in Notification.objects.filter(kind="emergency_access").values_list("text", flat=True):
        assert case.reference in text and "Glasssurvivor" not in text


@pytest.mark.parametrize(("overrides", "field"), [({"reason": "need it"}, "reason"), ({"reason": ""}, "reason"),
                                                   ({"hours": "9"}, "hours"), ({"hours": "x"}, "hours"),
                                                   ({"reference": "ML-NOPE-1"}, "reference")])
def test_refused_without_reason_or_beyond_eight_hours(world: World, case: Case, overrides: dict[str, str],
                                                       field: str) -> None:
    officer = login(world, "ahtu.kamrup")
    response = grant(officer, case, **overrides)
    assert response.status_code == 200 and f'id="id_{field}"'.encode() in response.content
    assert b'aria-invalid="true"' in response.content
    assert not EmergencyAccess.objects.exists()
    assert officer.get(f"/cases/{case.id}/").status_code == 404


def test_a_case_one_can_already_see_is_refused(world: World, case: Case) -> None:
    assert grant(login(world, "ahtu.ekh"), case).status_code == 200
    assert not EmergencyAccess.objects.exists()


@pytest.mark.parametrize("username", ["media.shillong", "analyst", "shelter.shillong", "partner.nepal", "admin"])
def test_other_roles_cannot_break_the_glass(world: World, case: Case, username: str) -> None:
    client = login(world, username)
    assert client.get("/emergency/").status_code == 403
    assert grant(client, case).status_code == 403
    assert not EmergencyAccess.objects.exists()


def test_step_up_is_required(world: World, case: Case) -> None:
    officer = login(world, "ahtu.kamrup")
    store = officer.session
    store[mfa_session.MFA_AT] -= 6 * 60
    store.save()
    response = grant(officer, case)
    assert response.status_code == 302 and response["Location"].startswith("/account/mfa/step-up/")
    assert not EmergencyAccess.objects.exists()


def test_owner_and_nodal_officer_review_it(world: World, case: Case) -> None:
    assert grant(login(world, "ahtu.kamrup"), case).status_code == 302
    row = EmergencyAccess.objects.get()
    manager = login(world, "cm.meghalaya")
    page = manager.get("/emergency/review/")
    assert page.status_code == 200 and case.reference.encode() in page.content and REASON.encode() in page.content
    # Not the reviewers: another state's nodal officer, the assigned AHTU, the requester.
    assert login(world, "nodal.assam").post(f"/emergency/{row.id}/reviewed/").status_code == 404
    assert login(world, "ahtu.ekh").get("/emergency/review/").status_code == 403
    assert login(world, "cm.assam").post(f"/emergency/{row.id}/reviewed/").status_code == 404
    token = do_create_api_token(actor=world.actor("nodal.meghalaya"), label="t")[1]
    api = Client(headers={"Authorization": f"Bearer {token}"})
    listed = api.get("/api/v1/emergency-access").json()
    assert [g["id"] for g in listed["to_review"]] == [str(row.id)] and listed["mine"] == []
    assert manager.post(f"/emergency/{row.id}/reviewed/", {"note": "Confirmed by phone."}).status_code == 302
    row.refresh_from_db()
    assert row.reviewed_at is not None and row.reviewed_by == world.users["cm.meghalaya"]
    assert AuditEvent.objects.filter(action="access.emergency_reviewed", object_id=str(row.id)).count() == 1
    response = api.post(f"/api/v1/emergency-access/{row.id}/reviewed", "{}", content_type="application/json")
    assert response.status_code == 200 and response.json()["reviewed_at"] is not None
    assert AuditEvent.objects.filter(action="access.emergency_reviewed").count() == 1  # once
