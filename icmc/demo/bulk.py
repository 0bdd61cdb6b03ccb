"""Writer (b): synthetic cases in bulk, for benchmarks, load tests and the demo (100,000 cases in minutes).

For the report it writes the same rows, with the same fields, as do_report_case and do_add_note would for the
same spec (checked by tests/demo): the case with a reference continuing its organisation's counter, its places,
people (sealed names and phones, keys, search tokens), parties, FIR, exploitation types, proposed referrals,
notes and deadline tasks, one `case.reported` audit event per case and one `note.added` per note. For a spec
with a story (icmc.demo.story) it then writes what the actions of that story would have left: consents,
referrals sent, answered and completed, the rescue operation, CWC productions and orders, shelter stays,
services, care plans, home investigations, repatriations or placements, follow-up plans with their visits,
compensation claims, charges, accused, chargesheets, hearings, verdicts, survivor stages, the case's derived
stage and closure, each with the audit event its action records (dated when it happened, via "cli"), the tasks
the deadline rules open (closed by the events that fulfil them), and one change-feed row per row at its final
version. Events are linked into the audit hash chain (`icmc audit verify` passes).

It skips what makes the actions slow one by one (a permission check, a transaction and a dozen queries per
record), not what they record: rows are built as tuples (icmc.demo.rows) and written with COPY on PostgreSQL.
Batches of `batch_size` cases are written in one transaction each.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import hashlib
import itertools
import multiprocessing
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, connections, transaction
from django.utils import timezone
from tqdm import tqdm

from icmc.audit.chain import lock_head
from icmc.cases.models import (
    Case,
    CaseReferenceCounter,
)
from icmc.demo.bulk_story import StoryBuilder
from icmc.demo.directory import Centre, Directory
from icmc.demo.rows import Batch, Table, reseed_ids
from icmc.demo.specs import CaseSpec
from icmc.demo.synth import iter_specs


@dataclass
class BulkResult:
    cases: int = 0
    persons: int = 0
    notes: int = 0
    rows: int = 0
    seconds: float = 0.0

@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a batch is made and written: the batch is hundreds of
    thousands of lists alive until it is written, which the collector's passes kept walking (a third of the time
    building a batch, measured); rows hold no reference cycles, so reference counting frees them all."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _chunks(specs: Iterable[CaseSpec], size: int) -> Iterator[list[CaseSpec]]:
    iterator = iter(specs)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _year(at: datetime.datetime, centre: Centre) -> int:
    return at.astimezone(ZoneInfo(centre.organisation.time_zone)).year


def _allocate_references(keys: list[tuple[Centre, int]]) -> list[str]:
    """The next references of each (organisation, year) counter, in the order of `keys`, locking the counters
    as do_report_case does."""
    wanted = Counter((centre.organisation.id, year) for centre, year in keys)
    next_number: dict[tuple[uuid.UUID, int], int] = {}
    for org_id, year in sorted(wanted, key=str):
        CaseReferenceCounter.objects.get_or_create(organisation_id=org_id, year=year)
        counter = CaseReferenceCounter.objects.select_for_update().get(organisation_id=org_id, year=year)
        next_number[(org_id, year)] = counter.last_number + 1
        counter.last_number += wanted[(org_id, year)]
        counter.save(update_fields=["last_number"])
    references = []
    for centre, year in keys:
        key = (centre.organisation.id, year)
        references.append(f"{centre.organisation.reference_prefix}-{year}-{next_number[key]:05d}")
        next_number[key] += 1
    return references

@dataclass
class Built:
    """A batch of cases built as rows (no database writes yet), with what the writer needs to finish it."""

    batch: Batch
    cases: list[tuple[Centre, list[Any]]]  # (centre, case row): references are given when written
    persons: int
    notes: int


def build_batch(specs: list[CaseSpec], *, directory: Directory, now: datetime.datetime) -> Built:
    """The rows of `specs` (reads the database only for look-ups; may run outside a transaction)."""
    batch = Batch()
    builder = StoryBuilder(batch=batch, directory=directory, now=now)
    for spec in specs:
        # Registered shortly after the report (a backfill), never in the future.
        at = min(spec.reported_at + datetime.timedelta(minutes=20 + spec.index % 97), now)
        builder.case(spec, centre=directory.centre(spec), at=at)
    return Built(batch=batch, cases=builder.cases, persons=builder.persons, notes=builder.notes)


def write_built(built: Built, *, result: BulkResult) -> None:
    """Write a built batch in one transaction: first the tables that wait for no lock (Batch.write_loose: most
    rows, written while another writer may hold the lock), then the audit chain head is locked (writers take
    turns, the chain and the change feed stay in commit order), then the reference counters, then the cases,
    events and change feed."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _fast_session()
        result.rows += built.batch.write_loose()
        lock_head()
        cases = built.cases
        reported_at = Table(Case).index["created_at"]
        references = _allocate_references([(centre, _year(row[reported_at], centre)) for centre, row in cases])
        case_table = built.batch.table(Case)
        for (_centre, row), reference in zip(cases, references, strict=True):
            case_table.set(row, reference=reference)
        result.rows += built.batch.flush()
    result.cases += len(cases)
    result.persons += built.persons
    result.notes += built.notes


