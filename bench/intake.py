"""Profile intake alone on a generated database (a kept `bench/run.py --keep` one).

    ICMC_VAR_DIR=<dir> DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> ICMC_ENV=development DEBUG=0 \
        .venv/bin/python -m bench.intake [--runs 20] [--seed 99] [--profile] [--explain] [--queries]

As bench/measure.py measures it: the case manager of the centre with most cases, logged in with force_login and
the second factor, posts new synthetic cases (icmc.demo.synth specs drawn with --seed, as bench/measure.py's
seed 99) to `POST /api/v1/cases` through Django's test Client (the whole middleware stack). Each run adds one
case to the database. Prints the wall time p50/p95, the process CPU time p50 (what the Python side costs,
whatever else runs on the machine), the SQL time of the captured queries (client side, p50) and the query
counts. --queries: the queries of one request grouped by shape (literals taken out). --explain: every captured
SELECT of the first 5 requests re-run under EXPLAIN ANALYZE (PostgreSQL; the SQL of intake carries blind indexes,
ids and keys, never a name in clear), the slowest shown by their first characters. --profile: the top functions
under cProfile (process CPU time).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import statistics
import time
from collections import Counter
from typing import Any

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.case_page import _client, _explain, _shape, print_slowest  # noqa: E402
from bench.common import percentile  # noqa: E402
from bench.measure import api_body, personas  # noqa: E402
from icmc.demo.directory import Directory  # noqa: E402
from icmc.demo.synth import iter_specs  # noqa: E402
from icmc.demo.write_actions import person_data, report_data  # noqa: E402


def bodies(membership: Any, *, count: int, seed: int) -> list[str]:
    """`count` request bodies as bench/measure.py's intake builds them."""
    directory = Directory.load()
    state = membership.organisation.jurisdiction.state_id or "IN-ML"
    specs = iter_specs(seed=seed, count=count, anchor=timezone.localdate(), years=1, state_weights={state: 1.0})
    out = []
    for spec in specs:
        body = api_body(report_data(spec, directory=directory)) | {
            "survivors": [api_body(person_data(p)) for p in spec.survivors],
            "suspects": [api_body(person_data(p)) for p in spec.suspects]}
        out.append(json.dumps(body))
    return out[:count]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=99)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--queries", action="store_true")
    parser.add_argument("--dump", help="write the cProfile statistics to this file")
    args = parser.parse_args()
    membership = personas()["case manager"]
    client = _client(membership)
    posts = bodies(membership, count=args.runs + 1, seed=args.seed)
    assert client.post("/api/v1/cases", data=posts[0], content_type="application/json").status_code == 201
    walls, cpus, sqls, counts = [], [], [], []
    slow: list[tuple[float, str]] = []
    shapes: Counter[str] = Counter()
    timing: Counter[str] = Counter()
    profile = cProfile.Profile(time.process_time) if args.profile else None
    for i, body in enumerate(posts[1:]):
        with CaptureQueriesContext(connection) as ctx:
            cpu, wall = time.process_time(), time.perf_counter()
            if profile is not None:
                profile.enable()
            response = client.post("/api/v1/cases", data=body, content_type="application/json")
            if profile is not None:
                profile.disable()
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 201, response.status_code
        counts.append(len(ctx.captured_queries))
        sqls.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
        if args.queries and i == 0:
            shapes.update(_shape(q["sql"]) for q in ctx.captured_queries)
        for q in ctx.captured_queries:
            timing[_shape(q["sql"])[:100]] += float(q["time"]) * 1000 / len(posts[1:])
        if args.explain and i < 5 and connection.vendor == "postgresql":
            for q in ctx.captured_queries:
                if q["sql"].lstrip().upper().startswith("SELECT"):
                    slow.append((_explain(q["sql"]), q["sql"]))
    print(f"intake: wall p50 {statistics.median(walls):.1f} p95 {percentile(walls, 95):.1f} ms; "
          f"CPU p50 {statistics.median(cpus):.1f} ms; SQL (client side) p50 {statistics.median(sqls):.1f} ms; "
          f"queries {min(counts)}-{max(counts)} (p50 {statistics.median(counts):g})")
    for shape, n in shapes.most_common():
        print(f"  {n} x {shape}")
    if args.queries:
        print("  client-side SQL time per request by shape (ms), the largest:")
        for shape, ms in timing.most_common(args.top):
            print(f"  {ms:7.2f} ms  {shape}")
    print_slowest(slow, requests=min(5, len(posts) - 1), profile=profile, args=args)

if __name__ == "__main__":
    main()
