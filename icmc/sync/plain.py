"""Rows as plain JSON values, for the feed: ids (uuids) as text, dates and times as ISO 8601 (what `str` and
`isoformat` write), decimals as text, JSON columns parsed; the primary key (as text) last in each row.

A first sync reads about a hundred rows per case, and making a uuid, datetime or Decimal object for each value
only to turn it back into text was most of its time. So on PostgreSQL (with its ISO date style) the database
writes these values as text and the rows are read with text loaders on that one cursor (psycopg's loaders are
per cursor: nothing else is affected), and timestamps are written by the query itself as `isoformat` writes them
in UTC (`2026-01-08T06:30:00.120000+00:00`, no fraction when there is none). Elsewhere (SQLite),
the ORM's values with one converter per column. Both give the same values (tests/sync/test_plain.py).
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from psycopg.types.string import TextLoader

from icmc.lib.idlists import id_in

BATCH = 5000  # rows fetched at a time

__all__ = ["id_in", "plain_batches", "plain_ids", "plain_rows", "prefer_index_lookups"]


def prefer_index_lookups(*, using: str = "default") -> None:
    """For the rest of the current transaction (PostgreSQL), price a random read as a cached or SSD read
    (`random_page_cost` 1.1, not the spinning-disk default of 4). The feed reads rows by lists of ids (a
    snapshot page: the tasks, visits, referral steps ... of ~170 cases); at the default the planner scanned whole
    tables for them (every referral step of the database, 100,000 rows, to return 1,800: 43 ms instead of 4),
    once per type and page, so a first sync cost more as the database grew. Only the plans change, not the rows."""
    connection = connections[using]
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL random_page_cost = 1.1")


def plain_ids(queryset: models.QuerySet[Any], *, column: str) -> list[str]:
    """The values of one uuid column (an attname, or "pk") of the queryset, as text: ids to pass on to
    `id_in`, without making a uuid object of each only to write it back as text (on PostgreSQL the database
    writes them)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return [str(value) for value in queryset.values_list(column, flat=True)]
    try:
        sql, params = queryset.values_list(column, flat=True).query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.cursor.adapters.register_loader("uuid", TextLoader)  # this cursor's own map, as in _postgres_batches
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _isoformat(value: datetime.date) -> str:
    return value.isoformat()


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How the ORM's value of a column becomes plain JSON; None: as it is (text, numbers, booleans, JSON)."""
    if field.is_relation:
        field = field.target_field  # type: ignore[attr-defined]
    if isinstance(field, models.UUIDField):
        return str
    if isinstance(field, models.DateField):  # DateTimeField too
        return _isoformat
    if isinstance(field, models.DecimalField):
        return str
    return None


Converters = list[tuple[int, Callable[[Any], Any]]]  # (position in the row, converter)


@functools.cache
def _columns(label: str, attnames: tuple[str, ...]) -> tuple[Converters, Converters, frozenset[str]]:
    """The columns to convert: from the ORM's values, and from PostgreSQL's text (only JSON columns, which
    arrive as text there); and the timestamp columns (PostgreSQL writes them as isoformat does)."""
    model = apps.get_model(label)
    fields = [model._meta.get_field(name) for name in attnames]
    orm: Converters = [(i, conv) for i, f in enumerate(fields)
                       if (conv := _converter(f)) is not None]  # type: ignore[arg-type]
    text: Converters = [(i, functools.partial(json.loads, cls=f.decoder)) for i, f in enumerate(fields)
                        if isinstance(f, models.JSONField)]
    stamps = frozenset(name for name, f in zip(attnames, fields, strict=True) if isinstance(f, models.DateTimeField))
    return orm, text, stamps


def plain_rows(queryset: models.QuerySet[Any], *, attnames: Sequence[str]) -> Iterator[list[Any]]:
    """The rows of the queryset as lists: the plain values of `attnames` (column names, e.g. `case_id`),
    then the primary key as text."""
    for batch in plain_batches(queryset, attnames=attnames):
        for row in batch:
            yield list(row)


def plain_batches(queryset: models.QuerySet[Any], *, attnames: Sequence[str]) -> Iterator[list[Sequence[Any]]]:
    """plain_rows a batch at a time (each row a sequence: the plain values of `attnames`, then the primary key
    as text), for callers that make something of every row: no generator step per row."""
    orm, text, stamps = _columns(queryset.model._meta.label, tuple(attnames))
    connection = connections[queryset.db]
    if connection.vendor == "postgresql" and _iso_date_style(connection):
        batches, convert = _postgres_batches(queryset, attnames=attnames, stamps=stamps), text
    else:
        batches, convert = _orm_batches(queryset, attnames=attnames), orm
    for batch in batches:
        if convert:
            batch = [_converted(row, convert) for row in batch]
        yield batch


def _converted(row: Sequence[Any], convert: Converters) -> list[Any]:
    values = list(row)
    for i, conv in convert:
        value = values[i]
        if value is not None:
            values[i] = conv(value)
    return values


def _orm_batches(queryset: models.QuerySet[Any], *, attnames: Sequence[str]) -> Iterator[list[Sequence[Any]]]:
    batch: list[Sequence[Any]] = []
    for row in queryset.values_list(*attnames, "pk"):
        values = list(row)
        values[-1] = str(values[-1])
        batch.append(values)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _iso_date_style(connection: Any) -> bool:
    connection.ensure_connection()
    return str(connection.connection.info.parameter_status("DateStyle") or "").startswith("ISO")


# A timestamptz as `datetime.isoformat` writes it in UTC: microseconds only when there are some.
_ISO = ("(to_char({c} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN date_trunc('second', {c}) = {c} "
        "THEN '' ELSE to_char({c} AT TIME ZONE 'UTC', '.US') END || '+00:00')")


def _postgres_batches(queryset: models.QuerySet[Any], *, attnames: Sequence[str],
                   stamps: frozenset[str]) -> Iterator[list[Sequence[Any]]]:
    query = queryset.values_list(*attnames, "pk").query
    try:
        sql, params = query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # e.g. `__in` an empty list: no rows, no query (as the ORM does)
        return
    if stamps:  # the values_list query selects each column as its attname (the model's own names, quoted)
        quote = connections[queryset.db].ops.quote_name
        columns = [_ISO.format(c=f"q.{quote(name)}") if name in stamps else f"q.{quote(name)}"
                   for name in (*attnames, "pk")]
        sql = f"SELECT {', '.join(columns)} FROM ({sql}) AS q"  # noqa: S608 (no input in it)
    with connections[queryset.db].cursor() as cursor:
        adapters = cursor.cursor.adapters  # this cursor's own map (copied on write from the connection's)
        for name in ("uuid", "date", "numeric"):
            adapters.register_loader(name, TextLoader)
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(BATCH):
            yield batch
