"""Property (hypothesis state machine): two field nodes edit the same record offline in any interleaving and
sync in any order; once both have synced twice, both hold the upstream's state, and every value that a push
overwrote without its node having seen it is kept in a conflict record (docs/sync.md, "Conflicts").

Each node here is the protocol's client in memory (its replica, cursor and outbox), talking to this process's
upstream through the signed endpoints; the real-process tests (test_processes.py) run real nodes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from icmc.demo.world import World
from icmc.prosecution.models import FIR
from icmc.sync.models import Node
from tests.factories import report_case
from tests.sync.conftest import register, upstream_for

conflicts = pytest.importorskip("icmc.sync.conflicts", reason="needs the conflict inbox (upstream protocol)")
pytestmark = pytest.mark.django_db(transaction=False)

FIELDS = ("number", "police_station_name")
VALUES = st.sampled_from(["1", "2", "3"])


@dataclass
class SimNode:
    """A field node reduced to the protocol: replica {(type, id): (version, data)}, cursor, outbox."""

    world: World
    node: Node
    key: str
    user: str
    replica: dict[tuple[str, str], tuple[int, dict[str, Any]]] = field(default_factory=dict)
    cursor: str = ""
    outbox: list[dict[str, Any]] = field(default_factory=list)
    seq: int = 0

    def edit(self, *, case_id: str, fir_id: str, name: str, value: str) -> None:
        version, data = self.replica[("prosecution.fir", fir_id)]
        args = {"case": case_id, "police_station_name": data["police_station_name"], "number": data["number"],
                "registered_on": data["registered_on"], name: value}
        self.seq += 1
        self.outbox.append({"seq": self.seq, "action": "record_fir", "user": str(self.world.users[self.user].id),
                            "args": args, "base_versions": {f"prosecution.fir:{fir_id}": version},
                            "client_time": "2035-01-01T00:00:00Z"})

    def sync(self) -> list[dict[str, Any]]:
        up = upstream_for(self.node, self.key)
        results: list[dict[str, Any]] = []
        if self.outbox:
            status, body = up.call(method="POST", endpoint="/push",
                                   payload={"node_id": str(self.node.id), "mutations": self.outbox})
            assert status == 200, body
            results = body["results"]
            self.outbox = []
        more = True
        while more:
            status, body = up.call(method="GET", endpoint="/feed", params={"cursor": self.cursor, "limit": 50})
            assert status == 200, body
            for change in body["changes"]:
                key = (change["type"], change["id"])
                if change["op"] == "remove":
                    self.replica.pop(key, None)
                elif key not in self.replica or self.replica[key][0] <= change["version"]:
                    self.replica[key] = (change["version"], change["data"])
            self.cursor, more = body["cursor"], body["has_more"]
        return results


def run_machine(world: World) -> None:
    case = report_case(world, source_ahtu=str(world.organisations["ahtu_ekh"].pk), fir_police_station_name="Sadar",
                       fir_number="1/2026", fir_date="2026-01-02")
    fir = FIR.objects.get(case=case)
    a_node, a_key = register(world, "ahtu.ekh", name="kit A")
    b_node, b_key = register(world, "cm.meghalaya", name="kit B")

    class TwoNodes(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.savepoint = transaction.savepoint()
            self.nodes = [SimNode(world, a_node, a_key, "ahtu.ekh"), SimNode(world, b_node, b_key, "cm.meghalaya")]
            for node in self.nodes:
                node.node.refresh_from_db()
                node.seq = int(node.node.last_seq)
                node.sync()
            self.history: dict[str, list[tuple[int, str]]] = {}  # field -> [(version written at, value)]

        def _fir(self) -> FIR:
            return FIR.objects.get(pk=fir.pk)

        @rule(n=st.integers(0, 1), name=st.sampled_from(FIELDS), value=VALUES)
        def edit_offline(self, n: int, name: str, value: str) -> None:
            self.nodes[n].edit(case_id=str(case.id), fir_id=str(fir.id), name=name, value=f"{'AB'[n]}{value}")

        @rule(n=st.integers(0, 1))
        def sync(self, n: int) -> None:
            node = self.nodes[n]
            pushed = list(node.outbox)
            before = {name: getattr(self._fir(), name) for name in FIELDS}
            seen = {name: before[name] for name in FIELDS}
            for mutation, result in zip(pushed, node.sync(), strict=False):
                assert result["status"] in ("applied", "conflict", "duplicate"), result
                row = self._fir()
                for name in FIELDS:
                    wanted = mutation["args"][name]
                    if getattr(row, name) == wanted and seen[name] != wanted and result["status"] == "applied":
                        base = mutation["base_versions"][f"prosecution.fir:{fir.id}"]
                        unseen = [v for at, v in self.history.get(name, []) if at > base and v == seen[name]]
                        if unseen:  # the push replaced a value its node had not seen: it must be kept
                            kept = [conflicts.values_of(c).get(name)
                                    for c in conflicts.ConflictRecord.objects.filter(object_id=fir.pk)]
                            assert seen[name] in kept, (name, seen[name], kept)
                    if getattr(row, name) != seen[name]:
                        self.history.setdefault(name, []).append((row.version, getattr(row, name)))
                    seen[name] = getattr(row, name)

        @invariant()
        def upstream_holds_written_values(self) -> None:
            row = self._fir()
            assert row.number in ("1/2026", "A1", "A2", "A3", "B1", "B2", "B3")

        def teardown(self) -> None:
            for _round in range(2):
                for node in self.nodes:
                    node.sync()
            key = ("prosecution.fir", str(fir.id))
            a, b = (node.replica[key] for node in self.nodes)
            assert a == b, (a, b)  # both nodes converge ...
            row = self._fir()
            upstream_values = {name: getattr(row, name) for name in FIELDS}
            assert {name: a[1][name] for name in FIELDS} == upstream_values  # ... on the upstream's state
            transaction.savepoint_rollback(self.savepoint)

    TwoNodes.TestCase.settings = settings(max_examples=20, stateful_step_count=10, deadline=None,
                                          suppress_health_check=list(HealthCheck))
    TwoNodes.TestCase().runTest()


def test_two_nodes_converge_and_lose_nothing(world: World) -> None:
    run_machine(world)
