"""Rows as plain lists, written fast: COPY (text format) on PostgreSQL, executemany on SQLite.

A `Table` knows its model's columns (Django's own field list, read once) and their defaults; `add(**values)`
keeps a row as a list without building a model instance (Model.__init__ costs more than the rest of a row).
Identifiers are made as strings (`new_id`, random UUIDs of version 4) and JSON columns may hold a value already
serialised (a str). `Batch.change` adds the change-feed row (icmc.sync.models.Change) of a synced row.
`Batch.flush()` links the audit events into the hash chain after its head (as icmc.audit.record does one at a
time: the same canonical form, checked by tests) and writes every table, converting values per column the way
Django stores them on each database.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import json
import os
import random
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection, models

from icmc.audit.chain import chain_key, link_canonical, lock_head
from icmc.audit.models import AuditEvent
from icmc.cases.models import Case
from icmc.lib.models import SyncedModel
from icmc.sync.models import Change

_UTC = datetime.UTC
_ids = random.Random(os.urandom(32))
_V4 = (0x4 << 76) | (0x8 << 60)
_V4_MASK = ~((0xF << 76) | (0xC << 60))
_CHUNK = 4000  # rows per COPY chunk


def reseed_ids() -> None:
    """A fresh identifier stream (call in a forked worker, so that two processes never share one)."""
    _ids.seed(os.urandom(32))


def new_id() -> str:
    """A random UUID (version 4) as its canonical string: cheaper than str(uuid.uuid4())."""
    h = "%032x" % ((_ids.getrandbits(128) & _V4_MASK) | _V4)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# --- values as the databases store them ---------------------------------------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: str) -> str:
    return value.translate(_ESCAPES) if ("\\" in value or "\t" in value or "\n" in value or "\r" in value) \
        else value


def _json_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _copy_formatter(field: models.Field[Any, Any], memo: dict[Any, str]) -> Callable[[Any], str]:
    kind = _kind(field)
    if kind == "JSONField":
        return lambda v: _copy_text(_json_text(v))
    if kind == "BooleanField":
        return lambda v: "t" if v else "f"
    if kind in ("CharField", "TextField", "SlugField", "EmailField", "GenericIPAddressField"):
        return _copy_text
    if kind == "UUIDField":

        def ident(v: Any) -> str:
            if type(v) is str:
                return v
            text = memo.get(v)
            if text is None:
                text = memo[v] = str(v)
            return text

        return ident

    def other(v: Any) -> str:  # numbers, dates, datetimes with their offset: many repeat within a batch
        text = memo.get(v)
        if text is None:
            text = memo[v] = str(v)
        return text

    return other


def _kind(field: models.Field[Any, Any]) -> str:
    """The internal type of the column (a foreign key's is its target's)."""
    while isinstance(field, models.ForeignKey):
        field = field.target_field
    return field.get_internal_type()


def _sqlite_converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    kind = _kind(field)
    if kind == "JSONField":
        return _json_text
    if kind == "UUIDField":
        return lambda v: v.replace("-", "") if isinstance(v, str) else v.hex
    if kind == "DateTimeField":
        return lambda v: str(v.astimezone(_UTC).replace(tzinfo=None))
    if kind == "DateField":
        return lambda v: v.isoformat()
    if kind == "DecimalField":
        return lambda v: str(decimal.Decimal(v))
    return None


class Table:
    """One table's rows, in the order of its model's concrete fields (an automatic primary key is left to the
    database)."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
        self.fields = fields
        self.db_table = model._meta.db_table
        self.columns = [f.column for f in fields]
        self.index = {f.attname: i for i, f in enumerate(fields)}
        self.defaults = [f.get_default() if f.has_default() else ("" if f.empty_strings_allowed and not f.null
                                                                  else None) for f in fields]
        self.synced = issubclass(model, SyncedModel)
        self.label = f"{model._meta.app_label}.{model._meta.model_name}"
        if self.synced:  # SyncedModel's fields come first: Batch.change reads them by position
            assert self.columns[:4] == ["id", "version", "created_at", "updated_at"], self.columns
        self.rows: list[list[Any]] = []

    def add(self, **values: Any) -> list[Any]:
        row = self.defaults.copy()
        index = self.index
        for name, value in values.items():
            row[index[name]] = value
        self.rows.append(row)
        return row

    def get(self, row: list[Any], name: str) -> Any:
        return row[self.index[name]]

    def set(self, row: list[Any], **values: Any) -> None:
        for name, value in values.items():
            row[self.index[name]] = value

    def copy_lines(self, rows: list[list[Any]] | None = None) -> list[str]:
        """`rows` (default: the table's) as lines of COPY's text format, without their line ends."""
        memo: dict[Any, str] = {}
        pairs = [(i, _copy_formatter(f, memo)) for i, f in enumerate(self.fields)]
        return ["\t".join(["\\N" if (v := row[i]) is None else fn(v) for i, fn in pairs])
                for row in (self.rows if rows is None else rows)]

    def copy_chunks(self) -> Iterator[str]:
        """The rows in COPY's text format, a few thousand lines at a time: the server parses and indexes one
        chunk while the next is formatted."""
        for first in range(0, len(self.rows), _CHUNK):
            yield "\n".join(self.copy_lines(self.rows[first:first + _CHUNK])) + "\n"

    def sqlite_rows(self) -> list[list[Any]]:
        fns = [(i, fn) for i, f in enumerate(self.fields) if (fn := _sqlite_converter(f)) is not None]
        for row in self.rows:
            for i, fn in fns:
                value = row[i]
                if value is not None:
                    row[i] = fn(value)
        return self.rows


