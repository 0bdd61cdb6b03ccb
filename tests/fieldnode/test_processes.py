"""Faults of docs/sync.md survived by real processes on loopback: an upstream centre (gunicorn on PostgreSQL)
and field nodes (gunicorn on SQLite; a second kit for the two-node faults), each its own server with its own
keys, `manage.py sync` run as a process on the node, a proxy between them that drops or cuts answers. One set
of servers for the whole module (the tests run in order and build on each other; fault 7 revokes the first
kit, so it comes last). Run alone: `pytest -m processes`; `ICMC_PROCESSES_DB` names the PostgreSQL database.

Every fault of the design has its test here: 1, 2, 3, 4, 5 (two kits, same protected field), 6a (an edit
to a case closed meanwhile), 6b (the same survivor on two kits), 7, 8 (upstream restarted), 8b (a
PostgreSQL commit landing after a later write; also tests/sync/test_commit_order.py with two connections)
and 9. The table in docs/sync.md says which test shows what."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.fieldnode.processes import (
    PASSWORD,
    Holder,
    Installation,
    Proxy,
    create_database,
    database_name,
    drop_database,
    postgres_available,
    remove,
)

pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(not postgres_available(), reason="needs PostgreSQL on 127.0.0.1:5432"),
    # One set of servers, tests in order: not split over xdist workers (`make test-processes` runs them).
    pytest.mark.skipif(bool(os.environ.get("PYTEST_XDIST_WORKER")), reason="run alone: make test-processes"),
]


class FieldNode:
    """A field node (gunicorn on SQLite, its own var directory and keys), registered upstream for `users` and
    provisioned from its bundle; it reaches the upstream through the proxy."""

    def __init__(self, net: Net, *, slug: str, name: str, users: tuple[str, ...]) -> None:
        bundle = net.base / f"{slug}-bundle.json"
        net.upstream.manage("node", "register", "--name", name, *[a for u in users for a in ("--user", u)],
                            "--bundle", str(bundle), "--upstream-url", net.proxy.url)
        assert bundle.stat().st_mode & 0o777 == 0o600
        self.id = json.loads(bundle.read_text())["node"]["id"]
        self.server = Installation(name=slug, var=net.base / slug,
                                   database_url=f"sqlite:///{net.base / slug / 'node.sqlite3'}",
                                   extra={"ICMC_NODE_MODE": "field"})
        net.nodes.append(self)  # stopped by Net.close, even if what follows fails
        self.server.manage("migrate", "--noinput", timeout=600)
        self.server.manage("fieldnode", "provision", str(bundle))
        bundle.unlink()
        self.server.start()
        self.tokens = {user: self.server.token(user) for user in users}

    def sync(self, *args: str) -> tuple[int, str]:
        result = self.server.manage("sync", "--no-progress", *args, check=False)
        return result.returncode, result.stdout + result.stderr


class Net:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.db_name = database_name(f"icmc_proc_{os.getpid()}")
        self.nodes: list[FieldNode] = []
        try:
            self._start()
        except BaseException:
            self.close()  # no server left running when the set-up fails half-way
            raise

    def _start(self) -> None:
        self.upstream = Installation(name="upstream", var=self.base / "upstream",
                                     database_url=create_database(self.db_name))
        self.upstream.manage("migrate", "--noinput", timeout=600)
        self.upstream.python(f"from icmc.demo.world import build_world; build_world(password='{PASSWORD}')")
        self.upstream.start()
        self.proxy = Proxy(upstream_port=self.upstream.port)
        first = self.field_node(slug="node", name="EKH kit", users=("ahtu.ekh", "cm.meghalaya"))
        self.node, self.node_id = first.server, first.id
        self.up_cm = self.upstream.token("cm.meghalaya")
        self.node_ekh, self.node_cm = first.tokens["ahtu.ekh"], first.tokens["cm.meghalaya"]
        self.ekh_org = self.upstream.python(
            "from icmc.accounts.models import Organisation; "
            "print(Organisation.objects.get(memberships__user__username='ahtu.ekh').pk)")

    def field_node(self, *, slug: str, name: str, users: tuple[str, ...]) -> FieldNode:
        return FieldNode(self, slug=slug, name=name, users=users)

    def sync(self, *args: str) -> tuple[int, str]:
        return self.nodes[0].sync(*args)

    def report_upstream(self, summary: str = "Reported at the centre.") -> str:
        status, body = self.upstream.api("POST", "/cases", token=self.up_cm, body=case_body(
            summary=summary, source_ahtu=self.ekh_org))
        assert status == 201, body
        return str(body["id"])

    def close(self) -> None:
        for node in self.nodes:
            node.server.stop()
        if hasattr(self, "upstream"):
            self.upstream.stop()
        if hasattr(self, "proxy"):
            self.proxy.close()
        drop_database(self.db_name)


def case_body(**extra: str) -> dict[str, object]:
    return {"reported_at": "2026-11-30T10:00:00+05:30", "reporter_type": "family", "summary": "A case.",
            "exploitation_types": ["SexualExploitation"], "source_jurisdiction": "IN-ML-EAST-KHASI-HILLS",
            "destination_jurisdiction": "IN-AS-KAMRUP-METROPOLITAN",
            "survivors": [{"name": "Process Survivor", "gender": "Feminine", "estimated_age": 16}], **extra}


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Net]:
    base = tmp_path_factory.mktemp("procs")
    network = Net(base)
    try:
        yield network
    finally:
        network.close()
        remove(base)


@pytest.fixture(scope="module")
def second(net: Net) -> FieldNode:
    """A second field kit of the same team (the case manager's), for the two-node faults."""
    return net.field_node(slug="node2", name="EKH kit 2", users=("cm.meghalaya",))


TABLES = {"icmc.cases.models.Note": "cases_note", "icmc.cases.models.Case": "cases_case",
          "icmc.audit.models.AuditEvent": "audit_auditevent", "icmc.sync.models.Mutation": "sync_mutation",
          "icmc.sync.models.Outbox": "sync_outbox", "icmc.accounts.models.User": "accounts_user"}


def node_count(net: Net, model: str, **filters: str) -> int:
    return net.node.count(TABLES[model], **filters)


def upstream_count(net: Net, model: str, **filters: str) -> int:
    return net.upstream.count(TABLES[model], **filters)


def test_first_sync_materialises_the_scope(net: Net) -> None:
    case_id = net.report_upstream()
    code, out = net.sync()
    assert code == 0, out
    assert "Done in" in out and "pulled" in out
    status, body = net.node.api("GET", f"/cases/{case_id}", token=net.node_ekh)
    assert status == 200 and body["id"] == case_id


def test_offline_writes_replay_upstream_with_the_same_ids(net: Net) -> None:
    case_id = net.report_upstream()
    assert net.sync()[0] == 0
    net.proxy.fault = "down"
    status, note = net.node.api("POST", f"/cases/{case_id}/notes", token=net.node_ekh, body={"body": "Offline."})
    assert status == 201, note
    status, created = net.node.api("POST", "/cases", token=net.node_cm, body=case_body(summary="Offline report."))
    assert status == 201, created
    assert "-F" in created["reference"]  # provisional until the upstream's arrives
    code, out = net.sync()
    assert code != 0 and "nothing is lost" in out
    net.proxy.fault = None
    code, out = net.sync()
    assert code == 0 and "2 applied" in out, out
    status, upstream_case = net.upstream.api("GET", f"/cases/{created['id']}", token=net.up_cm)
    assert status == 200 and "-F" not in upstream_case["reference"]
    assert upstream_count(net, "icmc.cases.models.Note", id=note["id"]) == 1
    status, local = net.node.api("GET", f"/cases/{created['id']}", token=net.node_cm)
    assert local["reference"] == upstream_case["reference"]  # the pulled row took the upstream's reference
    # Every row the report created (places, people, referral proposals, deadline tasks) has the same id on both
    # sides: nothing is duplicated when the upstream's rows are pulled back.
    for table in ("cases_caseparty", "cases_caseplace", "deadlines_task", "referrals_referral"):
        assert net.node.ids(table, case_id=created["id"]) == net.upstream.ids(table, case_id=created["id"]), table


def test_fault_1_reply_lost_after_commit_is_a_duplicate(net: Net) -> None:
    case_id = net.report_upstream()
    assert net.sync()[0] == 0
    status, note = net.node.api("POST", f"/cases/{case_id}/notes", token=net.node_ekh, body={"body": "Once."})
    assert status == 201
    net.proxy.fault = "drop_post_reply"
    assert net.sync()[0] != 0
    assert upstream_count(net, "icmc.cases.models.Note", id=note["id"]) == 1  # committed upstream
    code, out = net.sync()
    assert code == 0 and "1 applied" in out, out
    assert upstream_count(net, "icmc.cases.models.Note", case_id=case_id) == 1  # not twice


@pytest.mark.parametrize("fault", ["drop_get", "cut_get"])
def test_fault_2_drop_or_partial_page_mid_pull_resumes(net: Net, fault: str) -> None:
    ids = [net.report_upstream(summary=f"Batch {fault} {i}.") for i in range(4)]
    net.proxy.gets, net.proxy.fault, net.proxy.fault_at = 0, fault, 2
    code, out = net.sync("--limit", "3")
    assert code != 0 and "run it again" in out, out
    code, out = net.sync("--limit", "3")
    assert code == 0, out
    for i, case_id in enumerate(ids):
        assert node_count(net, "icmc.cases.models.Case", id=case_id) == 1
        assert node_count(net, "icmc.cases.models.Case", summary=f"Batch {fault} {i}.") == 1  # no duplicates


def test_fault_3_same_seq_other_payload_is_refused_and_alerted(net: Net) -> None:
    case_id = net.report_upstream()
    assert net.sync()[0] == 0
    assert net.node.api("POST", f"/cases/{case_id}/notes", token=net.node_ekh, body={"body": "Sent."})[0] == 201
    assert net.sync()[0] == 0
    net.node.python("from icmc.sync.models import Outbox; from icmc.sync.sealing import args_of, seal_args; "
                    "e = Outbox.objects.filter(status='applied').order_by('-seq').first(); "
                    "e.args_sealed = seal_args(seq=e.seq, args={**args_of(e), 'body': 'tampered'}); "
                    "e.status = 'pending'; e.save()")
    code, out = net.sync()
    assert code == 0 and "1 refused" in out, out
    assert upstream_count(net, "icmc.audit.models.AuditEvent", action="sync.mutation_conflict") == 1
    assert node_count(net, "icmc.sync.models.Outbox", status="refused") == 1  # kept on the node, shown


def test_fault_4_node_clocks_in_2019_and_2035_do_not_reorder(net: Net) -> None:
    case_id = net.report_upstream()
    assert net.sync()[0] == 0
    user = net.node.python("from icmc.accounts.models import User; print(User.objects.get(username='ahtu.ekh').pk)")
    for year in (2035, 2019):
        net.node.python("import datetime; from icmc.sync.client import enqueue; "
                        f"enqueue(action='add_note', args={{'case': '{case_id}', 'body': 'clock {year}'}}, "
                        f"user_id='{user}', client_time=datetime.datetime({year}, 1, 1, tzinfo=datetime.UTC))")
    code, out = net.sync()
    assert code == 0 and "2 applied" in out, out
    order = net.upstream.python(f"from icmc.cases.models import Note; print([n.body for n in Note.objects.filter("
                                f"case_id='{case_id}').order_by('created_at')])")
    assert order == "['clock 2035', 'clock 2019']"  # the node's seq order, not its clock


def test_fault_8_upstream_restarted_between_attempts(net: Net) -> None:
    case_id = net.report_upstream()
    net.upstream.stop()
    code, out = net.sync()
    assert code != 0 and "nothing is lost" in out
    net.upstream.start()
    assert net.sync()[0] == 0
    assert node_count(net, "icmc.cases.models.Case", id=case_id) == 1


def test_fault_9_full_resync_keeps_the_outbox(net: Net) -> None:
    case_id = net.report_upstream()
    assert net.sync()[0] == 0
    status, note = net.node.api("POST", f"/cases/{case_id}/notes", token=net.node_ekh, body={"body": "Kept."})
    assert status == 201
    code, out = net.sync("--full")
    assert code == 0 and "1 applied" in out and "outbox is kept" in out, out
    assert upstream_count(net, "icmc.cases.models.Note", id=note["id"]) == 1


def test_unregistered_write_is_409_on_the_node(net: Net) -> None:
    status, body = net.node.api("POST", "/emergency-access/00000000-0000-0000-0000-000000000000/reviewed",
                                token=net.node_ekh, body={})
    assert status == 409 and "field node" in body["detail"]


def survivor_of(net: Net, case_id: str) -> str:
    status, body = net.upstream.api("GET", f"/cases/{case_id}", token=net.up_cm)
    assert status == 200, body
    return str(next(p["id"] for p in body["parties"] if p["role"] == "survivor"))


def pathway_rows(server: Installation, party_id: str) -> set[tuple[str, str, int]]:
    """(id, stage, version) of a survivor's pathway row(s), read straight from the database."""
    url = server.env["DATABASE_URL"]
    query = "SELECT id, stage, version FROM pathway_survivorpathway WHERE party_id = "
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            rows = conn.execute(query + "?", [party_id.replace("-", "")]).fetchall()
    else:
        with psycopg.connect(url) as conn:
            rows = conn.execute(query + "%s", [party_id]).fetchall()
    return {(str(uuid.UUID(str(i))), str(stage), int(version)) for i, stage, version in rows}


def outbox_result(node: Installation, status: str) -> dict[str, object]:
    """The stored result of the node's last outbox entry with `status` (JSON)."""
    return dict(json.loads(node.python(
        "import json; from icmc.sync.models import Outbox; "
        f"print(json.dumps(Outbox.objects.filter(status='{status}').order_by('-seq').first().result))")))


def test_fault_5_same_protected_field_on_two_offline_nodes(net: Net, second: FieldNode) -> None:
    """Both kits close the same case offline with different outcomes (status and outcome are protected):
    the first to sync is applied, the other is held in the case's conflict inbox; nothing is lost and the
    second kit converges to the upstream."""
    case_id = net.report_upstream()
    assert net.sync()[0] == 0 and second.sync()[0] == 0
    status, body = net.node.api("POST", f"/cases/{case_id}/close", token=net.node_cm,
                                body={"outcome": "no_prosecution_possible", "reason": "Accused absconded."})
    assert status == 200, body
    status, body = second.server.api("POST", f"/cases/{case_id}/close", token=second.tokens["cm.meghalaya"],
                                     body={"outcome": "survivor_withdrew", "reason": "She withdrew."})
    assert status == 200, body
    code, out = net.sync()
    assert code == 0 and "1 applied" in out, out
    code, out = second.sync()
    assert code == 0 and "1 conflict" in out, out
    assert net.upstream.count("cases_case", id=case_id, closure_outcome="no_prosecution_possible") == 1
    status, conflicts = net.upstream.api("GET", f"/cases/{case_id}/conflicts", token=net.up_cm)
    assert status == 200 and len(conflicts) == 1, conflicts
    held = conflicts[0]
    assert (held["kind"], held["action"], held["status"]) == ("held", "close_case", "open"), held
    assert "closure_outcome" in held["fields"] and "survivor_withdrew" in json.dumps(held["value"]), held
    assert held["node"] == "EKH kit 2"
    # The second kit keeps its mutation (shown as in conflict) and its replica shows what is in effect.
    assert second.server.count("sync_outbox", status="conflict") == 1
    assert second.server.count("cases_case", id=case_id, closure_outcome="no_prosecution_possible") == 1
    # The case owner resolves it: the other value is applied on request (here refused: the case is closed,
    # the conflict stays open) or kept.
    status, _ = net.upstream.api("POST", f"/sync/conflicts/{held['id']}/resolve", token=net.up_cm,
                                 body={"choice": "keep"})
    assert status == 200


def test_fault_6a_edit_to_a_case_closed_meanwhile(net: Net) -> None:
    """Offline, the kit moves a survivor on and adds a note; meanwhile the centre closes the case. The move is
    rejected with its reason (kept on the node), the note is applied, and the node's rows written by the
    rejected move go back to the upstream's."""
    case_id = net.report_upstream()
    party = survivor_of(net, case_id)
    shelter = net.upstream.python("from icmc.accounts.models import Organisation; "
                                  "print(Organisation.objects.get(name='Shakti Sadan Shillong').pk)")
    status, body = net.upstream.api("POST", f"/cases/{case_id}/pathway/shelter_stay", token=net.up_cm,
                                    body={"party": party, "shelter": shelter, "admitted_on": "2026-11-30"})
    assert status == 201, body
    assert net.sync()[0] == 0
    before = pathway_rows(net.upstream, party)
    status, body = net.node.api("POST", f"/cases/{case_id}/survivors/{party}/stage", token=net.node_cm,
                                body={"to": "rehabilitation"})
    assert status == 200, body
    status, note = net.node.api("POST", f"/cases/{case_id}/notes", token=net.node_cm,
                                body={"body": "Seen at the shelter."})
    assert status == 201, note
    assert pathway_rows(net.node, party) != before  # moved on the node
    status, body = net.upstream.api("POST", f"/cases/{case_id}/close", token=net.up_cm,
                                    body={"outcome": "no_prosecution_possible", "reason": "Accused absconded."})
    assert status == 200, body
    code, out = net.sync()
    assert code == 0 and "1 applied" in out and "1 rejected" in out, out
    rejected = outbox_result(net.node, "rejected")
    assert rejected["reason"] == "refused_by_workflow" and rejected["message"], rejected
    assert upstream_count(net, "icmc.cases.models.Note", id=note["id"]) == 1  # the note is applied
    assert node_count(net, "icmc.cases.models.Note", id=note["id"]) == 1
    # Converged: the survivor's stage is the upstream's on both sides, the case is closed on the node.
    assert pathway_rows(net.node, party) == pathway_rows(net.upstream, party) == before
    assert net.node.count("cases_case", id=case_id, status="Closed") == 1
    code, out = net.sync("--digest")
    assert code == 0 and "digest: match" in out, out


def test_fault_6b_same_survivor_registered_on_two_nodes(net: Net, second: FieldNode) -> None:
    """The same survivor reported on two kits offline: the upstream holds two persons (never merged
    automatically), and a person search finds both."""
    created = []
    for server, token in ((net.node, net.node_cm), (second.server, second.tokens["cm.meghalaya"])):
        body = case_body(summary="Met at the border.") | {"survivors": [
            {"name": "Twice Registered Lyngdoh", "gender": "Feminine", "estimated_age": 17}]}
        status, body = server.api("POST", "/cases", token=token, body=body)
        assert status == 201, body
        created.append(body)
    assert "1 applied" in net.sync()[1] and "1 applied" in second.sync()[1]
    persons = set()
    for case in created:
        status, body = net.upstream.api("GET", f"/cases/{case['id']}", token=net.up_cm)
        assert status == 200, body
        persons |= {p["person"]["id"] for p in body["parties"] if p["role"] == "survivor"}
    assert len(persons) == 2  # two persons, not merged
    status, found = net.upstream.api("POST", "/persons/search", token=net.up_cm,
                                     body={"name": "Twice Registered Lyngdoh"})
    assert status == 200, found
    assert persons <= {hit["id"] for hit in found["results"]}


def test_fault_8b_commit_after_a_later_write_is_not_skipped(net: Net) -> None:
    """A transaction on the upstream takes a change-feed entry and stays open while another write arrives
    and the node pulls. The holder writes its feed entry and holds *before* its audit event, so only the
    feed's own lock (record_changes, docs/sync.md "Commit order on PostgreSQL") keeps the later write from committing
    a higher seq first: without it the node's cursor would pass the held entry and skip it for ever."""
    case_id = net.report_upstream()
    assert net.sync()[0] == 0
    holder = Holder(net.upstream, code=(
        "from django.utils import timezone; from icmc.accounts.models import Membership\n"
        "from icmc.access.actor import Actor; from icmc.audit.record import record_event\n"
        "from icmc.cases.models import Note; from icmc.sync.feed import record_changes\n"
        "m = Membership.objects.select_related('user', 'organisation').get(user__username='cm.meghalaya', "
        "is_active=True)\n"
        f"note = Note(case_id='{case_id}', author=m.user, organisation=m.organisation, body='Held note.', "
        "created_at=timezone.now(), updated_at=timezone.now())\n"
        "note.save()\n"
        "record_changes(note, case_id=note.case_id)"), then=(
        "record_event(actor=Actor(user=m.user, membership=m, via='cli'), action='note.added', "
        "object_type='note', object_id=note.id, case_id=note.case_id, changed_fields=['body'])"))
    later: dict[str, object] = {}

    def write_later() -> None:
        later["status"], later["body"] = net.upstream.api("POST", f"/cases/{case_id}/notes", token=net.up_cm,
                                                          body={"body": "Later note."})

    writer = threading.Thread(target=write_later)
    try:
        writer.start()
        time.sleep(1.0)
        code, out = net.sync()  # pulls while the first transaction is still open
        assert code == 0, out
        waited = writer.is_alive()  # the later write waits for the held one
        pulled_meanwhile = node_count(net, "icmc.cases.models.Note", case_id=case_id)
    finally:
        holder.release()
        writer.join(timeout=60)
    assert later.get("status") == 201, later
    assert upstream_count(net, "icmc.cases.models.Note", case_id=case_id) == 2
    assert net.sync()[0] == 0
    assert node_count(net, "icmc.cases.models.Note", case_id=case_id) == 2  # the held one was not skipped
    assert waited and pulled_meanwhile == 0

def test_fault_7_revoked_while_offline_quarantines_and_wipes(net: Net) -> None:
    case_id = net.report_upstream()
    assert net.sync()[0] == 0
    status, _note = net.node.api("POST", f"/cases/{case_id}/notes", token=net.node_ekh, body={"body": "Pending."})
    assert status == 201
    master_key = (net.node.var / "master_key").read_text()
    net.upstream.manage("node", "revoke", net.node_id)
    code, out = net.sync()
    assert code != 0 and "revoked" in out
    assert upstream_count(net, "icmc.sync.models.Mutation", status="quarantined") == 1  # kept, not applied
    assert node_count(net, "icmc.cases.models.Case") == 0
    assert node_count(net, "icmc.accounts.models.User") == 0
    assert not (net.node.var / "node_key").exists()
    # The master key was destroyed (a development start makes a new, empty one: the old data stays sealed).
    key_file = net.node.var / "master_key"
    assert not key_file.exists() or key_file.read_text() != master_key
    status, _ = net.node.api("POST", f"/cases/{case_id}/notes", token=net.node_ekh, body={"body": "After."})
    assert status in (401, 409)
