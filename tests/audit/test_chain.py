"""`icmc audit verify` finds an altered, removed or reordered audit event and names it."""

import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from icmc.audit.models import AuditChainHead, AuditEvent
from icmc.cases.actions import do_add_note
from tests.factories import report_case


@pytest.fixture
def trail(world):
    case = report_case(world)
    actor = world.actor("cm.meghalaya")
    for i in range(4):
        do_add_note(case, actor=actor, body=f"Follow-up call {i}.")
    return list(AuditEvent.objects.order_by("seq"))


def _verify(capsys):
    try:
        call_command("audit", "verify")
    except CommandError as exc:
        return False, capsys.readouterr().err + str(exc)
    return True, capsys.readouterr().out


def test_intact_chain_verifies(trail, capsys):
    ok, out = _verify(capsys)
    assert ok and f"{len(trail)} audit events" in out
    assert [e.seq for e in trail] == list(range(1, len(trail) + 1))
    assert all(e.prev_hash == p.hash for p, e in itertools.pairwise(trail))


def test_an_altered_event_is_named(trail, capsys):
    victim = trail[3]
    AuditEvent.objects.filter(id=victim.id).update(action="note.deleted")
    ok, err = _verify(capsys)
    assert not ok
    assert f"event id {victim.id} (seq {victim.seq}): altered" in err


def test_a_changed_actor_is_caught(trail, world, capsys):
    AuditEvent.objects.filter(id=trail[2].id).update(actor_id=world.users["cm.assam"].id)
    ok, err = _verify(capsys)
    assert not ok and f"event id {trail[2].id}" in err


def test_a_removed_event_is_named(trail, capsys):
    victim = trail[2]
    AuditEvent.objects.filter(id=victim.id).delete()
    ok, err = _verify(capsys)
    assert not ok
    assert f"seq {victim.seq}: missing" in err


def test_reordered_events_are_caught(trail, capsys):
    a, b = trail[1], trail[2]
    AuditEvent.objects.filter(id=a.id).update(seq=10_000)
    AuditEvent.objects.filter(id=b.id).update(seq=a.seq)
    AuditEvent.objects.filter(id=a.id).update(seq=b.seq)
    ok, err = _verify(capsys)
    assert not ok
    assert f"event id {b.id} (seq {a.seq})" in err


def test_a_removed_last_event_is_caught(trail, capsys):
    AuditEvent.objects.filter(id=trail[-1].id).delete()
    ok, err = _verify(capsys)
    assert not ok and "chain head" in err


def test_a_forged_hash_without_the_key_is_caught(trail, capsys):
    import hashlib
    import hmac

    from icmc.audit.chain import canonical

    victim = trail[-1]
    row = AuditEvent.objects.filter(id=victim.id).values().get()
    row["action"] = "case.viewed"
    # An attacker with database access but not the key recomputes the link with a guessed key.
    forged = hmac.new(b"attacker-guess", row["prev_hash"].encode() + b"\n" + canonical(row), hashlib.sha256).hexdigest()
    AuditEvent.objects.filter(id=victim.id).update(action="case.viewed", hash=forged)
    AuditChainHead.objects.filter(id=1).update(last_hash=forged)
    ok, err = _verify(capsys)
    assert not ok and f"event id {victim.id} (seq {victim.seq}): altered" in err