def _fast_session() -> None:
    """PostgreSQL settings for this transaction: a backfill needs no durability at each commit; and, when the
    role may (a superuser, as on development and benchmark installations), foreign keys are not re-checked row
    by row at commit (session_replication_role = replica): the writer's rows are checked by the test suite,
    where SQLite enforces every foreign key."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row is not None and row[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


def write_bulk(specs: Iterable[CaseSpec], *, directory: Directory | None = None, batch_size: int = 1000,
               total: int | None = None, progress: bool = False,
               now: datetime.datetime | None = None) -> BulkResult:
    """Write `specs` in batches (one transaction each) in this process; `total` sizes the progress bar (shown on
    stderr when `progress`)."""
    started = time.perf_counter()
    directory = directory or Directory.load()
    now = now or timezone.now()
    result = BulkResult()
    with tqdm(total=total, unit="case", disable=not progress, dynamic_ncols=True) as bar:
        for batch in _chunks(specs, max(1, batch_size)):
            with _collector_paused():
                write_built(build_batch(batch, directory=directory, now=now), result=result)
            bar.update(len(batch))
    result.seconds = time.perf_counter() - started
    return result


# --- several processes (PostgreSQL) ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Plan:
    """What to generate: the arguments of icmc.demo.synth.iter_specs, cut into batches."""

    seed: int
    count: int
    anchor: datetime.date
    years: int
    stories: bool
    batch_size: int
    digest: bool = False

    def ranges(self) -> list[tuple[int, int]]:
        return [(first, min(first + self.batch_size, self.count)) for first in range(0, self.count, self.batch_size)]

    def specs(self, first: int, last: int) -> list[CaseSpec]:
        return list(iter_specs(seed=self.seed, count=self.count, anchor=self.anchor, years=self.years,
                               stories=self.stories, first=first, last=last))


def spec_digest(spec: CaseSpec) -> bytes:
    """The digest of one generated case (its report and story, every value)."""
    return hashlib.sha256(repr(spec).encode()).digest()


def combined_digest(digests: dict[int, bytes]) -> str:
    """The digest of the generated data: of the cases' digests in the order of their index."""
    total = hashlib.sha256()
    for index in sorted(digests):
        total.update(digests[index])
    return total.hexdigest()


_worker: dict[str, Any] = {}


def _start_worker(plan: Plan, now: datetime.datetime) -> None:
    reseed_ids()
    connections.close_all()  # never use the parent's connection: each worker opens its own
    _worker.update(plan=plan, now=now, directory=Directory.load())


def _work(bounds: tuple[int, int]) -> tuple[BulkResult, dict[int, bytes]]:
    plan: Plan = _worker["plan"]
    result = BulkResult()
    with _collector_paused():
        specs = plan.specs(*bounds)
        digests = {spec.index: spec_digest(spec) for spec in specs} if plan.digest else {}
        write_built(build_batch(specs, directory=_worker["directory"], now=_worker["now"]), result=result)
    return result, digests


def generate(plan: Plan, *, workers: int = 1, progress: bool = False,
             now: datetime.datetime | None = None) -> tuple[BulkResult, str | None]:
    """Generate and write the plan's cases, in `workers` processes on PostgreSQL (each builds its batches and
    writes them in turn), in this one on SQLite. Returns the result and, if asked, the digest."""
    started = time.perf_counter()
    now = now or timezone.now()
    result = BulkResult()
    digests: dict[int, bytes] = {}
    ranges = plan.ranges()
    with tqdm(total=plan.count, unit="case", disable=not progress, dynamic_ncols=True) as bar:
        # Workers see only committed data: not inside a transaction (a test's), where they would wait on its locks.
        parallel = workers > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block
        if parallel and len(ranges) > 1:
            connections.close_all()
            context = multiprocessing.get_context("fork")
            with context.Pool(workers, initializer=_start_worker, initargs=(plan, now)) as pool:
                for part, found in pool.imap_unordered(_work, ranges):
                    result.cases += part.cases
                    result.persons += part.persons
                    result.notes += part.notes
                    result.rows += part.rows
                    digests.update(found)
                    bar.update(part.cases)
        else:
            directory = Directory.load()
            for first, last in ranges:
                with _collector_paused():
                    specs = plan.specs(first, last)
                    if plan.digest:
                        digests.update((spec.index, spec_digest(spec)) for spec in specs)
                    write_built(build_batch(specs, directory=directory, now=now), result=result)
                bar.update(len(specs))
    result.seconds = time.perf_counter() - started
    return result, combined_digest(digests) if plan.digest else None
