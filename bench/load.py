"""The concurrent load test: gunicorn on 127.0.0.1 (config/gunicorn_conf.py, the production settings, on a free
port: 2 x cores + 1 sync workers unless ICMC_GUNICORN_* say otherwise) and simulated users.

Each simulated user is a thread holding its own logged-in session; the users start at random moments within
the first think time (a ramp-up, not one burst of fifty requests). Each loops until the deadline: the case
list (a random page among the first five), a case page (one of its visible cases), and one time in ten a note
posted through the case page's form, waiting a think time between requests. Every request opens its own
connection (no keep-alive surprises). A request that fails or answers anything but 200 (302 after a note) is
an error. At the end the peak resident memory (VmHWM) of each worker is read from /proc. Traffic goes to the
loopback address only, and the test stops by itself.
"""

from __future__ import annotations

import http.client
import random
import socket
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import PYTHON, ROOT, percentile

HOST = "127.0.0.1"
CSRF = "benchmarkcsrftoken0123456789abcd"  # 32 characters: Django accepts an unmasked token equal to the cookie
NOTE = "Benchmark: follow-up call made to the family."


@dataclass
class Samples:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, ms: float, ok: bool) -> None:
        with self.lock:
            self.latencies.append(ms)
            self.by_kind.setdefault(kind, []).append(ms)
            self.errors += not ok


def layout(env: dict[str, str]) -> str:
    """The workers config/gunicorn_conf.py gives under `env` ("sync x 5", "gthread x 3 x 4 threads")."""
    code = ("from config import gunicorn_conf as c; "
            "print(c.worker_class, c.workers, c.threads if c.worker_class == 'gthread' else '')")
    out = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    kind, workers, *threads = out.stdout.split()
    return f"{kind} x {workers}" + (f" x {threads[0]} threads" if threads else "")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(*, env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "config.wsgi:application", "-c", str(ROOT / "config" / "gunicorn_conf.py"),
         "--bind", f"{HOST}:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {server.stderr.read().decode()[-2000:] if server.stderr else ''}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/login/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer within 30 s")


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    if children.exists():
        return [int(pid) for pid in children.read_text().split()]
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return pids


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _request(port: int, method: str, path: str, headers: dict[str, str], body: str | None) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def simulated_user(user: dict[str, Any], *, port: int, deadline: float, samples: Samples, seed: int,
                   think: tuple[float, float]) -> None:
    rng = random.Random(seed)
    headers = {"Cookie": f"{user['cookie']}; csrftoken={CSRF}"}
    time.sleep(rng.uniform(0, think[1]))  # users arrive over the first think time, not all in the same instant
    while time.monotonic() < deadline:
        r = rng.random()
        case_id = rng.choice(user["case_ids"])
        if r < 0.45:
            kind, method, path, body, expect = "list", "GET", f"/cases/?page={rng.randint(1, 5)}", None, 200
        elif r < 0.9:
            kind, method, path, body, expect = "case", "GET", f"/cases/{case_id}/", None, 200
        else:
            kind, method, path, expect = "note", "POST", f"/cases/{case_id}/notes/", 302
            body = urllib.parse.urlencode({"body": NOTE, "csrfmiddlewaretoken": CSRF})
        sent = dict(headers)
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            status = _request(port, method, path, sent, body)
        except OSError:
            status = 0
        samples.add(kind, (time.perf_counter() - started) * 1000, status == expect)
        time.sleep(min(rng.uniform(*think), max(0.0, deadline - time.monotonic())))


def load_test(*, env: dict[str, str], users: list[dict[str, Any]], seconds: float,
              think: tuple[float, float]) -> dict[str, Any]:
    port = free_port()
    server = start_server(env=env, port=port)
    try:
        samples = Samples()
        started = time.monotonic()
        deadline = started + seconds
        threads = [threading.Thread(target=simulated_user, daemon=True,
                                    kwargs={"user": u, "port": port, "deadline": deadline, "samples": samples,
                                            "seed": i, "think": think})
                   for i, u in enumerate(users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=seconds + 60)
        elapsed = time.monotonic() - started
        rss = [peak_rss_mb(pid) for pid in worker_pids(server.pid)]
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    return {
        "users": len(users), "seconds": round(elapsed, 1), "requests": len(samples.latencies),
        "throughput": len(samples.latencies) / elapsed if elapsed else 0.0,
        "p50": percentile(samples.latencies, 50), "p95": percentile(samples.latencies, 95),
        "p95_by_kind": {k: percentile(v, 95) for k, v in sorted(samples.by_kind.items())},
        "errors": samples.errors, "workers": len(rss), "worker_peak_rss_mb": max(rss) if rss else float("nan"),
        "think_seconds": list(think), "worker_class": layout(env),
    }
