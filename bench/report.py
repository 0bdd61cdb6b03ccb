"""The benchmark's table: one row per metric, database and size, with its target and whether it was met."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from typing import Any

# Targets from the issue (docs/benchmarks.md explains each).
LIST_P95_MS = 100
CASE_P95_MS = 100
INTAKE_P95_MS = 200
SEARCH_P95_MS = 200
SEARCH_RECALL = 0.9  # our own bar (the issue sets none): 9 searches in 10 find their person among 50 results
LOAD_P95_MS = 300
WORKER_RSS_MB = 250
# Sync targets (../shared/design/sync.md): first sync of 1,000 cases <= 5 s (>= 200 cases/s), of 10,000 <= 30 s
# and <= 300 MB; >= 3,000 records/s; nothing to do <= 0.3 s; 50 changes <= 1 s and <= 50 KB gzip; push of 100
# mutations <= 2 s.
SYNC_FIRST_S = {1000: 5.0, 10000: 30.0}
SYNC_CASES_PER_S = 200
SYNC_RECORDS_PER_S = 3000
SYNC_RSS_MB = 300
SYNC_NOOP_S = 0.3
SYNC_INCREMENTAL_S = 1.0
SYNC_INCREMENTAL_KB = 50
SYNC_PUSH_S = 2.0
# The most statements a case page may run (web, the whole middleware): every optional panel present (a full
# pathway, accused, hearings, open conflicts: 37 at 100,000 cases), plus the session's once-a-minute save.
# tests/web/test_query_counts.py guards the view's own part against N+1 on cases with many records.
CASE_PAGE_QUERIES = 40

Row = dict[str, Any]


def _row(metric: str, result: dict[str, Any], value: Any, target: str, ok: bool | None) -> Row:
    return {"metric": metric, "db": result["database"], "size": result["size"], "value": value, "target": target,
            "result": "info" if ok is None else ("pass" if ok else "FAIL")}


def _ms(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{x:.1f} ms"


def _via(entry: dict[str, Any]) -> str:
    return " [query functions only: page missing]" if entry.get("via") == "queries" else ""


def _p95(entry: dict[str, Any]) -> str:
    return f"{_ms(entry['p95'])} (p50 {_ms(entry['p50'])}, {_queries(entry)} queries)"


def _queries(entry: dict[str, Any]) -> str:
    lo, hi = entry["queries_min"], entry["queries_max"]
    return str(lo) if lo == hi else f"{lo}-{hi}"


def rows_for(result: dict[str, Any]) -> list[Row]:
    if "error" in result:
        return [_row("benchmark crashed", result, result["error"].splitlines()[0][:80], "-", False)]
    rate = result["generate_rate"]
    rows = [_row("generate (bulk writer)", result, f"{rate:.0f} cases/s" if rate else "reused database", "-", None)]
    for p in result["measure"]:
        who = p["persona"]
        for key, label in (("list_page1", "case list p95, page 1"),
                           ("list_page1_counted", "case list p95, page 1, counted afresh"),
                           ("list_deep", "case list p95, last page")):
            if key in p:
                e = p[key]
                rows.append(_row(f"{label} ({who}){_via(e)}", result, _p95(e), f"<= {LIST_P95_MS} ms",
                                 e["p95"] <= LIST_P95_MS))
        if "case_page" in p:
            e = p["case_page"]
            rows.append(_row(f"case page p95 ({who}){_via(e)}", result, _p95(e), f"<= {CASE_P95_MS} ms",
                             e["p95"] <= CASE_P95_MS))
        if p.get("person_search", {}).get("samples"):
            e = p["person_search"]
            rows.append(_row(f"person search p95 ({who})", result, _p95(e), f"<= {SEARCH_P95_MS} ms",
                             e["p95"] <= SEARCH_P95_MS))
            rows.append(_row(f"person search recall, variant spellings and scripts ({who})", result,
                             f"{e['recall']:.0%} of {e['samples']} (median rank {e.get('median_rank')}; "
                             f"median {e.get('homonyms_median', '?')} visible namesakes)",
                             "-", None))
            if e.get("recall_distinguishable") is not None:
                rows.append(_row(f"person search recall, fewer than 50 namesakes ({who})", result,
                                 f"{e['recall_distinguishable']:.0%} of {e['distinguishable']}",
                                 f">= {SEARCH_RECALL:.0%} in 50", e["recall_distinguishable"] >= SEARCH_RECALL))
        if "api_list" in p:
            e = p["api_list"]
            rows.append(_row(f"API case list p95 ({who})", result, _p95(e), f"<= {LIST_P95_MS} ms",
                             e["p95"] <= LIST_P95_MS))
        if "intake" in p:
            e = p["intake"]
            rows.append(_row(f"intake p95 (via {e['via']})", result, _p95(e), f"<= {INTAKE_P95_MS} ms",
                             e["p95"] <= INTAKE_P95_MS))
        if "raw_sql_page1" in p and "list_page1" in p:
            ratio = p["list_page1"]["p50"] / p["raw_sql_page1"]["p50"]
            rows.append(_row("case list page / raw SQL of its rows (p50)", result,
                             f"{ratio:.1f}x ({_ms(p['raw_sql_page1']['p50'])} SQL)", "-", None))
    rows += [_row(f"{name} crashed", result, error.splitlines()[0][:80] if error else "-", "-", False)
             for name, error in result.get("phase_errors", {}).items()]
    rows += sync_rows(result)
    load = result.get("load")
    if load:
        users = load["users"]
        rows += [
            _row(f"{users} users: p95", result, _ms(load["p95"]), f"<= {LOAD_P95_MS} ms", load["p95"] <= LOAD_P95_MS),
            _row(f"{users} users: errors", result, f"{load['errors']} of {load['requests']}", "0",
                 load["errors"] == 0 and load["requests"] > 0),
            _row(f"{users} users: throughput", result,
                 f"{load['throughput']:.1f} req/s ({load.get('worker_class', '?')})", "-", None),
            _row("worker peak RSS (max of workers)", result, f"{load['worker_peak_rss_mb']:.0f} MB",
                 f"<= {WORKER_RSS_MB} MB", load["worker_peak_rss_mb"] <= WORKER_RSS_MB),
        ]
    return rows


def sync_rows(result: dict[str, Any]) -> list[Row]:
    sync = result.get("sync")
    if not sync:
        return []
    first, noop, inc, push = sync["first_sync"], sync["noop"], sync["incremental"], sync["push"]
    cases = first["cases"]
    # The target of the size asked for (the generator adds a few demo cases: 1,008 for 1,000).
    limit = SYNC_FIRST_S.get(result["size"])
    first_target = f"<= {limit:.0f} s" if limit else f">= {SYNC_CASES_PER_S} cases/s"
    first_ok = first["seconds"] <= limit if limit else first["cases_per_s"] >= SYNC_CASES_PER_S
    return [
        _row(f"sync: first sync of {cases} cases", result,
             f"{first['seconds']:.2f} s ({first['cases_per_s']:.0f} cases/s, {first['pages']} pages)",
             first_target, first_ok),
        _row("sync: first sync records/s", result, f"{first['records_per_s']:.0f} ({first['records']} records)",
             f">= {SYNC_RECORDS_PER_S}", first["records_per_s"] >= SYNC_RECORDS_PER_S),
        _row("sync: first sync bytes", result,
             f"{first['bytes'] / 1e6:.1f} MB ({first['gzip_bytes'] / 1e6:.1f} MB gzip)", "-", None),
        _row("sync: first sync peak RSS", result, f"{first['peak_rss_mb']:.0f} MB", f"<= {SYNC_RSS_MB} MB",
             first["peak_rss_mb"] <= SYNC_RSS_MB),
        _row("sync: nothing to do (push + pull)", result, f"{noop['seconds']:.3f} s", f"<= {SYNC_NOOP_S} s",
             noop["seconds"] <= SYNC_NOOP_S),
        _row(f"sync: incremental, {inc['changes']} changes", result,
             f"{inc['seconds']:.3f} s, {inc['gzip_bytes'] / 1024:.1f} KB gzip ({inc['records']} records)",
             f"<= {SYNC_INCREMENTAL_S:.0f} s, <= {SYNC_INCREMENTAL_KB} KB",
             inc["seconds"] <= SYNC_INCREMENTAL_S and inc["gzip_bytes"] <= SYNC_INCREMENTAL_KB * 1024),
        _row(f"sync: push of {push['mutations']} mutations", result,
             f"{push['seconds']:.2f} s ({push['applied']} applied)", f"<= {SYNC_PUSH_S:.0f} s",
             push["seconds"] <= SYNC_PUSH_S and push["applied"] == push["mutations"]),
    ]


def query_rows(results: list[dict[str, Any]]) -> list[Row]:
    """Queries per page must not grow with the data. The case list: the same count for page 1 and the last page
    at each size of one database, in the steady state (the fewest of each series: once a minute a request also
    saves the session to slide its idle timeout, icmc.identity.session.touch, and a slow run catches it), and
    never more at a larger size (fewer is no growth: an organisation with more than REFERRED_IDS_INLINE referred
    cases skips the query that lists their ids, icmc.access.queries). The
    case page: at most CASE_PAGE_QUERIES at every size. A page queries only the panels its case has (no FIR, no
    rescue: fewer statements), so the highest count of a sample depends on which cases were drawn; comparing the
    sizes' highest counts with each other failed on a sample without a full case (21-35 against 22-36)."""
    seen: dict[tuple[str, str, str], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for result in results:
        for p in result.get("measure", []):
            for key in ("list_page1", "list_deep", "case_page"):
                if key in p and not (key.startswith("list") and p["filtered_cases"] == 0):
                    group = "case list" if key.startswith("list") else "case page"
                    seen[(result["database"], p["persona"], group)].append((result["size"], p[key]))
    rows = []
    for (db, persona, group), entries in sorted(seen.items()):
        if group == "case list":
            by_size: dict[int, set[int]] = defaultdict(set)
            for size, e in entries:
                by_size[size].add(e["queries_min"])
            counts = [by_size[size] for size in sorted(by_size)]
            ok = all(len(c) == 1 for c in counts) and all(
                min(smaller) >= min(larger) for smaller, larger in itertools.pairwise(counts))
        else:
            ok = all(e["queries_max"] <= CASE_PAGE_QUERIES for _, e in entries)
        sizes = sorted({size for size, _ in entries})
        value = ", ".join(f"{size}: {_queries(e)}" for size, e in entries)
        fake = {"database": db, "size": "/".join(str(s) for s in sizes)}
        target = "constant" if group == "case list" else f"<= {CASE_PAGE_QUERIES} at every size"
        rows.append(_row(f"queries per {group} ({persona})", fake, value, target, ok))
    return rows


def table(rows: list[Row]) -> str:
    header = ("metric", "db", "size", "value", "target", "result")
    cells = [header] + [tuple(str(r[h]) for h in header) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(header))]
    lines = ["  ".join(c[i].ljust(widths[i]) for i in range(len(header))).rstrip() for c in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(rows: list[Row]) -> str:
    header = ("metric", "db", "size", "value", "target", "result")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(r[h]) for h in header) + " |" for r in rows]
    return "\n".join(lines)
