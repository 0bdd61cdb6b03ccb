# ruff: noqa: S603, S607  (test harness: runs this project's manage.py, gunicorn and PostgreSQL's tools)
"""Real processes on loopback for the field node tests: an upstream centre (gunicorn, PostgreSQL) and a field
node (gunicorn, SQLite), each its own server process with its own var directory (keys), and a small HTTP proxy
between the node and the upstream that can drop or cut answers (the faults of docs/sync.md)."""

from __future__ import annotations

import http.client
import http.server
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery-staple"
PG = "postgres://postgres@127.0.0.1:5432"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postgres_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


class Installation:
    """One ICMC installation: its environment, manage.py commands and (once started) its server."""

    def __init__(self, *, name: str, var: Path, database_url: str, extra: dict[str, str] | None = None) -> None:
        self.name, self.var = name, var
        var.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.env = {**os.environ, "ICMC_ENV": "test", "ICMC_VAR_DIR": str(var), "DATABASE_URL": database_url,
                    "ICMC_CONN_MAX_AGE": "0", "PYTHONDONTWRITEBYTECODE": "1", **(extra or {})}
        self.env.pop("ICMC_MASTER_KEY", None)
        self.server: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str, check: bool = True, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, text=True,
                                capture_output=True, timeout=timeout, check=False)
        if check and result.returncode != 0:
            raise AssertionError(f"{self.name}: manage.py {args[0]} failed: {result.stderr[-2000:]}")
        return result

    def python(self, code: str) -> str:
        """Run Django code in this installation (outside its server), return what it prints."""
        out = self.manage("shell", "--no-imports", "-c", code).stdout.strip()
        return out.splitlines()[-1] if out else ""

    def count(self, table: str, **where: str) -> int:
        """Rows of `table` matching `where` (equality), read straight from the database (no Django start-up)."""
        url = self.env["DATABASE_URL"]
        clause = " AND ".join(f"{column} = %s" for column in where) or "1 = 1"
        query = f"SELECT COUNT(*) FROM {table} WHERE {clause}"  # noqa: S608 (test code, names from the tests)
        values = [str(v).replace("-", "") if url.startswith("sqlite") and k.endswith("id") else v
                  for k, v in where.items()]
        if url.startswith("sqlite"):
            with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
                return int(conn.execute(query.replace("%s", "?"), values).fetchone()[0])
        with psycopg.connect(url) as conn:
            row = conn.execute(query, list(where.values())).fetchone()
            return int(row[0]) if row else 0

    def ids(self, table: str, *, case_id: str) -> set[str]:
        """The ids of the rows of `table` belonging to a case, as hyphenated UUID strings."""
        url = self.env["DATABASE_URL"]
        if url.startswith("sqlite"):
            with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
                rows = conn.execute(f"SELECT id FROM {table} WHERE case_id = ?",  # noqa: S608 (test code)
                                    [case_id.replace("-", "")]).fetchall()
        else:
            with psycopg.connect(url) as conn:
                rows = conn.execute(f"SELECT id FROM {table} WHERE case_id = %s", [case_id]).fetchall()  # noqa: S608
        return {str(uuid.UUID(str(row[0]))) for row in rows}

    def start(self) -> None:
        log = (self.var / "server.log").open("ab")
        self.server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", "1",
             "--threads", "4", "--timeout", "60"], cwd=ROOT, env=self.env, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/login/", timeout=2).close()  # noqa: S310 (loopback)
                return
            except (OSError, http.client.HTTPException):
                time.sleep(0.3)
        raise AssertionError(f"{self.name} did not start: {(self.var / 'server.log').read_text()[-2000:]}")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.server.kill()
            self.server = None

    def api(self, method: str, path: str, *, token: str, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 (loopback)
            f"{self.url}/api/v1{path}", data=data, method=method,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def token(self, username: str) -> str:
        return self.python(
            "from icmc.accounts.models import Membership; from icmc.access.actor import Actor; "
            "from icmc.accounts.actions import do_create_api_token; "
            f"m = Membership.objects.select_related('user', 'organisation__jurisdiction').get(user__username='{username}', is_active=True); "  # noqa: E501
            "print(do_create_api_token(actor=Actor(user=m.user, membership=m, via='admin'), label='t')[1])")


class Proxy:
    """Forwards the node's requests to the upstream. `fault` (set by a test) changes one answer:
    "drop_post_reply" (the upstream commits the push, the node gets no reply), "drop_get" (the n-th feed
    request gets no reply), "cut_get" (the n-th feed answer is cut half-way), "down" (no upstream at all)."""

    def __init__(self, *, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.fault: str | None = None
        self.fault_at = 1
        self.gets = 0
        self.port = free_port()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if proxy.fault == "down":
                    self.close_connection = True
                    return
                conn = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                conn.request(self.command, self.path, body=body or None, headers=headers)
                reply = conn.getresponse()
                payload = reply.read()
                conn.close()
                if self.command == "POST" and proxy.fault == "drop_post_reply":
                    proxy.fault = None
                    self.close_connection = True
                    return
                if self.command == "GET":
                    proxy.gets += 1
                    if proxy.fault in ("drop_get", "cut_get") and proxy.gets == proxy.fault_at:
                        fault, proxy.fault = proxy.fault, None
                        if fault == "drop_get":
                            self.close_connection = True
                            return
                        self.send_response(reply.status)
                        self.send_header("Content-Type", "application/json")
                        self.send_header("Content-Length", str(len(payload)))
                        self.end_headers()
                        self.wfile.write(payload[: len(payload) // 2])
                        self.close_connection = True
                        return
                self.send_response(reply.status)
                for key, value in reply.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = _forward
            do_POST = _forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1/sync"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Holder:
    """A transaction held open in its own process on an installation: `code` (Django code, run inside
    `transaction.atomic()`) writes, then the process waits, transaction open, until `release()`, which runs
    `then` in the same transaction and commits it. For commit-order faults: another write made meanwhile must
    not let a node skip this one."""

    def __init__(self, installation: Installation, code: str, then: str = "pass") -> None:
        script = ("import sys\nfrom django.db import transaction\nwith transaction.atomic():\n"
                  + "".join(f"    {line}\n" for line in code.splitlines())
                  + "    print('held', flush=True)\n    sys.stdin.readline()\n"
                  + "".join(f"    {line}\n" for line in then.splitlines())
                  + "print('committed', flush=True)\n")
        self.process = subprocess.Popen([sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
                                        cwd=ROOT, env=installation.env, text=True, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if line.strip() != "held":
            self.process.kill()
            raise AssertionError(f"the holder did not start: {line}{self.process.stderr.read()[-2000:]}")  # type: ignore[union-attr]

    def release(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline().strip() == "committed"
        self.process.wait(timeout=60)


def database_name(default: str) -> str:
    """The PostgreSQL database of a run: ICMC_PROCESSES_DB if set (runs side by side need their own)."""
    return os.environ.get("ICMC_PROCESSES_DB") or default


def create_database(name: str) -> str:
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True,
                   capture_output=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True, capture_output=True)
    return f"{PG}/{name}"


def drop_database(name: str) -> None:
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", name], check=False,
                   capture_output=True)


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
