"""Sync benchmarks on a generated database (a child process of bench/run.py; docs/benchmarks.md, docs/sync.md).

    python -m bench.sync_bench [--push 100] [--changes 50]   # prints one JSON document

Against the targets of the design brief (../shared/design/sync.md), through the signed endpoints with Django's
test Client (the whole middleware stack and JSON encoding, no network):
- first sync: a node serving one case manager of every centre (its scope: every case of the database) pulls
  the feed from the start, pages of 2,000: time, records, records/s, bytes (raw and gzip), peak memory;
- a sync with nothing to do: one pull from the final cursor and an empty push;
- incremental: 50 notes added upstream, then one pull from the cursor: time and bytes;
- push: 100 mutations (add_note) from a field node in one request: time.
Peak memory is the process's peak RSS after the first sync (Django and the interpreter included). Each
figure also has its CPU time (`cpu_seconds`, this process: with SQLite the database work is in it too), which
says how much of a wall time on a busy machine was waiting for a core.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import time
from typing import Any

import django
import orjson

django.setup()

from django.test import Client  # noqa: E402

from icmc.access.actor import Actor  # noqa: E402
from icmc.accounts.models import Membership  # noqa: E402
from icmc.accounts.reference import OrganisationKind, Role  # noqa: E402
from icmc.cases.actions import do_add_note  # noqa: E402
from icmc.cases.models import Case  # noqa: E402
from icmc.demo.world import system_actor  # noqa: E402
from icmc.sync.actions import do_register_node  # noqa: E402
from icmc.sync.client import Upstream  # noqa: E402
from icmc.sync.models import Node  # noqa: E402

URL = "http://testserver/api/v1/sync"
PAGE = 2000


class Meter:
    """A transport through the test Client that counts the bytes of every answer (raw and gzip). Compressing
    them to count is the bench's own work, not the sync's (no side compresses on the wire): its time is kept in
    `metering` (wall) and `metering_cpu`, and taken out of the sync's figures."""

    def __init__(self) -> None:
        self.client = Client()
        self.raw = self.gzipped = self.requests = 0
        self.metering = self.metering_cpu = 0.0

    def reset(self) -> None:
        self.raw = self.gzipped = self.requests = 0
        self.metering = self.metering_cpu = 0.0

    def __call__(self, *, method: str, path: str, query: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        url = f"{path}?{query}" if query else path
        if method == "GET":
            response = self.client.get(url, headers=headers)
        else:
            response = self.client.post(url, data=body, content_type="application/json", headers=headers)
        content = response.content
        started, cpu = time.perf_counter(), time.process_time()
        self.raw += len(content) + len(body)
        self.gzipped += len(gzip.compress(content, compresslevel=6)) + len(gzip.compress(body, compresslevel=6))
        self.metering += time.perf_counter() - started
        self.metering_cpu += time.process_time() - cpu
        self.requests += 1
        return response.status_code, orjson.loads(content or b"null")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _pull_all(upstream: Upstream, cursor: str) -> tuple[str, int, int]:
    records = pages = 0
    while True:
        status, body = upstream.call(method="GET", endpoint="/feed", params={"cursor": cursor, "limit": PAGE})
        if status != 200:
            raise RuntimeError(f"pull failed: {status} {body}")
        records += len(body["changes"])
        pages += 1
        cursor = body["cursor"]
        if not body["has_more"]:
            return cursor, records, pages


def _register(name: str, memberships: list[Membership]) -> tuple[Node, str]:
    return do_register_node(actor=system_actor(), name=name, kind="field", users=[m.user for m in memberships])


def measure(*, push_count: int, changes: int) -> dict[str, Any]:
    managers = list(Membership.objects.filter(role=Role.CASE_MANAGER, is_active=True,
                                              organisation__kind=OrganisationKind.CENTRE)
                    .select_related("user", "organisation").order_by("organisation_id", "created_at"))
    one_each = list({m.organisation_id: m for m in reversed(managers)}.values())
    node, key = _register("bench: every centre", one_each)
    meter = Meter()
    upstream = Upstream(url=URL, node_id=str(node.id), private_key=key, transport=meter)
    cases = Case.objects.count()

    started, cpu = time.perf_counter(), time.process_time()
    cursor, records, pages = _pull_all(upstream, "")
    first = {"cases": cases, "seconds": time.perf_counter() - started - meter.metering,
             "cpu_seconds": time.process_time() - cpu - meter.metering_cpu, "metering_seconds": meter.metering,
             "records": records, "pages": pages,
             "bytes": meter.raw, "gzip_bytes": meter.gzipped, "peak_rss_mb": _peak_rss_mb()}
    first["records_per_s"] = records / first["seconds"] if first["seconds"] else 0.0
    first["cases_per_s"] = cases / first["seconds"] if first["seconds"] else 0.0

    meter.reset()
    started, cpu = time.perf_counter(), time.process_time()
    status, _ = upstream.call(method="POST", endpoint="/push", payload={"node_id": str(node.id), "mutations": []})
    cursor, nothing, _ = _pull_all(upstream, cursor)
    noop = {"seconds": time.perf_counter() - started - meter.metering,
            "cpu_seconds": time.process_time() - cpu - meter.metering_cpu,
            "records": nothing, "push_status": status}

    by_org = {m.organisation_id: m for m in one_each}
    targets = list(Case.objects.filter(owner_id__in=list(by_org)).order_by("-reported_at")
                   .values_list("pk", "owner_id")[:changes])
    for case_id, owner_id in targets:
        membership = by_org[owner_id]
        do_add_note(Case.objects.get(pk=case_id), actor=Actor(user=membership.user, membership=membership,
                                                              via="cli"), body="Benchmark: follow-up call made.")
    meter.reset()
    started, cpu = time.perf_counter(), time.process_time()
    cursor, received, _ = _pull_all(upstream, cursor)
    incremental = {"changes": len(targets), "seconds": time.perf_counter() - started - meter.metering,
                   "cpu_seconds": time.process_time() - cpu - meter.metering_cpu, "records": received,
                   "bytes": meter.raw, "gzip_bytes": meter.gzipped}

    # A field node of the centre with most cases pushes `push_count` notes in one request.
    owner = max(by_org, key=lambda org: Case.objects.filter(owner_id=org).count())
    field_node, field_key = _register("bench: field kit", [by_org[owner]])
    field = Upstream(url=URL, node_id=str(field_node.id), private_key=field_key, transport=meter)
    case_ids = list(Case.objects.filter(owner_id=owner).values_list("pk", flat=True)[:push_count])
    mutations = [{"seq": i + 1, "action": "add_note", "user": str(by_org[owner].user_id), "membership": None,
                  "args": {"case": str(case_ids[i % len(case_ids)]), "body": f"Visit {i + 1}: all well."},
                  "base_versions": {}, "client_time": "2019-01-01T00:00:00+05:30"} for i in range(push_count)]
    meter.reset()
    started, cpu = time.perf_counter(), time.process_time()
    status, body = field.call(method="POST", endpoint="/push",
                              payload={"node_id": str(field_node.id), "mutations": mutations})
    push = {"mutations": push_count, "seconds": time.perf_counter() - started - meter.metering,
            "cpu_seconds": time.process_time() - cpu - meter.metering_cpu, "status": status,
            "applied": sum(1 for r in (body or {}).get("results", []) if r.get("status") == "applied"),
            "bytes": meter.raw}
    return {"first_sync": first, "noop": noop, "incremental": incremental, "push": push}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--push", type=int, default=100)
    parser.add_argument("--changes", type=int, default=50)
    args = parser.parse_args(argv)
    print(json.dumps(measure(push_count=args.push, changes=args.changes)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
