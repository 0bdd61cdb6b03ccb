"""Profile the case page alone on a generated database (a kept `bench/run.py --keep` one).

    ICMC_VAR_DIR=<dir> DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> ICMC_ENV=development DEBUG=0 \
        .venv/bin/python -m bench.case_page [--runs 40] [--profile] [--explain] [--queries]

As bench/measure.py measures it (same personas, force_login with the second factor, Django's test Client, the
whole middleware stack): `GET /cases/<id>/` for random cases each persona may see (a fixed seed, so runs after
a change read the same cases). Prints per persona the wall time p50/p95, the process CPU time p50 (what the
Python side costs, whatever else runs on the machine), the SQL time the captured queries took (p50) and the
query counts. --profile: the top functions under cProfile (cumulative and own CPU time). --explain: every captured
SELECT of a few requests re-run under EXPLAIN ANALYZE (PostgreSQL), the slowest shown by their first characters
(ids and keys only: the SQL of this page carries no personal data in clear). --queries: the queries of one
request, grouped by their shape. --save DIR / --compare DIR: write each page (whitespace collapsed, the CSRF
token blanked) and the ids of the cases read to DIR, or read the same cases again and compare the pages with those
saved (before and after a change: nothing a user sees may change; the same cases even if some were added to the
database since); only the number of differing pages and their position is printed, never their content. The pages hold
the (synthetic) identities of the generated database: DIR is created private (0700); use it on generated data only.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import re
import statistics
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.common import percentile  # noqa: E402
from bench.measure import _actor, _second_factor, personas  # noqa: E402
from icmc.access.queries import visible_cases  # noqa: E402


def _client(membership: Any) -> Client:
    client = Client()
    client.force_login(membership.user)
    store = client.session
    store.update(_second_factor(membership.user))
    store.save()
    return client


def _shape(sql: str) -> str:
    """A query with its literals taken out, to group the queries of one request."""
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    return sql[:150]


def _normalised(html: bytes) -> str:
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value=""', html.decode())
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"> <", "><", text).strip()


def _explain(sql: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        import json

        plan = json.loads(plan)
    return float(plan[0]["Execution Time"]) + float(plan[0]["Planning Time"])


def run(label: str, membership: Any, *, runs: int, args: argparse.Namespace) -> None:
    rng = random.Random(11)
    kept = Path(args.save or args.compare or ".") / f"{label.replace(' ', '_')}-cases.txt"
    if args.compare and kept.exists():  # the cases of --save, even if cases were added since (they shift the list)
        sample = [uuid.UUID(line) for line in kept.read_text().split()][:runs]
    else:
        ids = list(visible_cases(actor=_actor(membership)).order_by("pk").values_list("pk", flat=True)[:5000])
        sample = [rng.choice(ids) for _ in range(runs)]
    if args.save:
        kept.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        kept.write_text("\n".join(str(case_id) for case_id in sample))
    client = _client(membership)
    for case_id in sample[:3]:
        assert client.get(f"/cases/{case_id}/").status_code == 200
    walls, cpus, sqls, counts = [], [], [], []
    slow: list[tuple[float, str]] = []
    differ: list[int] = []
    shapes: Counter[str] = Counter()
    # Process time, not wall time: what the Python side costs, without the waits for the database.
    profile = cProfile.Profile(time.process_time) if args.profile else None
    for i, case_id in enumerate(sample):
        with CaptureQueriesContext(connection) as ctx:
            cpu, wall = time.process_time(), time.perf_counter()
            if profile is not None:
                profile.enable()
            response = client.get(f"/cases/{case_id}/")
            if profile is not None:
                profile.disable()
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, response.status_code
        if args.save or args.compare:
            path = Path(args.save or args.compare) / f"{label.replace(' ', '_')}-{i:03d}.html"
            if args.save:
                path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                path.write_text(_normalised(response.content))
            elif path.read_text() != _normalised(response.content):
                differ.append(i)
        counts.append(len(ctx.captured_queries))
        sqls.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
        if args.queries and i == 0:
            shapes.update(_shape(q["sql"]) for q in ctx.captured_queries)
        if args.explain and i < 5 and connection.vendor == "postgresql":
            for q in ctx.captured_queries:
                if q["sql"].lstrip().upper().startswith("SELECT"):
                    slow.append((_explain(q["sql"]), q["sql"]))
    print(f"{label}: wall p50 {statistics.median(walls):.1f} p95 {percentile(walls, 95):.1f} ms; "
          f"CPU p50 {statistics.median(cpus):.1f} ms; SQL (client side) p50 {statistics.median(sqls):.1f} ms; "
          f"queries {min(counts)}-{max(counts)} (p50 {statistics.median(counts):g}); {len(response.content)} bytes")
    if args.compare:
        print(f"  compared with {args.compare}: {len(differ)} of {len(sample)} pages differ {differ[:20]}")
    if shapes:
        for shape, n in shapes.most_common():
            print(f"  {n} x {shape}")
    print_slowest(slow, requests=5, profile=profile, args=args)


def print_slowest(slow: list[tuple[float, str]], *, requests: int, profile: cProfile.Profile | None,
                  args: argparse.Namespace) -> None:
    """The EXPLAIN ANALYZE times of `requests` requests' SELECTs (per request, and the slowest statements by
    shape), then the profile (cumulative and own time; --dump writes it): shared with bench/intake.py."""
    if slow:
        total = sum(t for t, _sql in slow) / requests
        print(f"  EXPLAIN ANALYZE, {requests} requests: {total:.1f} ms of SQL per request; slowest:")
        for t, sql in sorted(slow, key=lambda item: -item[0])[:args.top]:
            print(f"  {t:7.2f} ms  {_shape(sql)[:140]}")
    if profile is not None:
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        if args.dump:
            stats.dump_stats(args.dump)
        stats.sort_stats("cumulative").print_stats(args.top * 2)
        stats.sort_stats("tottime").print_stats(args.top)
        print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--queries", action="store_true")
    parser.add_argument("--dump", help="write the cProfile statistics to this file")
    parser.add_argument("--save")
    parser.add_argument("--compare")
    parser.add_argument("--persona", choices=["case manager", "AHTU officer"])
    args = parser.parse_args()
    for label, membership in personas().items():
        if membership is not None and args.persona in (None, label):
            run(label, membership, runs=args.runs, args=args)


if __name__ == "__main__":
    main()
