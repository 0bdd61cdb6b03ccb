"""Faults of docs/sync.md survived by real processes on loopback: an upstream centre (gunicorn on PostgreSQL)
and a field node (gunicorn on SQLite), each its own server with its own keys, `manage.py sync` run as a
process on the node, a proxy between them that drops or cuts answers. One set of servers for the whole module
(the tests run in order and build on each other). Run alone: `pytest -m processes`.

Not here (see docs/sync.md): faults 5 and 6 (conflict inbox, duplicate survivors: upstream protocol work) and
a PostgreSQL commit landing after a later seq (tests/sync/test_commit_order.py, two connections)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fieldnode.processes import (
    PASSWORD,
    Installation,
    Proxy,
    create_database,
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


class Net:
    def __init__(self, base: Path) -> None:
        self.db_name = f"icmc_proc_{os.getpid()}"
        self.upstream = Installation(name="upstream", var=base / "upstream",
                                     database_url=create_database(self.db_name))
        self.upstream.manage("migrate", "--noinput", timeout=600)
        self.upstream.python(f"from icmc.demo.world import build_world; build_world(password='{PASSWORD}')")
        self.upstream.start()
        self.proxy = Proxy(upstream_port=self.upstream.port)
        bundle = base / "bundle.json"
        self.upstream.manage("node", "register", "--name", "EKH kit", "--user", "ahtu.ekh", "--user", "cm.meghalaya",
                             "--bundle", str(bundle), "--upstream-url", self.proxy.url)
        assert bundle.stat().st_mode & 0o777 == 0o600
        self.node_id = json.loads(bundle.read_text())["node"]["id"]
        self.node = Installation(name="node", var=base / "node",
                                 database_url=f"sqlite:///{base / 'node' / 'node.sqlite3'}",
                                 extra={"ICMC_NODE_MODE": "field"})
        self.node.manage("migrate", "--noinput", timeout=600)
        self.node.manage("fieldnode", "provision", str(bundle))
        bundle.unlink()
        self.node.start()
        self.up_cm = self.upstream.token("cm.meghalaya")
        self.node_ekh = self.node.token("ahtu.ekh")
        self.node_cm = self.node.token("cm.meghalaya")
        self.ekh_org = self.upstream.python(
            "from icmc.accounts.models import Organisation; "
            "print(Organisation.objects.get(memberships__user__username='ahtu.ekh').pk)")

    def sync(self, *args: str) -> tuple[int, str]:
        result = self.node.manage("sync", "--no-progress", *args, check=False)
        return result.returncode, result.stdout + result.stderr

    def report_upstream(self, summary: str = "Reported at the centre.") -> str:
        status, body = self.upstream.api("POST", "/cases", token=self.up_cm, body=case_body(
            summary=summary, source_ahtu=self.ekh_org))
        assert status == 201, body
        return str(body["id"])

    def close(self) -> None:
        self.node.stop()
        self.upstream.stop()
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
    net.node.python("from icmc.sync.models import Outbox; e = Outbox.objects.filter(status='applied')"
                    ".order_by('-seq').first(); e.args = {**e.args, 'body': 'tampered'}; e.status = 'pending'; "
                    "e.save()")
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
