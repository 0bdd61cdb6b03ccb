"""Duplicate candidates are flagged at intake (icmc/matching/detect.py), without names in notifications or audit
details, and never merge anything."""

from __future__ import annotations

import uuid

from django.test import Client

from icmc.audit.models import AuditEvent
from icmc.cases.models import CaseParty, Person, PersonName
from icmc.deadlines.models import Notification
from icmc.demo.world import World
from icmc.matching.detect import find_candidates, new_parties
from icmc.matching.models import CandidateStatus, DuplicateCandidate
from tests.api.conftest import Api, make_token
from tests.factories import person_data, report_case, report_data

NAME = "Rimpi Khongwir"


def _api(world: World, username: str) -> Api:
    return Api(Client(), make_token(world, username))


def _survivor(case_id: object) -> Person:
    return CaseParty.objects.get(case_id=case_id, role="survivor").person


def test_same_survivor_in_another_organisations_case_is_flagged_and_both_owners_told(world: World) -> None:
    first = report_case(world, "cm.assam", survivors=[person_data(NAME)])
    response = _api(world, "cm.meghalaya").post(
        "/cases", {**report_data(destination_jurisdiction=""), "survivors": [person_data("  rimpi   KHONGWIR ")],
                   "suspects": []})
    assert response.status_code == 201, response.content
    second_id = response.json()["id"]
    candidate = DuplicateCandidate.objects.get()
    assert {candidate.case_a_id, candidate.case_b_id} == {first.id, uuid.UUID(second_id)}
    assert {candidate.person_a_id, candidate.person_b_id} == {_survivor(first.id).id, _survivor(second_id).id}
    assert (candidate.role, candidate.basis, candidate.status) == ("survivor", ["name", "age"], CandidateStatus.OPEN)
    # Never merged: two persons, each in their own case.
    assert Person.objects.filter(pk__in=[candidate.person_a_id, candidate.person_b_id]).count() == 2
    # One audit event for the intake, carrying the count (no names, no person ids).
    reported = AuditEvent.objects.filter(action="case.reported").latest("pk")
    assert reported.case_id == uuid.UUID(second_id)
    assert reported.details["duplicate_candidates"] == 1
    assert "khongwir" not in str(reported.details).lower()
    # Both owners told, by reference and organisation name; neither text carries the name; the other
    # organisation's case reference is not given.
    told = {n.organisation.name: n.text for n in Notification.objects.filter(kind="duplicate_candidate")
            .select_related("organisation")}
    second_ref = response.json()["reference"]
    assert set(told) == {world.organisations["centre_ml"].name, world.organisations["centre_as"].name}
    assert told[world.organisations["centre_ml"].name] == (
        f"A survivor of case {second_ref} may be the same person as one in a case of another organisation "
        f"({world.organisations['centre_as'].name}). Review it under Duplicate candidates.")
    assert first.reference in told[world.organisations["centre_as"].name]
    assert second_ref not in told[world.organisations["centre_as"].name]
    for text in told.values():
        assert "rimpi" not in text.lower() and "khongwir" not in text.lower()


def test_a_different_person_or_another_role_is_not_flagged(world: World) -> None:
    report_case(world, "cm.assam", survivors=[person_data(NAME)])
    report_case(world, "cm.meghalaya", survivors=[person_data("Rimpi Lyngdoh")])  # one word in common only
    report_case(world, "cm.meghalaya", survivors=[person_data("Other Person")], suspects=[person_data(NAME)])
    report_case(world, "cm.meghalaya", survivors=[person_data(NAME, estimated_age=40)])  # 25 years apart
    assert not DuplicateCandidate.objects.exists()
    assert not Notification.objects.filter(kind="duplicate_candidate").exists()


def test_the_same_pair_is_flagged_once(world: World) -> None:
    report_case(world, "cm.assam", survivors=[person_data(NAME)])
    second = report_case(world, "cm.meghalaya", survivors=[person_data(NAME)])
    assert DuplicateCandidate.objects.count() == 1
    notes = Notification.objects.count()
    party = CaseParty.objects.select_related("person").get(case=second, role="survivor")
    again = find_candidates(case=second, parties=new_parties(
        parties=[party], names=PersonName.objects.filter(person_id=party.person_id)))
    assert again == [] and DuplicateCandidate.objects.count() == 1 and Notification.objects.count() == notes


