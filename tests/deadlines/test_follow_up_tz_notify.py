"""Rule 15 (follow-up visits), due times across zones, notifications, escalation, pages and endpoints."""

from __future__ import annotations

import datetime

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from icmc.deadlines.events import due_at
from icmc.deadlines.models import Notification, Task, TaskState
from icmc.deadlines.rules import Offset
from icmc.pathway.models import FollowUpVisit
from icmc.referrals.models import Referral
from tests.deadlines.helpers import UTC, created, local, one, tasks
from tests.pathway.conftest import survivors
from tests.pathway.helpers import to_repatriation_unsafe

NAMES = ("Minor Testgirl", "Adult Testwoman", "Testsuspect", "Ibapyntngen", "Kharkongor")


def test_rule_15_follow_up_visits_become_tasks(world, api_as, two_survivor_case):
    case, cm, ahtu = two_survivor_case, api_as("cm.meghalaya"), api_as("ahtu.ekh")
    party = str(survivors(case)[1].id)
    to_repatriation_unsafe(world=world, cm=cm, ahtu=ahtu, case=case, party=party)
    created(cm.post(f"/cases/{case.id}/survivors/{party}/stage", {"to": "reintegration"}))
    visits = tasks(case, "follow_up_visit")
    scheduled = list(FollowUpVisit.objects.filter(plan__party_id=party).order_by("due_on"))
    assert len(visits) == len(scheduled) == 12  # monthly for months 1-6, then quarterly to 24 months
    first = min(visits, key=lambda t: t.due_at)
    assert first.owner_organisation == world.organisations["centre_ml"]
    assert first.due_at == local(scheduled[0].due_on.isoformat()) and first.source_id == scheduled[0].id


def test_due_times_in_kathmandu_and_yangon():
    at = datetime.datetime(2025, 2, 5, 0, 0, tzinfo=UTC)
    assert due_at(at=at, offset=Offset(days=60), zone="Asia/Kathmandu") == \
        datetime.datetime(2025, 4, 6, 18, 14, tzinfo=UTC)  # 23:59 +05:45
    assert due_at(at=at, offset=Offset(days=90), zone="Asia/Yangon") == \
        datetime.datetime(2025, 5, 6, 17, 29, tzinfo=UTC)  # 23:59 +06:30
    assert due_at(at=at, offset=Offset(hours=24), zone="Asia/Yangon") == at + datetime.timedelta(hours=24)


def test_task_owned_in_kathmandu_shows_its_zone(world, api_as, two_survivor_case):
    ahtu = world.organisations["ahtu_ekh"]
    ahtu.time_zone = "Asia/Kathmandu"
    ahtu.save()
    case = two_survivor_case
    created(api_as("ahtu.ekh").post(f"/cases/{case.id}/pathway/rescue_operation", {
        "rescued_on": "2025-03-01", "jurisdiction": "IN-ML-EAST-KHASI-HILLS", "lead_ahtu": str(ahtu.id),
        "survivors": [str(survivors(case)[1].id)]}))
    task = one(case, "itpa_magistrate")
    assert task.due_at == local("2025-03-11", zone="Asia/Kathmandu")
    assert task.due_at == datetime.datetime(2025, 3, 11, 18, 14, tzinfo=UTC)
    listed = [t for t in api_as("ahtu.ekh").get("/tasks").json() if t["id"] == str(task.id)]
    assert listed[0]["due_local"] == "2025-03-11T23:59:00+05:45"


def _send(world, api, case, to):
    referral = created(api.post(f"/cases/{case.id}/referrals", {
        "to_organisation": str(world.organisations[to].id), "purpose": "investigation"}))
    return Referral.objects.get(pk=referral["id"])


