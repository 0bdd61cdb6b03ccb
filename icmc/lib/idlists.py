"""Rows whose uuid column is one of a (long) list of ids, as one query parameter on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections, models
from django.db.models import F, Lookup, Q


class _AnyOf(Lookup):  # type: ignore[type-arg]
    """`column = ANY(%s::uuid[])`: a list of ids as one parameter, the array's text (`{id,id,...}`). In
    `IN (%s, %s, ...)` each id is one parameter that Django and psycopg prepare and quote one by one, and a
    Python list is still dumped element by element (a regular expression per id to decide its quoting): with a
    snapshot's tens of thousands of ids a page, either was a large part of its time. Ids are uuids (objects or
    their text), so the array's text needs no quoting; the database parses it, and refuses anything else (a
    None, which could never match, is left out)."""

    lookup_name = "icmc_any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        ids = ",".join(str(i) for i in self.rhs if i is not None)  # a NULL element never matches: left out
        return f"{lhs} = ANY(%s::uuid[])", [*params, "{" + ids + "}"]


def ids_q(*, column: str, ids: Iterable[Any], using: str = "default") -> Q:
    """The condition "`column` is one of `ids`", to combine with others (`|`, `&`) before filtering; as one
    parameter on PostgreSQL (`using` names the database the query will run on)."""
    if connections[using].vendor == "postgresql":
        return Q(_AnyOf(F(column), list(ids)))
    return Q(**{f"{column}__in": list(ids)})


def id_in(queryset: models.QuerySet[Any], *, column: str, ids: Iterable[Any]) -> models.QuerySet[Any]:
    """The rows whose `column` (a uuid column's attname, or "pk") is one of `ids` (all uuids, or all text)."""
    return queryset.filter(ids_q(column=column, ids=ids, using=queryset.db))
