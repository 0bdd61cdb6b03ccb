"""The node's sync session, command and page, against this process's upstream (the real-process tests in
tests/fieldnode/test_processes.py run a node and an upstream as separate servers)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from icmc.accounts.models import User
from icmc.cases.models import Case, Note
from icmc.demo.world import World, system_actor
from icmc.fieldnode import config, session
from icmc.fieldnode.bundle import install_bundle, make_bundle
from icmc.sync.actions import do_revoke_node
from icmc.sync.client import NodeRevoked, enqueue
from icmc.sync.models import Node, Outbox, PullState
from tests.factories import report_case
from tests.sync.conftest import client_transport

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The node's HTTP transport goes to this process's upstream through the test client."""
    monkeypatch.setattr(session, "http_transport", lambda **_kwargs: client_transport(Client()))


def ekh_case(world: World) -> Case:
    return report_case(world, source_ahtu=str(world.organisations["ahtu_ekh"].pk))


def test_session_pushes_then_pulls_and_summarises(world: World, field_node: tuple[Node, str],
                                                  in_process: None) -> None:
    case = ekh_case(world)
    enqueue(action="add_note", args={"case": str(case.id), "body": "From the field."},
            user_id=world.users["ahtu.ekh"].id)
    summary = session.sync_once()
    assert summary.sync.pushed == {"applied": 1} and summary.sync.changes > 0
    assert Note.objects.filter(case=case).count() == 1
    text = session.describe(summary, seconds=0.5)
    assert "pushed 1 applied" in text and "0 change(s) still waiting" in text
    assert PullState.objects.get().last_sync_at is not None


