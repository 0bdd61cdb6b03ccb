"""`make bench`: ICMC's benchmarks on fresh SQLite and PostgreSQL databases of several sizes.

    .venv/bin/python bench/run.py [--quick] [--sizes 1000,10000] [--database sqlite|postgres|both]

For each database and size: a fresh database (SQLite: a file in a temporary directory; PostgreSQL: createdb
<prefix>_<size> on 127.0.0.1:5432 as postgres, the prefix from ICMC_BENCH_DB_PREFIX, default icmc_bench),
`manage.py migrate` and `manage.py generate` in child
processes, the in-process measurements (bench/measure.py) and the load test against gunicorn (bench/load.py).
Prints one table (metric, db, size, value, target, result) and writes it with the raw figures to
var/bench/bench-<timestamp>.json. A target that is missed is reported, not an error: the exit status is
non-zero only if the benchmark itself failed. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report
from bench.common import (
    DB_PREFIX,
    MANAGE,
    PG_HOST,
    PG_PORT,
    PG_USER,
    PYTHON,
    ROOT,
    SEED,
    Target,
    child_env,
    run,
    run_json,
)
from bench.load import load_test

# The sync bench's first sync pulls every case of the database to one node; sync.md's targets are for 1,000 and
# 10,000 cases (a field node serves a district, not a network), so larger databases skip it.
SYNC_MAX_CASES = 10_000


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _pg(*args: str) -> None:
    subprocess.run([*args, "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER], check=True, capture_output=True,
                   text=True)


@contextlib.contextmanager
def fresh_database(database: str, size: int, *, keep: bool, reuse: bool = False) -> Iterator[Target]:
    kept = os.environ.get("ICMC_VAR_DIR") if reuse else None  # the kept run's keys (its vault, its secret)
    var_dir = Path(kept) if kept else Path(tempfile.mkdtemp(prefix=f"icmc-bench-{database}-{size}-"))
    name = f"{DB_PREFIX}_{size}"
    if database == "sqlite":
        url = f"sqlite:///{var_dir / 'icmc.sqlite3'}"
    elif not reuse:
        _pg("dropdb", "--if-exists", name)
        _pg("createdb", name)
        url = f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
    else:
        url = f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
    try:
        yield Target(database=database, size=size, env=child_env(database_url=url, var_dir=var_dir))
    finally:
        if keep:
            say(f"  kept: DATABASE_URL={url} ICMC_VAR_DIR={var_dir}")
        else:
            if database == "postgres":
                _pg("dropdb", "--if-exists", name)
            shutil.rmtree(var_dir, ignore_errors=True)


PHASES = ("measure", "sync", "load")


def bench_one(target: Target, *, quick: bool, users: int, load_seconds: float,
              think: tuple[float, float], reuse: bool = False, only: tuple[str, ...] = PHASES) -> dict[str, Any]:
    label = f"[{target.database} {target.size}]"
    say(f"{label} migrate")
    run([PYTHON, MANAGE, "migrate", "--noinput", "-v", "0"], env=target.env)
    say(f"{label} generate {target.size} cases")
    started = time.perf_counter()
    written = None
    if not reuse:
        output = run([PYTHON, MANAGE, "generate", "--cases", str(target.size), "--seed", str(SEED), "--no-progress"],
                     env=target.env, timeout=4 * 3600)
        written = generate_rate(output)
    generate_seconds = time.perf_counter() - started
    result: dict[str, Any] = {
        "database": target.database, "size": target.size, "generate_seconds": round(generate_seconds, 1),
        # The writer's own rate (cases with their stories, per second of writing), else the child's wall time.
        "generate_rate": None if reuse else (written or target.size / generate_seconds),
        "measure": [], "sync": None, "load": None, "phase_errors": {}}

    def phase(name: str, step: Any) -> Any:
        """One phase; its failure is reported and the other phases' figures are kept."""
        try:
            return step()
        except Exception as exc:  # reported in the table, never hidden
            say(f"{label} {name} FAILED: {exc}")
            result["phase_errors"][name] = str(exc)
            return None

    if "measure" in only:
        say(f"{label} measure pages, API and intake")
        result["measure"] = phase("measure", lambda: run_json(
            [PYTHON, "-m", "bench.measure", *(["--quick"] if quick else [])], env=target.env)) or []
    if "sync" in only and target.size <= SYNC_MAX_CASES:
        say(f"{label} sync: first sync, nothing to do, incremental, push")
        result["sync"] = phase("sync", lambda: run_json([PYTHON, "-m", "bench.sync_bench"], env=target.env,
                                                        timeout=3600))
    elif "sync" in only:
        say(f"{label} sync: skipped (its targets are for first syncs of up to {SYNC_MAX_CASES:,} cases)")
    if "load" not in only:
        return result
    say(f"{label} load test: {users} users for {load_seconds:.0f} s")

    def load() -> Any:
        sessions = run_json([PYTHON, "-m", "bench.measure", "--sessions", str(users)], env=target.env)
        return load_test(env=target.env, users=sessions, seconds=load_seconds, think=think)

    result["load"] = phase("load test", load)
    return result


