"""Pushing mutations: replay through the actions, idempotency, conflicts, revocation, clocks."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from icmc.audit.models import AuditEvent
from icmc.cases.models import Case, Note
from icmc.demo.world import World, system_actor
from icmc.sync.actions import do_revoke_node
from icmc.sync.models import Change, Mutation, Node
from icmc.sync.sealing import kept_payload
from tests.factories import person_data, report_case, report_data
from tests.sync.conftest import register, upstream_for

pytestmark = pytest.mark.django_db

# Statements a pushed add_note costs (the same on SQLite and PostgreSQL): the case read with the actor's
# permissions, the note, the audit chain head (read and updated) and the event, the head again for the change
# feed and its entry, the inbox row, a savepoint around the effect (set and released). Lower it when you cut one.
PUSHED_NOTE_STATEMENTS = 13


def ekh_case(world: World) -> Case:
    return report_case(world, "cm.meghalaya", source_ahtu=str(world.memberships["ahtu.ekh"].organisation_id))


def note(world: World, seq: int, case: Case, body: str = "Met the family.", client_time: str = "") -> dict[str, Any]:
    return {"seq": seq, "action": "add_note", "user": str(world.users["ahtu.ekh"].id),
            "args": {"case": str(case.id), "body": body}, "base_versions": {},
            "client_time": client_time or "2026-01-01T10:00:00+05:30"}


def push(node: Node, key: str, mutations: list[dict[str, Any]]) -> tuple[int, Any]:
    return upstream_for(node, key).call(method="POST", endpoint="/push",
                                        payload={"node_id": str(node.id), "mutations": mutations})


def test_mutations_are_replayed_through_the_actions(world: World) -> None:
    node, key = register(world, "ahtu.ekh", "cm.meghalaya")
    case = ekh_case(world)
    report = {"seq": 2, "action": "report_case", "user": str(world.users["cm.meghalaya"].id), "base_versions": {},
              "client_time": "", "args": {"data": report_data(), "survivors": [person_data()], "suspects": []}}
    fir = {"seq": 3, "action": "record_fir", "user": str(world.users["ahtu.ekh"].id), "base_versions": {},
           "client_time": "", "args": {"case": str(case.id), "police_station_name": "Sadar PS", "number": "12/2026",
                                       "registered_on": "2026-01-02"}}
    party = {"seq": 4, "action": "add_party", "user": str(world.users["ahtu.ekh"].id), "base_versions": {},
             "client_time": "", "args": {"case": str(case.id), "role": "witness", **person_data("A Witness")}}
    status, body = push(node, key, [note(world, 1, case), report, fir, party])
    assert status == 200, body
    assert [r["status"] for r in body["results"]] == ["applied"] * 4, body
    assert Note.objects.filter(case=case).count() == 1
    assert case.firs.count() == 1 and case.parties.filter(role="witness").count() == 1
    assert AuditEvent.objects.filter(action="note.added", via="sync").exists()
    # The payload of an applied mutation is not kept (its effect is in the case); the hash is.
    assert all(kept_payload(m) is None and len(m.payload_hash) == 64 for m in Mutation.objects.filter(node=node))
    # With the acting user's own permissions: an AHTU officer may not report a case.
    as_ahtu = report | {"seq": 5, "user": str(world.users["ahtu.ekh"].id)}
    result = push(node, key, [as_ahtu])[1]["results"][0]
    assert result["status"] == "rejected" and result["reason"] == "forbidden"


def test_fault_1_same_push_twice_gives_duplicate_with_the_stored_result(world: World, node_ekh) -> None:
    node, key = node_ekh
    case = ekh_case(world)
    first = push(node, key, [note(world, 1, case)])[1]["results"][0]
    again = push(node, key, [note(world, 1, case)])[1]["results"][0]
    assert first["status"] == "applied"
    assert again["status"] == "duplicate" and again["result"] == {k: v for k, v in first.items() if k != "seq"}
    assert Note.objects.filter(case=case).count() == 1


def test_fault_3_same_seq_other_payload_is_refused_and_audited(world: World, node_ekh) -> None:
    node, key = node_ekh
    case = ekh_case(world)
    push(node, key, [note(world, 1, case)])
    result = push(node, key, [note(world, 1, case, body="Something else.")])[1]["results"][0]
    assert result["status"] == "refused" and result["reason"] == "conflicting_payload"
    assert Note.objects.filter(case=case).count() == 1
    event = AuditEvent.objects.get(action="sync.mutation_conflict")
    assert event.details["node"] == str(node.id) and event.details["seq"] == 1


def test_rejected_mutations_are_kept_with_a_reason(world: World, node_ekh) -> None:
    node, key = node_ekh
    wjh_case = report_case(world, "cm.meghalaya", source_ahtu=str(world.memberships["ahtu.wjh"].organisation_id))
    results = push(node, key, [note(world, 1, wjh_case), note(world, 2, ekh_case(world), body="")])[1]["results"]
    assert [(r["status"], r["reason"]) for r in results] == [("rejected", "not_found"), ("rejected", "invalid")]
    assert "body" in results[1]["errors"]
    kept = Mutation.objects.filter(node=node, status="rejected")
    assert kept.count() == 2 and all(kept_payload(m) for m in kept)


def test_a_gap_in_the_seq_is_refused_and_nothing_stored(world: World, node_ekh) -> None:
    node, key = node_ekh
    result = push(node, key, [note(world, 2, ekh_case(world))])[1]["results"][0]
    assert result["status"] == "refused" and result["reason"] == "gap" and result["expected"] == 1
    assert not Mutation.objects.exists()


def test_revoked_node_is_refused_and_its_mutations_quarantined(world: World, node_ekh) -> None:
    node, key = node_ekh
    case = ekh_case(world)
    do_revoke_node(node, actor=system_actor())
    status, body = push(node, key, [note(world, 1, case)])
    assert status == 403
    assert body["results"][0]["status"] == "quarantined"
    stored = Mutation.objects.get(node=node, seq=1)
    assert stored.status == "quarantined" and (kept_payload(stored) or {})["args"]["case"] == str(case.id)
    assert not Note.objects.filter(case=case).exists()


def test_user_not_served_by_the_node_is_rejected(world: World, node_ekh) -> None:
    node, key = node_ekh
    mutation = note(world, 1, ekh_case(world)) | {"user": str(world.users["cm.meghalaya"].id)}
    result = push(node, key, [mutation])[1]["results"][0]
    assert result["status"] == "rejected" and result["reason"] == "actor_not_allowed"


def test_fault_4_client_clocks_do_not_change_ordering(world: World, node_ekh) -> None:
    node, key = node_ekh
    case = ekh_case(world)
    before = Change.objects.order_by("-seq").values_list("seq", flat=True).first()
    results = push(node, key, [note(world, 1, case, body="first", client_time="2035-06-01T00:00:00Z"),
                               note(world, 2, case, body="second", client_time="2019-01-01T00:00:00Z")])[1]
    assert [r["status"] for r in results["results"]] == ["applied", "applied"]
    notes = list(Note.objects.filter(case=case).order_by("created_at"))
    assert [n.body for n in notes] == ["first", "second"]
    now = datetime.datetime.now(datetime.UTC)
    assert all(abs((n.created_at - now).total_seconds()) < 60 for n in notes)  # server time, not the node's
    feed = list(Change.objects.filter(seq__gt=before, object_type="cases.note").order_by("seq")
                .values_list("object_id", flat=True))
    assert feed == [n.id for n in notes]
    assert list(Mutation.objects.filter(node=node).order_by("seq").values_list("client_time", flat=True)) == [
        "2035-06-01T00:00:00Z", "2019-01-01T00:00:00Z"]


def test_malformed_push_is_a_422_and_nothing_is_applied(world: World, node_ekh) -> None:
    node, key = node_ekh
    status, body = push(node, key, [{"seq": "one", "action": "add_note"}])
    assert status == 422 and "mutations[0].seq" in body["errors"]
    status, _ = upstream_for(node, key).call(method="POST", endpoint="/push",
                                             payload={"node_id": "someone-else", "mutations": []})
    assert status == 422


def test_quarantined_mutations_are_listed_for_review_without_values(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    node, key = register(world, "ahtu.ekh")
    case = ekh_case(world)
    do_revoke_node(node, actor=system_actor())
    status, body = push(node, key, [note(world, 1, case, body="Secret detail of the visit")])
    assert status == 403 and body["results"][0]["status"] == "quarantined"
    assert kept_payload(Mutation.objects.get(node=node, seq=1)) is not None  # kept, not applied
    assert not Note.objects.filter(case=case).exists()
    out = StringIO()
    call_command("node", "quarantine", str(node.id), stdout=out)
    assert "seq 1" in out.getvalue() and "add_note" in out.getvalue() and "ahtu.ekh" in out.getvalue()
    assert "Secret detail" not in out.getvalue()


def test_statements_per_pushed_note_stay_few(world: World, node_ekh) -> None:
    """Each statement is a round trip, and the push's time follows their number (docs/benchmarks.md): a pushed
    note costs a fixed number of them (its access check, the note, the audit event and chain head, the change
    feed, the inbox row, one savepoint around its effect), whatever the number of notes in the push."""
    node, key = node_ekh
    case = ekh_case(world)
    counts = []
    for first, many in ((1, 2), (3, 6)):
        with CaptureQueriesContext(connection) as queries:
            status, body = push(node, key, [note(world, first + i, case) for i in range(many)])
        assert status == 200 and [r["status"] for r in body["results"]] == ["applied"] * many, body
        counts.append(len(queries.captured_queries))
    per_note = (counts[1] - counts[0]) / 4
    assert per_note == int(per_note) and per_note <= PUSHED_NOTE_STATEMENTS, counts

