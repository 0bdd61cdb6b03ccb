"""The field node's session (push, then pull) and its resumption after faults, in process."""

from __future__ import annotations

from typing import Any

import pytest

from icmc.cases.models import Note
from icmc.demo.world import World
from icmc.sync.client import SyncError, Transport, enqueue, run_session
from icmc.sync.models import Outbox, PullState, Replica
from icmc.sync.pull import feed_page
from icmc.sync.sealing import args_of, seal_args
from tests.factories import report_case
from tests.sync.conftest import client_transport, register, upstream_for

pytestmark = pytest.mark.django_db


def cases(world: World, n: int) -> list[Any]:
    return [report_case(world, "cm.meghalaya", source_ahtu=str(world.memberships["ahtu.ekh"].organisation_id))
            for _ in range(n)]


class Recording:
    """A transport that records what was received and can drop the connection at a chosen request."""

    def __init__(self, inner: Transport, *, drop_get: int | None = None, drop_after_post: bool = False) -> None:
        self.inner, self.drop_get, self.drop_after_post = inner, drop_get, drop_after_post
        self.gets = 0
        self.received: list[int] = []

    def __call__(self, *, method: str, path: str, query: str, body: bytes, headers: dict[str, str]) -> Any:
        if method == "GET":
            self.gets += 1
            if self.drop_get is not None and self.gets == self.drop_get:
                raise OSError("connection dropped")
        status, data = self.inner(method=method, path=path, query=query, body=body, headers=headers)
        if method == "POST" and self.drop_after_post:
            self.drop_after_post = False
            raise OSError("connection dropped after the upstream committed")  # the reply is lost
        if method == "GET" and status == 200:
            self.received.extend(c["seq"] for c in data["changes"])
        return status, data


def test_session_pushes_then_pulls(world: World) -> None:
    case = cases(world, 1)[0]
    node, key = register(world, "ahtu.ekh")
    enqueue(action="add_note", args={"case": str(case.id), "body": "Visited."}, user_id=world.users["ahtu.ekh"].id)
    lines: list[str] = []
    summary = run_session(upstream=upstream_for(node, key), echo=lines.append, limit=5)
    assert summary.pushed == {"applied": 1}
    assert Outbox.objects.get(seq=1).status == "applied"
    note = Note.objects.get(case=case)
    assert Replica.objects.filter(object_type="cases.note", object_id=note.id).exists()  # pulled back
    assert Replica.objects.filter(object_type="cases.case", object_id=case.id).exists()
    assert summary.pages >= 2 and lines
    again = run_session(upstream=upstream_for(node, key))  # nothing to do
    assert again.pushed == {} and again.changes == 0 and again.pages == 1


def test_fault_1_reply_lost_after_commit_then_duplicate(world: World) -> None:
    case = cases(world, 1)[0]
    node, key = register(world, "ahtu.ekh")
    enqueue(action="add_note", args={"case": str(case.id), "body": "Visited."}, user_id=world.users["ahtu.ekh"].id)
    dropping = Recording(client_transport(), drop_after_post=True)
    with pytest.raises(OSError):
        run_session(upstream=upstream_for(node, key, dropping))
    assert Outbox.objects.get(seq=1).status == "pending" and Note.objects.filter(case=case).count() == 1
    summary = run_session(upstream=upstream_for(node, key))
    assert summary.pushed == {"applied": 1}
    assert Outbox.objects.get(seq=1).result["status"] == "duplicate"
    assert Note.objects.filter(case=case).count() == 1


def test_fault_2_drop_mid_pull_resumes_without_gaps_or_duplicates(world: World) -> None:
    cases(world, 3)
    node, key = register(world, "ahtu.ekh")
    expected = [c["seq"] for c in feed_page(node=node, after=0, limit=2000).changes]
    first = Recording(client_transport(), drop_get=3)
    with pytest.raises(OSError):
        run_session(upstream=upstream_for(node, key, first), limit=4)
    assert first.received and PullState.objects.get().cursor  # two pages applied, cursor stored
    second = Recording(client_transport())
    run_session(upstream=upstream_for(node, key, second), limit=4)
    received = first.received + second.received
    assert received == expected  # in order, none twice, none missing
    assert Replica.objects.count() == len(expected)


def test_a_gap_in_the_outbox_stops_the_session_before_pulling(world: World) -> None:
    case = cases(world, 1)[0]
    node, key = register(world, "ahtu.ekh")
    entry = enqueue(action="add_note", args={"case": str(case.id), "body": "x"}, user_id=world.users["ahtu.ekh"].id)
    Outbox.objects.filter(pk=entry.pk).update(seq=2, args_sealed=seal_args(seq=2, args=args_of(entry)))
    with pytest.raises(SyncError):
        run_session(upstream=upstream_for(node, key))
    assert not PullState.objects.exists()
