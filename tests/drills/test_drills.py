"""Operational drills (docs/security.md items 22-25), each on a node of its own (a subprocess with its own
database, keys and var directory; loopback only):

- kill -9 of the application in the middle of writes, several times: every case whose commit was reported is
  there whole (parties, places, audit event), no case is partial, the audit chain verifies; on SQLite the file
  passes `PRAGMA integrity_check` and stays in WAL mode;
- PostgreSQL: the same, plus the server terminating the writer's connection mid-write (pg_terminate_backend):
  the writer fails cleanly, nothing is half-written, and the next writer works;
- backup and restore: the restored database serves the same cases and its chain verifies.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.drill

NODE = str(Path(__file__).with_name("node.py"))
PG = os.environ.get("ICMC_DRILL_PG", "postgres://postgres@127.0.0.1:5432")


def _env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update({"ICMC_ENV": "test", "ICMC_VAR_DIR": str(tmp_path / "var"), "DATABASE_URL": database_url,
                "ICMC_CONN_MAX_AGE": "0"})
    return env


def _node(env: dict[str, str], *args: str, timeout: int = 600) -> str:
    done = subprocess.run([sys.executable, NODE, *args], env=env, capture_output=True, text=True,  # noqa: S603
                          timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _kill_mid_write(env: dict[str, str], ids: Path, *, rounds: int, rng: random.Random) -> None:
    """Start a writer, let it commit a few cases, then SIGKILL it at a random moment (usually inside the next
    case's transaction). Every id it printed before dying is a committed case."""
    for round_ in range(rounds):
        writer = subprocess.Popen([sys.executable, NODE, "write", "10000"], env=env,  # noqa: S603
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert writer.stdout is not None
        with ids.open("a") as out:
            for _ in range(2 + round_ % 3):
                out.write(writer.stdout.readline())
            time.sleep(rng.uniform(0.0, 0.15))
            writer.send_signal(signal.SIGKILL)
            rest, _err = writer.communicate(timeout=60)
            out.write(rest)
        assert writer.returncode == -signal.SIGKILL


def _check(report: dict, *, at_least: int) -> None:
    assert report["committed"] >= at_least
    assert report["lost"] == 0, "a committed case is missing"
    assert report["partial"] == [], "a case was half-written"
    assert report["unaudited"] == [], "a case has no audit event"
    assert report["chain_problems"] == []
    assert report["details_readable"]


def test_sqlite_node_kill_9_during_writes_then_backup_and_restore(tmp_path):
    db = tmp_path / "node.sqlite3"
    env = _env(tmp_path, f"sqlite:///{db}")
    _node(env, "setup")
    ids = tmp_path / "committed.txt"
    _kill_mid_write(env, ids, rounds=5, rng=random.Random(22))
    report = json.loads(_node(env, "verify", str(ids)))
    _check(report, at_least=10)
    assert report["integrity"] == "ok" and report["journal_mode"] == "wal"

    # Backup (SQLite's online backup API) and restore into a fresh file: same cases, chain intact.
    import sqlite3

    restored = tmp_path / "restored.sqlite3"
    with sqlite3.connect(db) as source, sqlite3.connect(restored) as target:
        source.backup(target)
    again = json.loads(_node(_env(tmp_path, f"sqlite:///{restored}"), "verify", str(ids)))
    _check(again, at_least=report["committed"])
    assert (again["cases"], again["events"]) == (report["cases"], report["events"])


def _psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql],  # noqa: S603, S607
                   check=True, capture_output=True, timeout=120)


@pytest.fixture
def pg_database():
    try:
        _psql("SELECT 1")
    except (OSError, subprocess.SubprocessError):
        pytest.skip("no PostgreSQL server at ICMC_DRILL_PG")
    names = [f"icmc_drill_{uuid.uuid4().hex[:8]}", f"icmc_drill_{uuid.uuid4().hex[:8]}"]
    for name in names:
        _psql(f"CREATE DATABASE {name}")
    yield names
    for name in names:
        _psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_postgresql_node_kill_9_connection_termination_backup_and_restore(tmp_path, pg_database):
    name, restored = pg_database
    env = _env(tmp_path, f"{PG}/{name}")
    _node(env, "setup")
    ids = tmp_path / "committed.txt"
    _kill_mid_write(env, ids, rounds=4, rng=random.Random(23))

    # The server ends the writer's connection mid-write: the writer fails (no retry inside a transaction), and
    # whatever it had not committed is gone whole.
    writer = subprocess.Popen([sys.executable, NODE, "write", "10000"], env=env,  # noqa: S603
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert writer.stdout is not None
    with ids.open("a") as out:
        out.write(writer.stdout.readline())
        time.sleep(0.05)
        _psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' "  # noqa: S608
              "AND pid <> pg_backend_pid()")
        rest, err = writer.communicate(timeout=120)
        out.write(rest)
    assert writer.returncode != 0 and ("terminat" in err or "connection" in err)
    _node(env, "write", "2")  # and the next writer works (recovery)
    report = json.loads(_node(env, "verify", str(ids)))
    _check(report, at_least=8)

    dump = tmp_path / "node.dump"
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), f"{PG}/{name}"], check=True, timeout=300)  # noqa: S603, S607
    subprocess.run(["pg_restore", "--no-owner", "-d", f"{PG}/{restored}", str(dump)],  # noqa: S603, S607
                   check=True, timeout=300)
    again = json.loads(_node(_env(tmp_path, f"{PG}/{restored}"), "verify", str(ids)))
    _check(again, at_least=report["committed"])
    assert (again["cases"], again["events"]) == (report["cases"], report["events"])
