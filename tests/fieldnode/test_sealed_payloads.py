"""Sync payloads kept at rest are sealed (issue 6, device protection; issue 5): a field node's outbox holds the
args of every mutation it made — the names and phones of a case reported offline among them — and a centre
keeps the payloads of mutations it rejected or quarantined. Neither is readable from the database file without
the master key; moving a sealed payload to another row fails; the migration seals older rows and opens them
again when reversed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from icmc.demo.world import World, system_actor
from icmc.sync.actions import do_revoke_node
from icmc.sync.models import Mutation, Node, Outbox
from icmc.sync.sealing import args_of, kept_payload
from icmc.vault.actions import rotate_master_key
from icmc.vault.keyfile import new_key_line
from icmc.vault.keys import TamperedError
from tests.api.conftest import Api, make_token
from tests.factories import person_data, report_data
from tests.sync.conftest import register, upstream_for

pytestmark = pytest.mark.django_db

NAME, PHONE = "Rupali Hajong", "+91 98630 11223"


def _raw(table: str, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 (test-only constants)
        return " ".join(str(row[0]) for row in cursor.fetchall())


def test_offline_report_is_sealed_in_the_outbox(world: World, field_node: tuple[Node, str],
                                               client_as: Callable[[str], Client]) -> None:
    api = Api(Client(), make_token(world, "cm.meghalaya"))
    created = api.post("/cases", {**report_data(), "survivors": [person_data(NAME, phone=PHONE)], "suspects": []})
    assert created.status_code == 201, created.json()
    entry = Outbox.objects.get(action="report_case")
    stored = _raw("sync_outbox", "args_sealed")
    assert stored.startswith("v1:") and NAME not in stored and "Rupali" not in stored and "98630" not in stored
    assert args_of(entry)["survivors"][0]["name"] == NAME  # opened for the push, with the master key


def test_a_sealed_outbox_entry_moved_to_another_seq_fails(world: World, field_node: tuple[Node, str]) -> None:
    from icmc.sync.client import enqueue

    first = enqueue(action="add_note", args={"case": "x", "body": "one"}, user_id=world.users["ahtu.ekh"].id)
    second = enqueue(action="add_note", args={"case": "x", "body": "two"}, user_id=world.users["ahtu.ekh"].id)
    second.args_sealed = first.args_sealed
    with pytest.raises(TamperedError):
        args_of(second)


def test_rejected_and_quarantined_payloads_are_sealed_upstream(world: World) -> None:
    node, key = register(world, "ahtu.ekh", "cm.meghalaya")
    # An AHTU officer may not report a case: rejected, kept with its payload.
    report = {"seq": 1, "action": "report_case", "user": str(world.users["ahtu.ekh"].id), "base_versions": {},
              "client_time": "", "args": {"data": report_data(), "survivors": [person_data(NAME, phone=PHONE)],
                                          "suspects": []}}
    status, body = upstream_for(node, key).call(method="POST", endpoint="/push",
                                                payload={"node_id": str(node.id), "mutations": [report]})
    assert status == 200 and body["results"][0]["status"] == "rejected", body
    do_revoke_node(node, actor=system_actor())
    quarantined = {**report, "seq": 2, "user": str(world.users["cm.meghalaya"].id)}
    status, body = upstream_for(node, key).call(method="POST", endpoint="/push",
                                                payload={"node_id": str(node.id), "mutations": [quarantined]})
    assert status == 403 and body["results"][0]["status"] == "quarantined", body
    stored = _raw("sync_mutation", "payload_sealed")
    assert stored.count("v1:") == 2 and "Rupali" not in stored and "98630" not in stored
    kept = {m.seq: kept_payload(m) for m in Mutation.objects.filter(node=node)}
    assert kept[1]["args"]["survivors"][0]["name"] == NAME and kept[2]["args"]["survivors"][0]["phone"] == PHONE


def test_payloads_stay_readable_after_a_master_key_rotation(world: World, field_node: tuple[Node, str],
                                                            settings) -> None:  # type: ignore[no-untyped-def]
    from icmc.sync.client import enqueue

    entry = enqueue(action="add_note", args={"case": "x", "body": NAME}, user_id=world.users["ahtu.ekh"].id)
    settings.ICMC_MASTER_KEYS = new_key_line("rotated-9") + "\n" + settings.ICMC_MASTER_KEYS
    rotate_master_key(new_key_id="rotated-9")
    assert args_of(Outbox.objects.get(seq=entry.seq))["body"] == NAME


@pytest.mark.django_db(transaction=True)
def test_migration_seals_older_rows_and_reverses(world: World) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("sync", "0004_federation")])
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO sync_outbox (seq, action, args, base_versions, user_id, client_time, status) "
                       "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                       [1, "add_note", '{"case": "x", "body": "Rupali met her mother"}', "{}",
                        world.users["ahtu.ekh"].id.hex, "2026-01-01 10:00:00", "pending"])
    call_command("migrate", verbosity=0)
    assert "Rupali" not in _raw("sync_outbox", "args_sealed")
    assert args_of(Outbox.objects.get(seq=1)) == {"case": "x", "body": "Rupali met her mother"}
    MigrationExecutor(connection).migrate([("sync", "0004_federation")])
    assert "Rupali met her mother" in _raw("sync_outbox", "args")
    call_command("migrate", verbosity=0)
    assert args_of(Outbox.objects.get(seq=1)) == {"case": "x", "body": "Rupali met her mother"}


def test_an_altered_outbox_entry_stops_the_push_with_a_clear_error(world: World,
                                                                   field_node: tuple[Node, str]) -> None:
    from icmc.sync.client import SyncError, enqueue, run_session

    node, key = field_node
    entry = enqueue(action="add_note", args={"case": "x", "body": "one"}, user_id=world.users["ahtu.ekh"].id)
    Outbox.objects.filter(pk=entry.pk).update(args_sealed=entry.args_sealed[:-6] + "AAAAAA")
    with pytest.raises(SyncError, match="Outbox entry 1 cannot be opened"):
        run_session(upstream=upstream_for(node, key))
    assert Outbox.objects.get(seq=1).status == "pending"  # kept, not dropped
