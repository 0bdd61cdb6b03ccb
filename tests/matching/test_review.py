"""Reviewing duplicate candidates (icmc/matching/actions.py): who sees them, what of each side, and the decision."""

from __future__ import annotations

from django.test import Client

from icmc.audit.models import AuditEvent
from icmc.demo.world import World
from icmc.matching.models import CandidateStatus, DuplicateCandidate
from tests.api.conftest import Api, make_token
from tests.conftest import PASSWORD
from tests.factories import person_data, report_case

NAME = "Rimpi Khongwir"


def _api(world: World, username: str) -> Api:
    return Api(Client(), make_token(world, username))


def test_each_side_shows_only_what_the_reader_may_see(world: World) -> None:
    theirs = report_case(world, "cm.assam", survivors=[person_data(NAME)])
    mine = report_case(world, "cm.meghalaya", survivors=[person_data(NAME)])
    rows = _api(world, "cm.meghalaya").get("/duplicate-candidates").json()
    assert len(rows) == 1 and rows[0]["status"] == "open" and rows[0]["role"] == "survivor"
    sides = {side["organisation"]: side for side in rows[0]["sides"]}
    own, other = sides[world.organisations["centre_ml"].name], sides[world.organisations["centre_as"].name]
    assert (own["case_reference"], own["names"]) == (mine.reference, [NAME])
    # The other organisation's case is not visible to her: no reference, no id, no name.
    assert (other["case_id"], other["case_reference"], other["names"]) == (None, "", [])
    assert theirs.reference not in str(rows)
    # The state nodal officer of Assam sees both cases (a place in Assam): both sides, names included.
    rows = _api(world, "nodal.assam").get("/duplicate-candidates").json()
    assert sorted(side["case_reference"] for side in rows[0]["sides"]) == sorted([mine.reference, theirs.reference])
    # Roles without duplicate.decide are refused.
    assert _api(world, "ahtu.ekh").get("/duplicate-candidates").status_code == 403


def test_a_user_who_sees_neither_case_gets_404(world: World) -> None:
    report_case(world, "cm.assam", survivors=[person_data(NAME)])
    report_case(world, "cm.assam", survivors=[person_data(NAME)])
    candidate = DuplicateCandidate.objects.get()
    api = _api(world, "cm.meghalaya")
    assert api.get("/duplicate-candidates").json() == []
    response = api.post(f"/duplicate-candidates/{candidate.id}/decision", {"status": "not_same"})
    assert response.status_code == 404
    missing = api.post("/duplicate-candidates/00000000-0000-0000-0000-000000000007/decision", {"status": "not_same"})
    assert missing.status_code == 404 and missing.json() == response.json()
    assert DuplicateCandidate.objects.get().status == CandidateStatus.OPEN


def test_deciding_is_audited_once_and_merges_nothing(world: World) -> None:
    report_case(world, "cm.assam", survivors=[person_data(NAME)])
    mine = report_case(world, "cm.meghalaya", survivors=[person_data(NAME)])
    candidate = DuplicateCandidate.objects.get()
    api = _api(world, "cm.meghalaya")
    assert api.post(f"/duplicate-candidates/{candidate.id}/decision", {"status": "maybe"}).status_code == 422
    response = api.post(f"/duplicate-candidates/{candidate.id}/decision", {"status": "same_person"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "same_person"
    candidate.refresh_from_db()
    assert candidate.decided_by == world.users["cm.meghalaya"] and candidate.decided_at is not None
    event = AuditEvent.objects.get(action="duplicate.decided")
    assert (event.object_type, event.case_id) == ("duplicate_candidate", mine.id)
    assert event.details == {"status": "same_person", "role": "survivor"}
    # Decided once: a second decision is refused and not audited.
    again = api.post(f"/duplicate-candidates/{candidate.id}/decision", {"status": "not_same"})
    assert again.status_code in (400, 422)
    assert AuditEvent.objects.filter(action="duplicate.decided").count() == 1
    # Nothing merged: both persons remain, each in their case.
    assert candidate.person_a_id != candidate.person_b_id
    assert mine.parties.filter(role="survivor").count() == 1
    # Decided candidates leave the open list.
    assert api.get("/duplicate-candidates").json() == []


def test_the_page_lists_and_decides(world: World) -> None:
    report_case(world, "cm.assam", survivors=[person_data(NAME)])
    mine = report_case(world, "cm.meghalaya", survivors=[person_data(NAME)])
    candidate = DuplicateCandidate.objects.get()
    client = Client()
    assert client.login(username="cm.meghalaya", password=PASSWORD)
    page = client.get("/duplicates/")
    assert page.status_code == 200
    assert mine.reference.encode() in page.content and NAME.encode() in page.content
    assert world.organisations["centre_as"].name.encode() in page.content
    assert b'href="/duplicates/" aria-current="page"' in page.content  # in the menu of those who may decide
    response = client.post(f"/duplicates/{candidate.id}/decide/", {"status": "not_same"})
    assert response.status_code == 302
    assert DuplicateCandidate.objects.get().status == CandidateStatus.NOT_SAME
    outsider = Client()
    assert outsider.login(username="ahtu.ekh", password=PASSWORD)
    assert outsider.get("/duplicates/").status_code == 403
    cases_page = outsider.get("/cases/")
    assert cases_page.status_code == 200 and b'href="/duplicates/"' not in cases_page.content
