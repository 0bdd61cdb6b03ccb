"""Fault 8 (PostgreSQL): a transaction that took a lower feed seq and commits after a later one must not be
skipped by a node that pulled in between. record_changes takes the audit chain lock before its seq numbers, so
a second writer cannot take a seq until the first has committed: the feed only ever grows at its end."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from icmc.cases.actions import do_add_note
from icmc.demo.world import build_world
from icmc.sync.models import Change
from icmc.sync.pull import feed_page
from icmc.sync.signing import read_cursor
from tests.conftest import PASSWORD
from tests.factories import report_case
from tests.sync.conftest import register

WAIT = 10  # seconds; every wait below is bounded


def _note(case, actor, body):  # type: ignore[no-untyped-def]
    do_add_note(case, actor=actor, body=body)


def _feed_only(case, actor, body):  # type: ignore[no-untyped-def]
    # A write that records changes without an audit event first: the feed's own lock must order it.
    from icmc.sync.feed import record_changes
    record_changes(case.places.first() if body == "A" else case, case_id=case.id)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("write", [_note, _feed_only], ids=["action", "record_changes"])
def test_fault_8_later_commit_of_a_lower_seq_is_not_skipped(write) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("commit order only differs from seq order on PostgreSQL")
    world = build_world(password=PASSWORD)
    case = report_case(world, "cm.meghalaya", source_ahtu=str(world.memberships["ahtu.ekh"].organisation_id))
    node, _ = register(world, "ahtu.ekh")
    start, number = read_cursor(node_id=str(node.id), cursor=feed_page(node=node, after=0, limit=2000).cursor)
    actor = world.actor("ahtu.ekh")
    a_written, a_release, b_done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def writer_a() -> None:
        try:
            with transaction.atomic():
                write(case, actor, "A")
                a_written.set()
                a_release.wait(WAIT)  # in flight, holding its seq
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    def writer_b() -> None:
        try:
            a_written.wait(WAIT)
            with transaction.atomic():
                write(case, actor, "B")
            b_done.set()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer_a), threading.Thread(target=writer_b)]
    for thread in threads:
        thread.start()
    assert a_written.wait(WAIT)
    time.sleep(0.5)  # give B time to commit, if it could
    assert not b_done.is_set(), "a second writer took a feed seq while a lower one was in flight"
    page = feed_page(node=node, after=start, page=number, limit=2000)  # a node pulls while A is in flight
    assert page.changes == []
    cursor, number = read_cursor(node_id=str(node.id), cursor=page.cursor)
    a_release.set()
    for thread in threads:
        thread.join(WAIT)
    assert not errors and b_done.is_set()
    later = list(Change.objects.filter(seq__gt=cursor).order_by("seq"))
    assert later and all(c.seq > cursor for c in later)  # A's seq is above what the node already passed
    served = feed_page(node=node, after=cursor, page=number, limit=2000).changes
    if write is _note:
        notes = [c["data"]["body"] for c in served if c["type"] == "cases.note"]
        assert notes == ["A", "B"]  # nothing skipped, in commit order
    else:
        assert [c["type"] for c in served] == ["cases.caseplace", "cases.case"]
