"""A local mutation the upstream did not apply (rejected, or held in a conflict) is undone on the node when its
result comes back: its rows go back to the upstream's copy (Replica), a row it created is deleted, a row a
pending mutation also wrote is left alone; the mutation stays in the outbox (icmc.fieldnode.materialise).
The same with real processes: tests/fieldnode/test_processes.py, fault 6a."""

from __future__ import annotations

import uuid

import pytest

from icmc.cases.actions import do_add_note
from icmc.cases.models import Case, Note
from icmc.demo.world import World
from icmc.fieldnode.materialise import undo_not_applied
from icmc.fieldnode.models import LocalWrite
from icmc.sync.client import enqueue
from icmc.sync.models import Node, Outbox, Replica
from tests.factories import report_case

pytestmark = pytest.mark.django_db


def offline(world: World, *, status: str, object_type: str, object_id: uuid.UUID) -> Outbox:
    """An outbox entry (as a local write makes it) that came back with `status`, and the row it wrote."""
    entry = enqueue(action="add_note", args={}, user_id=world.users["cm.meghalaya"].id)
    Outbox.objects.filter(pk=entry.pk).update(status=status)
    LocalWrite.objects.create(seq=entry.seq, object_type=object_type, object_id=object_id)
    return entry


def test_rows_of_mutations_not_applied_go_back_to_the_upstreams(world: World,
                                                                 field_node: tuple[Node, str]) -> None:
    case = report_case(world)
    pulled_version = case.version
    Replica.objects.create(object_type="cases.case", object_id=case.id, version=case.version, seq=1,
                           data={"summary": "As the centre has it.", "version": case.version})
    Case.objects.filter(pk=case.pk).update(summary="Changed offline.", version=case.version + 1)
    note = do_add_note(case, actor=world.actor("cm.meghalaya"), body="Written offline.")
    kept = do_add_note(case, actor=world.actor("cm.meghalaya"), body="Still to push.")
    offline(world, status="conflict", object_type="cases.case", object_id=case.id)
    offline(world, status="rejected", object_type="cases.note", object_id=note.id)
    offline(world, status="pending", object_type="cases.note", object_id=kept.id)
    also_pending = offline(world, status="rejected", object_type="cases.note", object_id=kept.id)

    assert undo_not_applied() == {"restored": 1, "undone": 1}
    case.refresh_from_db()
    assert (case.summary, case.version) == ("As the centre has it.", pulled_version)
    assert not Note.objects.filter(pk=note.pk).exists()  # the upstream never had it
    assert Note.objects.filter(pk=kept.pk).exists()  # a pending mutation wrote it too: held back
    assert Outbox.objects.filter(status__in=("rejected", "conflict")).count() == 3  # kept, with their results
    assert not LocalWrite.objects.filter(seq=also_pending.seq).exists()
    assert undo_not_applied() == {}  # each is undone once