def test_sync_command_prints_a_summary(world: World, field_node: tuple[Node, str], in_process: None,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    ekh_case(world)
    call_command("sync", "--no-progress")
    out = capsys.readouterr().out
    assert "Done in" in out and "pulled" in out


def test_sync_command_needs_node_mode(world: World) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a field node"):
        call_command("sync")


def test_full_resync_keeps_the_outbox(world: World, field_node: tuple[Node, str], in_process: None) -> None:
    ekh_case(world)
    session.sync_once()
    enqueue(action="add_note", args={"case": "not-a-case", "body": "x"}, user_id=world.users["ahtu.ekh"].id)
    from icmc.fieldnode.resync import reset_for_full_resync

    reset_for_full_resync()
    assert Outbox.objects.filter(status="pending").count() == 1 and PullState.objects.get().cursor == ""
    summary = session.sync_once()
    assert summary.sync.pushed == {"rejected": 1} and summary.sync.changes > 0


def test_page_shows_state_and_sync_now(world: World, field_node: tuple[Node, str], in_process: None,
                                       client_as: Callable[[str], Client]) -> None:
    case = ekh_case(world)
    user = world.users["ahtu.ekh"].id
    enqueue(action="add_note", args={"case": str(case.id), "body": "ok"}, user_id=user)
    enqueue(action="add_note", args={"case": "00000000-0000-0000-0000-000000000000", "body": "lost?"},
            user_id=user)
    client = client_as("ahtu.ekh")
    page = client.get("/node/sync/")
    assert page.status_code == 200 and page.context["status"].pending and not page.context["status"].rejected
    done = client.post("/node/sync/now/", follow=True)
    status = done.context["status"]
    assert done.status_code == 200 and not status.pending and status.last_sync_at is not None
    assert [(r.seq, r.reason) for r in status.rejected] == [(2, "not_found")]  # kept, with its reason
    assert b"Done in" in done.content and b"not_found" in done.content


@pytest.mark.django_db(transaction=True)  # the wipe empties every table, as on a real node (no test transaction)
def test_revoked_node_wipes_its_replica_and_keys(world: World, field_node: tuple[Node, str], in_process: None,
                                                 node_files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    master = node_files / "master_key"
    master.write_text("k1:" + "A" * 43 + "=\n")
    monkeypatch.delenv("ICMC_MASTER_KEY", raising=False)
    monkeypatch.setenv("ICMC_MASTER_KEY_FILE", str(master))
    node, _key = field_node
    case = ekh_case(world)
    enqueue(action="add_note", args={"case": str(case.id), "body": "pending"}, user_id=world.users["ahtu.ekh"].id)
    do_revoke_node(node, actor=system_actor())
    with pytest.raises(NodeRevoked):
        session.sync_once()
    assert not Case.objects.exists() and not User.objects.exists() and not Outbox.objects.exists()
    assert not master.exists() and not (node_files / "node_key").exists()
    assert config.identity().revoked
    with pytest.raises(NodeRevoked):
        session.sync_once()


def test_bundle_round_trip(world: World, field_node: tuple[Node, str], node_files: Path) -> None:
    node, key = field_node
    bundle: dict[str, Any] = make_bundle(node=node, private_key=key, upstream_url="https://centre.example/api/v1/sync")
    assert {u["username"] for u in bundle["users"]} == {"ahtu.ekh", "cm.meghalaya"}
    assert json.loads(json.dumps(bundle)) == bundle
    identity = install_bundle(bundle)
    assert identity.node_id == str(node.id) and config.private_key() == key
    assert identity.upstream_url == "https://centre.example/api/v1/sync"


class DigestStub:
    """This process's upstream, with the digest answer scripted (412 the first time, then a match)."""

    def __init__(self) -> None:
        self.inner = client_transport(Client())
        self.digests: list[str] = []

    def __call__(self, *, method: str, path: str, query: str, body: bytes, headers: dict[str, str]) -> Any:
        if path.endswith("/digest"):
            self.digests.append(query)
            return (412, {"detail": "mismatch"}) if len(self.digests) == 1 else (200, {"match": True})
        return self.inner(method=method, path=path, query=query, body=body, headers=headers)


def test_digest_mismatch_does_a_full_resync_keeping_the_outbox(world: World, field_node: tuple[Node, str]) -> None:
    case = ekh_case(world)
    stub = DigestStub()
    session.sync_once(transport=stub)
    pulled_once = PullState.objects.get().pulled
    enqueue(action="add_note", args={"case": str(case.id), "body": "Kept."}, user_id=world.users["ahtu.ekh"].id)
    summary = session.sync_once(transport=stub, digest=True)
    assert summary.digest == "mismatch: full resync done"
    assert summary.sync.pushed == {"applied": 1}  # the outbox went first, kept through the resync
    assert PullState.objects.get().pulled >= pulled_once  # everything pulled again from the start
    assert stub.digests[0].startswith("digest=") and len(stub.digests[0]) == len("digest=") + 64
    assert session.sync_once(transport=stub, digest=True).digest == "match"


def test_pulled_names_and_place_details_are_sealed_with_the_nodes_keys(
        world: World, field_node: tuple[Node, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """When the feed carries plain identity values (to a node cleared for P0), the node seals them under its
    own keys: the columns hold tokens, the Replica copy holds no plain value, and reading gives the name."""
    import uuid

    from icmc.cases.models import CasePlace, PersonName
    from icmc.fieldnode.materialise import apply_changes
    from icmc.sync import projection
    from icmc.sync.models import Replica
    from icmc.vault.models import PersonKey

    monkeypatch.setitem(projection.PROJECTIONS, "cases.personname", projection.Projection(
        model="cases.PersonName", scope="identity", fields=("person", "script", "is_alias", "position", "version")))
    case = ekh_case(world)
    name = PersonName.objects.filter(person__parties__case=case).first()
    place = CasePlace.objects.filter(case=case).first()
    assert name is not None and place is not None
    new_id = uuid.uuid4()
    changes = [
        {"seq": 1, "op": "put", "type": "cases.personname", "id": str(new_id), "version": 1,
         "data": {"person": str(name.person_id), "script": "Latn", "is_alias": True, "position": 9, "version": 1,
                  "value": "Pulled Alias"}},
        {"seq": 2, "op": "put", "type": "cases.caseplace", "id": str(place.id), "version": 2,
         "data": {"case": str(case.id), "kind": place.kind, "jurisdiction": place.jurisdiction_id,
                  "position": place.position, "version": 2, "detail": "Behind the pulled market"}},
    ]
    for change in changes:
        Replica.objects.create(object_type=change["type"], object_id=change["id"], version=change["version"],
                               seq=change["seq"], data=change["data"])
    apply_changes(changes)
    row = PersonName.objects.get(pk=new_id)
    assert row.value == "Pulled Alias" and "Pulled" not in row.value_sealed and row.value_sealed
    assert PersonKey.objects.filter(person_id=name.person_id).exists()
    assert CasePlace.objects.get(pk=place.pk).detail == "Behind the pulled market"
    assert "market" not in CasePlace.objects.filter(pk=place.pk).values_list("detail_sealed", flat=True)[0]
    for replica in Replica.objects.all():
        assert "value" not in replica.data and "detail" not in replica.data


def test_sync_every_keeps_syncing_and_reports_failures(world: World, field_node: tuple[Node, str],
                                                       in_process: None, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from icmc.fieldnode.management.commands import sync as command

    ekh_case(world)
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 1:  # the network goes away for the second session
            monkeypatch.setattr(session, "http_transport", lambda **_kwargs: _offline)
        if len(sleeps) == 3:
            raise KeyboardInterrupt

    def _offline(**_kwargs: Any) -> Any:
        raise OSError("network unreachable")

    monkeypatch.setattr(command.time, "sleep", sleep)
    with pytest.raises(KeyboardInterrupt):
        call_command("sync", "--every", "60", "--no-progress")
    captured = capsys.readouterr()
    assert sleeps == [60, 60, 60]
    assert captured.out.count("Done in") == 1 and captured.err.count("nothing is lost") == 2


def test_conflicts_are_listed_on_the_node(world: World, field_node: tuple[Node, str]) -> None:
    from icmc.fieldnode.status import node_status

    user = world.users["ahtu.ekh"].id
    for _ in range(3):
        enqueue(action="add_note", args={"case": "00000000-0000-0000-0000-000000000000", "body": "x"}, user_id=user)
    Outbox.objects.filter(seq=1).update(status="conflict", result={"seq": 1, "status": "conflict",
                                                                   "fields": ["stage"], "conflicts": ["c1"]})
    Outbox.objects.filter(seq=2).update(status="applied", result={"seq": 2, "status": "applied", "conflicts": ["c2"]})
    Outbox.objects.filter(seq=3).update(status="applied", result={"seq": 3, "status": "applied"})
    status = node_status()
    assert [row.seq for row in status.conflicts] == [1, 2]
    assert "conflict inbox" in status.conflicts[1].reason
