"""Snapshots, explicit removals, resumable pages and the integrity digest."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from icmc.cases.models import Case
from icmc.demo.world import World
from icmc.sync.models import Node
from icmc.sync.pull import feed_page
from icmc.sync.signing import read_cursor
from tests.factories import report_case
from tests.sync.conftest import register, upstream_for

pytestmark = pytest.mark.django_db


def pull(node: Node, cursor: tuple[int, int] = (0, 0), limit: int = 2000) -> tuple[list[dict[str, Any]],
                                                                                   tuple[int, int]]:
    """Every page from `cursor`; the changes and the final cursor."""
    changes: list[dict[str, Any]] = []
    after, number = cursor
    for _ in range(200):
        page = feed_page(node=node, after=after, page=number, limit=limit)
        changes += page.changes
        after, number = read_cursor(node_id=str(node.id), cursor=page.cursor)
        if not page.has_more:
            return changes, (after, number)
    raise AssertionError("no end")


def cases_in(changes: list[dict[str, Any]], op: str = "put") -> set[str]:
    return {c["id"] for c in changes if c["type"] == "cases.case" and c["op"] == op}


def centre_case(world: World) -> Case:
    return report_case(world, "cm.meghalaya")  # owned by the centre, not assigned to the EKH AHTU


def ekh_case(world: World) -> Case:
    return report_case(world, "cm.meghalaya", source_ahtu=str(world.organisations["ahtu_ekh"].pk))


def test_first_sync_is_a_snapshot_with_reference_data(world: World) -> None:
    ekh_case(world)
    node, _ = register(world, "ahtu.ekh")
    changes, _ = pull(node)
    # organisations built by the demo world never went through the feed, and still arrive
    assert {c["id"] for c in changes if c["type"] == "accounts.organisation"} >= {
        str(o.id) for o in world.organisations.values()}
    assert len(cases_in(changes)) == 1


def test_a_case_that_leaves_the_scope_is_removed_and_one_that_enters_is_sent_whole(world: World) -> None:
    mine, theirs = ekh_case(world), centre_case(world)
    node, _ = register(world, "ahtu.ekh", "cm.meghalaya")
    changes, cursor = pull(node)
    assert cases_in(changes) == {str(mine.id), str(theirs.id)}
    node.users.remove(world.users["cm.meghalaya"])  # the centre's user leaves the kit
    changes, cursor = pull(node, cursor)
    assert cases_in(changes, "remove") == {str(theirs.id)} and not cases_in(changes)
    assert pull(node, cursor)[0] == []  # removed once
    node.users.add(world.users["cm.meghalaya"])  # and comes back: the case is sent whole again
    changes, cursor = pull(node, cursor)
    assert cases_in(changes) == {str(theirs.id)}
    assert {c["type"] for c in changes} >= {"cases.case", "cases.caseparty", "cases.person", "cases.personname"}


def test_a_lost_page_is_sent_again(world: World) -> None:
    for _ in range(3):
        ekh_case(world)
    node, _ = register(world, "ahtu.ekh")
    first = feed_page(node=node, after=0, page=0, limit=20)
    after, number = read_cursor(node_id=str(node.id), cursor=first.cursor)
    lost = feed_page(node=node, after=after, page=number, limit=20)  # the reply never reached the node
    assert lost.changes
    again = feed_page(node=node, after=after, page=number, limit=20)  # it asks again with the same cursor
    assert [(c["type"], c["id"]) for c in again.changes] == [(c["type"], c["id"]) for c in lost.changes]
    # ...and a removal it did not apply is sent again too
    _rest, cursor = pull(node, (after, number), limit=20)
    node.users.clear()
    removal = feed_page(node=node, after=cursor[0], page=cursor[1], limit=20)
    assert len(cases_in(removal.changes, "remove")) == 3
    assert len(cases_in(feed_page(node=node, after=cursor[0], page=cursor[1], limit=20).changes, "remove")) == 3


def _digest(changes: list[dict[str, Any]]) -> str:
    held: dict[tuple[str, str], int] = {}
    for c in changes:
        if c["op"] == "remove":
            held = {k: v for k, v in held.items() if k != (c["type"], c["id"])}
        else:
            held[(c["type"], c["id"])] = max(c["version"], held.get((c["type"], c["id"]), 0))
    lines = sorted(f"{t}:{i}:{v}" for (t, i), v in held.items())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def test_integrity_digest_matches_a_faithful_replica_and_412_otherwise(world: World) -> None:
    ekh_case(world)
    node, key = register(world, "ahtu.ekh")
    changes, _ = pull(node)
    upstream = upstream_for(node, key)
    status, body = upstream.call(method="GET", endpoint="/digest", params={"digest": _digest(changes)})
    assert status == 200 and body["match"] is True, body
    status, body = upstream.call(method="GET", endpoint="/digest", params={"digest": _digest(changes[1:])})
    assert status == 412 and body["records"] == len({(c["type"], c["id"]) for c in changes})
