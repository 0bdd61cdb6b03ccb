"""Every read of P0 is audited: one `person.identity_viewed` event per request that reveals P0 (security.md item
18), never with the values, flagged when read under an emergency access; a failed audit write fails the read."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from icmc.accounts.actions import do_create_api_token
from icmc.audit.models import AuditEvent
from icmc.cases.models import Case, CaseParty
from icmc.cases.timeline import case_timeline
from icmc.demo.world import World
from tests.factories import person_data, report_case

NAME = "Wanda Readaudited"
PHONE = "+919812345678"
PLACE = "Behind the tea stall at the bus stand"
VIEWED = "person.identity_viewed"


@pytest.fixture
def case(world: World) -> Case:
    return report_case(world, survivors=[person_data(NAME, phone=PHONE)], source_detail=PLACE,
                       source_ahtu=str(world.organisations["ahtu_ekh"].pk),
                       destination_jurisdiction="IN-ML-WEST-JAINTIA-HILLS")


def web(world: World, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def api(world: World, username: str) -> Client:
    token = do_create_api_token(actor=world.actor(username), label="reads")[1]
    return Client(headers={"Authorization": f"Bearer {token}"})


def viewed(after: int = 0) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=VIEWED, id__gt=after).order_by("id"))


def last_id() -> int:
    event = AuditEvent.objects.order_by("-id").first()
    return event.id if event else 0


def test_the_case_page_records_one_event_per_request_without_values(world: World, case: Case) -> None:
    client = web(world, "cm.meghalaya")
    before = last_id()
    response = client.get(f"/cases/{case.id}/")
    assert response.status_code == 200 and NAME.encode() in response.content
    events = viewed(before)
    assert len(events) == 1  # people, places and the pathway panel together: one event
    event = events[0]
    assert event.case_id == case.id and event.object_type == "case" and event.via == "web"
    assert event.actor_id == world.users["cm.meghalaya"].id
    assert {"cases.Person.names", "cases.Person.phones", "cases.CasePlace.detail"} <= set(event.details["fields"])
    assert event.details["emergency"] is False and event.details["records"] >= 3
    stored = json.dumps([event.details, event.changed_fields, event.object_id])
    assert NAME not in stored and PHONE not in stored and PLACE not in stored
    client.get(f"/cases/{case.id}/")
    assert len(viewed(before)) == 2  # each request that reveals P0 is audited
    assert VIEWED not in {entry.action for entry in case_timeline(case=case)}  # a read is not an event of the case


def test_pages_and_answers_without_p0_record_nothing(world: World, case: Case) -> None:
    before = last_id()
    assert web(world, "cm.meghalaya").get("/cases/").status_code == 200
    reader = api(world, "cm.meghalaya")
    assert reader.get("/api/v1/cases").status_code == 200
    assert reader.get(f"/api/v1/cases/{case.id}/timeline").status_code == 200
    assert web(world, "analyst").get(f"/cases/{case.id}/").status_code == 404
    assert viewed(before) == []


@pytest.mark.parametrize("path", ["/api/v1/cases/{case}", "/api/v1/persons/{person}", "/api/v1/cases/{case}/pathway"])
def test_api_reads_of_identities_are_audited(world: World, case: Case, path: str) -> None:
    survivor = CaseParty.objects.get(case=case, role="survivor")
    reader = api(world, "ahtu.ekh")
    before = last_id()
    response = reader.get(path.format(case=case.id, person=survivor.person_id))
    assert response.status_code == 200
    events = viewed(before)
    if "pathway" in path:  # the pathway answer carries no name: nothing to audit
        assert NAME.encode() not in response.content and events == []
        return
    assert NAME.encode() in response.content
    assert len(events) == 1 and events[0].via == "api"
    if "persons" in path:
        assert events[0].object_type == "person" and events[0].object_id == str(survivor.person_id)
    else:
        assert events[0].case_id == case.id


def test_a_read_under_emergency_access_is_flagged(world: World, case: Case) -> None:
    officer = web(world, "ahtu.kamrup")  # another state: sees the case only by breaking the glass
    granted = officer.post("/emergency/", {"reference": case.reference, "hours": "2",
                                           "reason": "Found at Guwahati station tonight; identity to be confirmed."})
    assert granted.status_code == 302
    before = last_id()
    assert NAME.encode() in officer.get(f"/cases/{case.id}/").content
    events = viewed(before)
    assert len(events) == 1 and events[0].details["emergency"] is True and events[0].case_id == case.id
    owner_before = last_id()
    web(world, "cm.meghalaya").get(f"/cases/{case.id}/")
    assert viewed(owner_before)[0].details["emergency"] is False


def test_a_failed_audit_write_fails_the_read(world: World, case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("icmc.audit.record.record_event", broken)
    client = Client(raise_request_exception=False)
    client.force_login(world.users["cm.meghalaya"])
    response = client.get(f"/cases/{case.id}/")
    assert response.status_code == 500 and NAME.encode() not in response.content