def write_table(table: Table, *, chunks: Iterable[str] | None = None) -> None:
    """Write the table's rows; on PostgreSQL, `chunks` are its rows already in COPY's text format."""
    if not table.rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in table.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table.db_table)} ({columns}) FROM STDIN") as copy:
                for chunk in table.copy_chunks() if chunks is None else chunks:
                    copy.write(chunk)
        else:
            marks = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(f"INSERT INTO {quote(table.db_table)} ({columns}) VALUES ({marks})",  # noqa: S608
                               table.sqlite_rows())
    table.rows = []


# --- audit events -------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _changed_json(changed: tuple[str, ...]) -> str:
    return json.dumps(sorted(set(changed)), separators=(",", ":"), ensure_ascii=False)


@functools.lru_cache(maxsize=8192)
def _details_json(items: tuple[tuple[str, Any], ...]) -> str:
    return json.dumps(dict(items), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class Event:
    """An audit event waiting for its place in the chain: its canonical form around `seq`, and its row."""

    __slots__ = ("after", "at", "before", "values")

    def __init__(self, *, at: datetime.datetime, actor_id: str, membership_id: str, organisation_id: str,
                 role: str, action: str, object_type: str, object_id: str, case_id: str | None,
                 changed: Iterable[str], details: dict[str, Any]) -> None:
        at = at.astimezone(_UTC)
        changed_json = _changed_json(tuple(changed))
        try:
            details_json = _details_json(tuple(details.items()))
        except TypeError:  # a list among the values: not hashable
            details_json = json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        case = "null" if case_id is None else f'"{case_id}"'
        # icmc.audit.chain.canonical: json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False) of the
        # hashed fields; every string here is an identifier, a code or a UUID (nothing to escape).
        self.before = (f'{{"action":"{action}","actor_id":"{actor_id}","at":"{at.isoformat(timespec="microseconds")}",'
                       f'"case_id":{case},"changed_fields":{changed_json},"details":{details_json},"ip":null,'
                       f'"membership_id":"{membership_id}","object_id":"{object_id}","object_type":"{object_type}",'
                       f'"organisation_id":"{organisation_id}","request_id":"","role":"{role}","seq":')
        self.after = ',"via":"cli"}'
        self.at = at
        self.values: list[Any] = [at, actor_id, membership_id, organisation_id, role, action, object_type,
                                  object_id, case_id, changed_json, details_json, "", "cli", None]


_NULL = "\\N"


def _event_tails(events: list[Event]) -> list[str]:
    """The events' values (Event.values) in COPY's text format, as Table.copy_lines writes them, in one f-string
    a row (a tenth of the writer's time went to the generic formatter's call per value): identifiers (text)
    as they are, the other texts escaped."""
    memo: dict[datetime.datetime, str] = {}
    tails = []
    for at, actor, membership, organisation, role, action, kind, object_id, case_id, changed, details, request_id, \
            via, ip in (event.values for event in events):
        text = memo.get(at)
        if text is None:
            text = memo[at] = str(at)
        tails.append(f"{text}\t{actor}\t{membership}\t{organisation}\t{_copy_text(role)}\t{_copy_text(action)}\t"
                     f"{_copy_text(kind)}\t{object_id}\t{_NULL if case_id is None else case_id}\t"
                     f"{_copy_text(changed)}\t{_copy_text(details)}\t{_copy_text(request_id)}\t{_copy_text(via)}\t"
                     f"{_NULL if ip is None else ip}")
    return tails


def _change_text(rows: list[list[Any]]) -> str:
    """Change-feed rows (Batch.change) in COPY's text format, as Table.copy_lines writes them, in one f-string a
    row: (updated_at, "put", label, object id, version, case id); labels are app.model, ids are UUIDs."""
    memo: dict[datetime.datetime, str] = {}
    lines = []
    for at, op, label, object_id, version, case_id in rows:
        text = memo.get(at)
        if text is None:
            text = memo[at] = str(at)
        lines.append(f"{text}\t{op}\t{label}\t{object_id}\t{version}\t{_NULL if case_id is None else case_id}\n")
    return "".join(lines)


# The audit event's columns: its link (seq, prev_hash, hash), then an Event's values.
_EVENT_COLUMNS = ("seq", "prev_hash", "hash", "at", "actor_id", "membership_id", "organisation_id", "role",
                  "action", "object_type", "object_id", "case_id", "changed_fields", "details", "request_id", "via",
                  "ip")


# Written by Batch.flush, under the chain head's lock.
_LOCKED = frozenset({Case, AuditEvent, Change})


class Batch:
    """The rows of a batch of cases: a Table per model, the audit events to chain, the change feed.

    Written in two steps of one transaction: `write_loose` first, before the chain head is locked, then `flush`
    under the lock. Only the cases (their references are allocated under the lock), the audit events (linked
    after the head) and the change feed (kept in commit order, see icmc.sync.feed) wait for the lock: the other
    tables, most of the rows, are written while another writer may hold it."""

    def __init__(self) -> None:
        self.tables: dict[type[models.Model], Table] = {}
        self.changes = self.table(Change)
        self.events: list[Event] = []
        # On PostgreSQL, the change feed and each event's columns after its link, formatted before the lock.
        self._change_chunks: list[str] | None = None
        self._event_tails: list[str] | None = None

    def table(self, model: type[models.Model]) -> Table:
        found = self.tables.get(model)
        if found is None:
            found = self.tables[model] = Table(model)
        return found

    def change(self, table: Table, row: list[Any], *, case_id: str | None) -> None:
        """The change-feed row of a synced row, at its last write and version (the feed as compacted)."""
        self.changes.rows.append([row[3], "put", table.label, row[0], row[1], case_id])  # updated_at, id, version

    def write_loose(self) -> int:
        """Write the tables that wait for no lock; returns the number of rows written. On PostgreSQL, also
        format what `flush` will write, so that the lock is held for the writing only."""
        written = 0
        for model, table in self.tables.items():
            if model not in _LOCKED:
                written += len(table.rows)
                write_table(table)
        if connection.vendor == "postgresql":
            self._change_chunks = [_change_text(self.changes.rows)]
            self._event_tails = _event_tails(self.events)
        return written

    def flush(self) -> int:
        """Chain the events, write the cases, events and change feed (and any table `write_loose` did not);
        returns the number of rows written. The caller holds the transaction; the chain head is locked until it
        commits (which also keeps the change feed in commit order, see icmc.sync.feed)."""
        events = self.table(AuditEvent)
        assert tuple(events.columns) == _EVENT_COLUMNS, events.columns
        head = lock_head()
        seq, prev_hash = head.last_seq, head.last_hash
        key = chain_key()
        rows = events.rows
        for event in self.events:
            seq += 1
            digest = link_canonical(prev_hash=prev_hash, body=f"{event.before}{seq}{event.after}".encode(), key=key)
            rows.append([seq, prev_hash, digest, *event.values])
            prev_hash = digest
        head.last_seq, head.last_hash = seq, prev_hash
        head.save(update_fields=["last_seq", "last_hash"])
        event_chunks = None
        if self._event_tails is not None:
            event_chunks = ["".join([f"{row[0]}\t{row[1]}\t{row[2]}\t{tail}\n"
                                     for row, tail in zip(rows, self._event_tails, strict=True)])]
        self.events, self._event_tails = [], None
        written = 0
        for model, table in self.tables.items():
            written += len(table.rows)
            write_table(table, chunks=event_chunks if model is AuditEvent else
                        self._change_chunks if model is Change else None)
        self._change_chunks = None
        return written