def test_a_party_added_to_a_case_is_checked_too(world: World) -> None:
    first = report_case(world, "cm.assam", survivors=[person_data("Someone Else")], suspects=[person_data(NAME)])
    second = report_case(world, "cm.meghalaya")
    response = _api(world, "cm.meghalaya").post(f"/cases/{second.id}/parties",
                                                {"role": "suspect", **person_data(NAME.upper())})
    assert response.status_code == 201, response.content
    candidate = DuplicateCandidate.objects.get()
    assert candidate.role == "suspect" and {candidate.case_a_id, candidate.case_b_id} == {first.id, second.id}
    event = AuditEvent.objects.filter(action="party.added").latest("pk")
    assert event.details == {"role": "suspect", "new_person": True, "duplicate_candidates": 1}


def test_an_intake_replayed_from_a_field_node_is_checked(world: World) -> None:
    from tests.sync.conftest import register, upstream_for

    first = report_case(world, "cm.assam", survivors=[person_data(NAME)])
    node, key = register(world, "cm.meghalaya")
    report = {"seq": 1, "action": "report_case", "user": str(world.users["cm.meghalaya"].id), "base_versions": {},
              "client_time": "", "args": {"data": report_data(), "survivors": [person_data(NAME)], "suspects": []}}
    status, body = upstream_for(node, key).call(method="POST", endpoint="/push",
                                                payload={"node_id": str(node.id), "mutations": [report]})
    assert status == 200 and body["results"][0]["status"] == "applied", body
    candidate = DuplicateCandidate.objects.get()
    assert first.id in {candidate.case_a_id, candidate.case_b_id}
    event = AuditEvent.objects.filter(action="case.reported", via="sync").get()
    assert event.details["duplicate_candidates"] == 1


def test_a_suspect_with_the_same_phone_under_another_spelling_and_age_is_flagged(world: World) -> None:
    """A trafficker's number recurs across cases whatever name and age each file gives him."""
    phone = "+91 98630 44556"
    first = report_case(world, "cm.assam", survivors=[person_data("Someone Else")],
                        suspects=[person_data("Raju Sheikh", gender="Masculine", estimated_age=35, phone=phone)])
    second = report_case(world, "cm.meghalaya", survivors=[person_data("Another Girl")],
                         suspects=[person_data("Rajoo Shaikh", gender="Masculine", estimated_age=50,
                                               phone="+919863044556")])
    candidate = DuplicateCandidate.objects.get()
    assert candidate.role == "suspect" and candidate.basis == ["phone"]
    assert {candidate.case_a_id, candidate.case_b_id} == {first.id, second.id}
    assert Notification.objects.filter(kind="duplicate_candidate").count() == 2
    assert all("98630" not in n.text and "Raju" not in n.text for n in Notification.objects.all())


def test_same_name_and_phone_give_both_bases_and_a_survivor_phone_does_not_match_a_suspect(world: World) -> None:
    phone = "+91 98630 77889"
    report_case(world, "cm.assam", survivors=[person_data(NAME, phone=phone)])
    report_case(world, "cm.meghalaya", survivors=[person_data(NAME, phone=phone)])
    assert DuplicateCandidate.objects.get().basis == ["name", "phone", "age"]
    report_case(world, "cm.meghalaya", survivors=[person_data("Third Girl")],
                suspects=[person_data("A Man", gender="Masculine", phone=phone)])  # same number, other role
    assert DuplicateCandidate.objects.count() == 1


def test_more_candidates_cost_no_more_queries(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def people(tag: str, n: int) -> list[dict]:
        return [person_data(f"Girl {tag}{i}", phone=f"+9198630{i:05d}", estimated_age=20) for i in range(n)]

    report_case(world, "cm.assam", survivors=people("A", 3))
    api = _api(world, "cm.meghalaya")
    warm = [person_data("Girl W", phone="+919999900000", estimated_age=20)]  # the token's own look-ups
    assert api.post("/cases", {**report_data(destination_jurisdiction=""), "survivors": warm,
                               "suspects": []}).status_code == 201
    counts = []
    for n, tag in ((1, "B"), (3, "C")):  # each survivor shares a number with one of the first case
        with CaptureQueriesContext(connection) as ctx:
            assert api.post("/cases", {**report_data(destination_jurisdiction=""), "survivors": people(tag, n),
                                       "suspects": []}).status_code == 201
        counts.append(len(ctx.captured_queries))
    assert DuplicateCandidate.objects.count() == 1 + 3 + 1  # C's first survivor shares B's number too
    assert counts[0] == counts[1], counts