def generate_rate(output: str) -> float | None:
    """The cases per second `manage.py generate` reports ("... in 12.3 s (456 cases/s).")."""
    found = re.search(r"\((\d+(?:\.\d+)?) cases/s\)", output)
    return float(found.group(1)) if found else None


def environment() -> dict[str, Any]:
    def output(*args: str) -> str:
        try:
            return subprocess.run(list(args), capture_output=True, text=True, cwd=ROOT, check=False).stdout.strip()
        except OSError:
            return ""

    import sqlite3

    import django

    return {"python": platform.python_version(), "django": django.get_version(), "sqlite": sqlite3.sqlite_version,
            "postgres": output("psql", "-h", PG_HOST, "-U", PG_USER, "-tAc", "show server_version"),
            "cpus": os.cpu_count(), "platform": platform.platform(),
            "commit": output("git", "rev-parse", "--short", "HEAD")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes and a short load test (CI)")
    parser.add_argument("--sizes", help="comma-separated case counts (default: 1000,10000,100000; quick: 200,1000)")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--users", type=int, default=50, help="simulated users in the load test")
    parser.add_argument("--load-seconds", type=float, help="length of the load test (default 30; quick: 10)")
    parser.add_argument("--think", default="1,3",
                        help="think time of a simulated user between requests, MIN,MAX seconds (default 1,3)")
    parser.add_argument("--keep", action="store_true", help="keep the databases (prints how to reach them)")
    parser.add_argument("--reuse", action="store_true",
                        help="PostgreSQL only: measure the databases kept by an earlier --keep run (no generate; "
                             "set ICMC_VAR_DIR to the directory it printed, for its keys)")
    parser.add_argument("--only", help=f"comma-separated phases to run, of {','.join(PHASES)} (default: all; "
                                        "the database is made, or reused, either way)")
    args = parser.parse_args(argv)
    only = tuple(args.only.split(",")) if args.only else PHASES
    if unknown := set(only) - set(PHASES):
        parser.error(f"unknown phase(s): {', '.join(sorted(unknown))}")
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else (
        [200, 1000] if args.quick else [1000, 10000, 100000])
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    load_seconds = args.load_seconds or (10 if args.quick else 30)
    low, high = (float(x) for x in args.think.split(","))
    started = time.strftime("%Y%m%d-%H%M%S")
    results: list[dict[str, Any]] = []
    for database in databases:
        for size in sizes:
            try:
                reuse = args.reuse and database == "postgres"
                with fresh_database(database, size, keep=args.keep or reuse, reuse=reuse) as target:
                    results.append(bench_one(target, quick=args.quick, users=args.users, load_seconds=load_seconds,
                                             think=(low, high), reuse=reuse, only=only))
            except Exception as exc:  # a crash of one run is reported, and the others still run
                say(f"[{database} {size}] FAILED: {exc}")
                results.append({"database": database, "size": size, "error": str(exc)})
    rows = [row for result in results for row in report.rows_for(result)] + report.query_rows(results)
    print(report.table(rows))
    out_dir = ROOT / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"bench-{started}.json"
    path.write_text(json.dumps({"started": started, "quick": args.quick, "environment": environment(),
                                "rows": rows, "results": results}, indent=2, default=str))
    print(f"\nWritten to {path.relative_to(ROOT)}")
    return 1 if any("error" in r or r.get("phase_errors") for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
