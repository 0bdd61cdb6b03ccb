"""Property (hypothesis state machine): whatever the interleaving of upstream edits, node pushes with stale
base versions and node pulls on one record, no value is lost: a value written upstream that a node's later
push replaced without having seen it is kept in a conflict record; edits of different fields both stay."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from icmc.cases.models import CaseParty
from icmc.demo.world import World
from icmc.pathway.actions import do_add_record, do_correct_record
from icmc.pathway.models import RescueOperation
from icmc.pathway.records import KINDS, parse_record
from icmc.sync.conflicts import values_of
from icmc.sync.models import ConflictRecord
from icmc.sync.replay import current_form_data
from tests.factories import person_data, report_case
from tests.pathway.helpers import DAY
from tests.sync.conftest import Pusher, register

pytestmark = pytest.mark.django_db(transaction=False)

FIELDS = ("post_rescue_needs", "place_detail")
VALUES = st.sampled_from(["a", "b", "c", "d"])


def run_machine(world: World) -> None:
    case = report_case(world, survivors=[person_data(estimated_age=24)],
                       source_ahtu=str(world.organisations["ahtu_ekh"].pk))
    node, key = register(world, "ahtu.ekh")
    ahtu = world.actor("ahtu.ekh")
    kind = KINDS["rescue_operation"]
    survivor = str(CaseParty.objects.get(case=case, role="survivor").id)

    class Merge(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.savepoint = transaction.savepoint()
            data = {"rescued_on": DAY, "jurisdiction": "IN-ML-EAST-KHASI-HILLS",
                    "lead_ahtu": str(world.organisations["ahtu_ekh"].id), "survivors": [survivor],
                    "post_rescue_needs": "start", "place_detail": "start"}
            self.record = do_add_record(case, actor=ahtu, data=parse_record(kind=kind, case=case, data=data))
            self.push = Pusher(world, node, key)
            self.push.seq = self._last_seq()
            self.base = self.record.version  # the node has pulled the record
            self.unseen: dict[str, list[str]] = {f: [] for f in FIELDS}  # upstream values the node has not seen
            self.node_values: dict[str, str] = {}  # what the node last pushed, per field

        def _last_seq(self) -> int:
            node.refresh_from_db(fields=["last_seq"])
            return int(node.last_seq)

        def _row(self) -> RescueOperation:
            return RescueOperation.objects.get(pk=self.record.pk)

        @rule(field=st.sampled_from(FIELDS), value=VALUES)
        def upstream_edit(self, field: str, value: str) -> None:
            row = self._row()
            unchanged = getattr(row, field) == f"up-{value}"  # writes the value already there: changes nothing
            data = current_form_data(kind_key=kind.key, case=case, record=row) | {field: f"up-{value}"}
            do_correct_record(row, actor=ahtu, data=parse_record(kind=kind, case=case, data=data, record=row))
            if not unchanged:
                self.unseen[field].append(f"up-{value}")

        @rule(field=st.sampled_from(FIELDS), value=VALUES)
        def node_push(self, field: str, value: str) -> None:
            before = getattr(self._row(), field)
            overwritten_unseen = before in self.unseen[field] and before != f"node-{value}"
            result = self.push("ahtu.ekh", "correct_record",
                               base={f"pathway.rescueoperation:{self.record.pk}": self.base},
                               case=str(case.id), kind="rescue_operation", record=str(self.record.pk),
                               data={field: f"node-{value}"})
            assert result["status"] == "applied", result
            assert getattr(self._row(), field) == f"node-{value}"  # the later arrival wins
            if overwritten_unseen:
                kept = [values_of(c).get(field) for c in ConflictRecord.objects.filter(object_id=self.record.pk)]
                assert before in kept, (before, kept)  # ...and the value it replaced is kept

        @rule()
        def node_pull(self) -> None:
            self.base = self._row().version
            self.unseen = {f: [] for f in FIELDS}

        @invariant()
        def every_field_holds_a_written_value(self) -> None:
            row = self._row()
            for f in FIELDS:
                assert getattr(row, f) == "start" or getattr(row, f).startswith(("up-", "node-"))

        def teardown(self) -> None:
            transaction.savepoint_rollback(self.savepoint)

    Merge.TestCase.settings = settings(max_examples=25, stateful_step_count=12, deadline=None,
                                       suppress_health_check=list(HealthCheck))
    Merge.TestCase().runTest()


def test_no_value_is_lost_under_random_interleavings(world: World) -> None:
    run_machine(world)