def test_declined_referral_notifies_the_case_manager_without_identity(world, api_as, two_survivor_case):
    from icmc.deadlines.notify import notify_referral
    from icmc.referrals.actions import do_decline_referral

    case = two_survivor_case
    referral = _send(world, api_as("cm.meghalaya"), case, "ahtu_wjh")
    Referral.objects.filter(pk=referral.pk).update(state="sent")  # sending needs consent: tested in referrals
    referral.refresh_from_db()
    notify_referral(referral=referral)
    received = Notification.objects.get(kind="referral_received")
    assert received.organisation == world.organisations["ahtu_wjh"]
    do_decline_referral(referral, actor=world.actor("ahtu.wjh"), message="Not our district")
    declined = Notification.objects.get(kind="referral_declined")
    assert declined.user == world.users["cm.meghalaya"] and case.reference in declined.text
    mine = api_as("cm.meghalaya").get("/notifications").json()
    assert [n["kind"] for n in mine] == ["referral_declined"]
    assert api_as("cm.assam").get("/notifications").json() == []
    world.users["cm.meghalaya"].email = "cm@example.org"
    world.users["cm.meghalaya"].save()
    call_command("deadlines", "digest")
    body = "\n".join(m.body + m.subject for m in mail.outbox)
    assert case.reference in body
    for text in [*NAMES, *(n.text for n in Notification.objects.none())]:
        assert text not in body
    for row in Notification.objects.all():
        assert not any(name in row.text for name in NAMES)


def test_overdue_escalation_reaches_the_state_nodal_officer_only(world, api_as, two_survivor_case):
    case = two_survivor_case
    task = one(case, "fir_without_delay")
    Task.objects.filter(pk=task.pk).update(due_at=timezone.now() - datetime.timedelta(days=2))
    for user in ("nodal.meghalaya", "nodal.assam"):
        world.users[user].email = f"{user}@example.org"
        world.users[user].save()
    call_command("deadlines", "escalate")
    escalated = Notification.objects.filter(kind="task_escalated")
    assert [n.user.username for n in escalated] == ["nodal.meghalaya"]
    assert [m.to for m in mail.outbox] == [["nodal.meghalaya@example.org"]]
    assert not any(name in mail.outbox[0].body for name in NAMES)
    assert [t["id"] for t in api_as("nodal.meghalaya").get("/tasks", {"filter": "overdue"}).json()] == [str(task.id)]
    assert api_as("nodal.assam").get("/tasks", {"filter": "overdue"}).json() == []
    call_command("deadlines", "digest")  # the owner is told too, once
    assert Notification.objects.filter(kind="task_overdue", task=task).count() == 1


def test_complete_task_allowed_and_denied(world, api_as, two_survivor_case):
    task = one(two_survivor_case, "fir_without_delay")
    assert api_as("cm.assam").post(f"/tasks/{task.id}/complete", {"note": "x"}).status_code == 404
    assert api_as("nodal.meghalaya").post(f"/tasks/{task.id}/complete", {"note": "x"}).status_code == 403
    assert api_as("cm.meghalaya").post(f"/tasks/{task.id}/complete", {"note": ""}).status_code == 422
    done = api_as("cm.meghalaya").post(f"/tasks/{task.id}/complete", {"note": "FIR filed at the station"})
    assert done.status_code == 200 and done.json()["state"] == "done"
    task.refresh_from_db()
    assert (task.state, task.closed_by) == (TaskState.DONE, "manual")
    assert api_as("cm.meghalaya").get("/tasks", {"filter": "mine"}).json() == []


def test_task_lists_by_persona(world, api_as, anonymous, two_survivor_case):
    task = one(two_survivor_case, "fir_without_delay")
    assert [t["id"] for t in api_as("cm.meghalaya").get("/tasks", {"filter": "mine"}).json()] == [str(task.id)]
    assert [t["id"] for t in api_as("cm.meghalaya").get("/tasks").json()] == [str(task.id)]
    assert api_as("cm.assam").get("/tasks").json() == []
    assert api_as("ahtu.ekh").get("/tasks").json() == []
    assert anonymous.get("/tasks").status_code == 401


def test_pages(world, client_as, two_survivor_case):
    task = one(two_survivor_case, "fir_without_delay")
    page = client_as("cm.meghalaya").get("/tasks/mine/")
    assert page.status_code == 200 and two_survivor_case.reference in page.content.decode()
    assert two_survivor_case.reference not in client_as("cm.assam").get("/tasks/").content.decode()
    assert client_as("cm.assam").post(f"/tasks/{task.id}/complete/", {"note": "x"}).status_code == 404
    assert client_as("cm.meghalaya").post(f"/tasks/{task.id}/complete/", {"note": "done"}).status_code == 302
    task.refresh_from_db()
    assert task.state == TaskState.DONE
    assert client_as("nodal.meghalaya").get("/tasks/overdue/").status_code == 200
    assert client_as("cm.meghalaya").get("/notifications/").status_code == 200
