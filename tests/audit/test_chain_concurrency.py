"""Concurrent writers on PostgreSQL: the chain head lock keeps the chain gapless and verifiable."""

import threading

import pytest
from django.db import connection, connections

from icmc.audit.chain import verify
from icmc.audit.models import AuditEvent
from icmc.cases.actions import do_add_note
from tests.factories import report_case


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_the_chain_intact(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself (IMMEDIATE transactions); this checks PostgreSQL's locking")
    case = report_case(world)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(5):
                do_add_note(case, actor=world.actor("cm.meghalaya"), body=f"writer {n} note {i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert AuditEvent.objects.filter(action="note.added").count() == 20
    assert list(verify()) == []
