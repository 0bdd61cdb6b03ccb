"""What crosses to a node, per record type: a declared list of fields, read from the current row, and how each
type reaches its case (for snapshots). Whatever is declared goes through icmc.access.redaction.redact with the
node's clearance: a node whose users may not see P0 gets no P0 (icmc/access/sensitivity.py classifies every
field; an unclassified one fails). Sealed values (names, phones, place details) cross as their plain values
(derived `value`/`number`/`detail`), only to a node cleared for P0 and over TLS; sealed columns, blind indexes
and keys never cross.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models

from icmc.access.redaction import Clearance, redact
from icmc.access.sensitivity import Sensitivity
from icmc.sync.plain import id_in, plain_batches, plain_ids
from icmc.vault.sealed import key_kind, reveal_values, sealed_fields

_SKIP = ("id", "created_at")


@dataclass(frozen=True, kw_only=True)
class Projection:
    model: str  # app_label.ModelName
    fields: tuple[str, ...]
    many: tuple[str, ...] = field(default=())  # many-to-many fields, served as lists of primary keys
    derived: tuple[str, ...] = field(default=())  # attributes that are not columns (a sealed value's plain text)
    scope: str = "case"  # case | identity (the case's persons) | reference (no case, not personal)
    case_path: str = "case"  # lookup from a row to its case id (for snapshots)


def _all(model: str, *, case_path: str, scope: str = "case", skip: tuple[str, ...] = ()) -> Projection:
    """Every column and many-to-many field of the model (the sensitivity registry classifies each); a sealed
    column crosses as its plain value (derived), never as its token or blind index."""
    klass = apps.get_model(model)
    sealed = sealed_fields(klass)  # type: ignore[arg-type]
    hidden = {f"{name}_sealed" for name in sealed} | {f"{name}_index" for name in sealed}
    columns = tuple(f.name for f in klass._meta.concrete_fields if f.name not in (*_SKIP, *skip, *hidden))
    many = tuple(f.name for f in klass._meta.many_to_many)
    return Projection(model=model, fields=columns, many=many, derived=sealed, scope=scope, case_path=case_path)


def _declared() -> list[Projection]:
    from icmc.pathway.records import KINDS

    fixed = [
        Projection(model="cases.Case", case_path="pk", fields=(
            "reference", "owner", "case_manager", "reported_at", "reporter_type", "summary", "status", "stage",
            "source_ahtu", "destination_ahtu", "closure_outcome", "closed_at", "version", "created_at",
            "updated_at"), many=("exploitation_types",)),
        Projection(model="cases.CasePlace", fields=("case", "kind", "jurisdiction", "position", "version"),
                   derived=("detail",)),
        Projection(model="cases.Person", scope="identity", case_path="parties__case", fields=(
            "gender", "birth_date", "estimated_age", "age_estimated_on", "citizenship", "languages", "is_deceased",
            "registered_by", "version", "created_at")),
        Projection(model="cases.PersonName", scope="identity", case_path="person__parties__case",
                   fields=("person", "script", "is_alias", "position", "version"), derived=("value",)),
        Projection(model="cases.PersonPhone", scope="identity", case_path="person__parties__case",
                   fields=("person", "version"), derived=("number",)),
        Projection(model="cases.CaseParty", scope="identity", fields=("case", "person", "role", "version")),
        Projection(model="cases.Note", fields=("case", "author", "organisation", "body", "created_at")),
        Projection(model="accounts.Organisation", scope="reference", case_path="", fields=(
            "name", "kind", "is_government", "jurisdiction", "reference_prefix", "time_zone", "is_active",
            "version")),
        _all("pathway.SurvivorPathway", case_path="party__case"),
        _all("pathway.RescuedPerson", case_path="operation__case"),
        _all("referrals.Referral", case_path="case"),
        _all("referrals.ReferralTransition", case_path="referral__case"),
        _all("referrals.Consent", case_path="case"),
        _all("deadlines.Task", case_path="case"),
    ]
    kinds = [_all(kind.model._meta.label, case_path=kind.case_path) for kind in KINDS.values()]
    by_model = {p.model.lower(): p for p in kinds}
    by_model.update({p.model.lower(): p for p in fixed})
    return list(by_model.values())


PROJECTIONS: dict[str, Projection] = {p.model.lower(): p for p in _declared()}


def projections() -> dict[str, Projection]:
    return PROJECTIONS


def types_in(scope: str) -> list[str]:
    return [name for name, p in projections().items() if p.scope == scope]


@functools.cache
def _allowed_keys(projection: Projection, classes: frozenset[Sensitivity]) -> frozenset[str]:
    """The keys of this type a reader with these classes may receive: decided by the one redaction function,
    once per type and clearance (not per record)."""
    keys = (*projection.fields, *projection.derived, *projection.many)
    shown = redact(dict.fromkeys(keys), model=projection.model, clearance=Clearance(classes=classes))
    return frozenset(keys) - shown.withheld


def _allowed(projection: Projection, clearance: Clearance) -> set[str]:
    """The keys of this type the node may receive (the one redaction function decides, once per type)."""
    return set(_allowed_keys(projection, clearance.classes))


def _rows(model: type[models.Model], projection: Projection, queryset: models.QuerySet[Any],
          clearance: Clearance, only: frozenset[str] | None = None) -> dict[str, dict[str, Any]]:
    """By id (as text). Withheld fields are left out, never sent empty. Plain types are read as plain values
    (icmc/sync/plain.py: no model instances); types with derived values (sealed names and phones) through their
    manager, which opens them."""
    allowed = _allowed(projection, clearance)
    if only is not None:  # a partner centre: what its data-sharing agreement lets cross (and "version")
        allowed &= only | {"version"}
    fields = tuple(name for name in projection.fields if name in allowed)
    attnames = [model._meta.get_field(name).attname for name in fields]  # type: ignore[union-attr]
    queryset = queryset.order_by()  # whole sets per type: no order needed
    result: dict[str, dict[str, Any]] = {}
    derived = [name for name in projection.derived if name in allowed]
    if derived:  # sealed values (names, phones, place details): opened by the vault, from the tokens' columns
        sealed = sealed_fields(model)
        owner = f"{key_kind(model)}_id"
        columns = [*attnames, owner, *(f"{name}_sealed" for name in sealed)]
        width = len(attnames)
        kept = [(i, name) for i, name in enumerate(sealed) if name in derived]
        for batch in plain_batches(queryset, attnames=columns):
            opened = reveal_values(model, [(row[-1], row[width], row[width + 1:-1]) for row in batch])
            for row, values in zip(batch, opened, strict=True):
                data = dict(zip(fields, row[:width], strict=True))
                data.update({name: values[i] for i, name in kept})
                result[row[-1]] = data
    else:
        for batch in plain_batches(queryset, attnames=attnames):
            # The id, last in each row, has no name: zip leaves it out of the data.
            result.update({row[-1]: dict(zip(fields, row, strict=False)) for row in batch})
    for name in projection.many:
        if name not in allowed:
            continue
        related: dict[str, list[str]] = {pk: [] for pk in result}
        field = model._meta.get_field(name)
        through = field.remote_field.through  # type: ignore[union-attr]
        source = field.m2m_field_name() + "_id"  # type: ignore[union-attr]
        target = field.m2m_reverse_field_name() + "_id"  # type: ignore[union-attr]
        for owner, other in id_in(through._default_manager.all(), column=source, ids=list(result)).values_list(
                source, target):
            related[str(owner)].append(str(other))
        for pk, values in related.items():
            result[pk][name] = sorted(values)
    return result


def project_rows(*, object_type: str, ids: list[uuid.UUID], clearance: Clearance,
                 only: frozenset[str] | None = None) -> dict[str, dict[str, Any]]:
    """The projected data of the current rows (missing rows are absent from the answer), cut down to what the
    node may receive (icmc.access.redaction.redact): a withheld field is left out, never sent empty."""
    projection = projections()[object_type]
    model: type[models.Model] = apps.get_model(projection.model)
    return _rows(model, projection, id_in(model._default_manager.all(), column="pk", ids=ids), clearance, only)


Memo = dict[tuple[str, str], list[Any]]  # (model label, path) -> ids of its rows that reach the cases by the path


def project_cases(*, object_type: str, case_ids: list[uuid.UUID], clearance: Clearance,
                  only: frozenset[str] | None = None, memo: Memo | None = None
                  ) -> dict[str, dict[str, Any]]:
    """The projected rows of this type that belong to these cases (for a snapshot). `memo`: ids found on the
    way (the cases' parties, referrals, ...), kept between the types of one snapshot of the same cases."""
    projection = projections()[object_type]
    model: type[models.Model] = apps.get_model(projection.model)
    queryset = _reaching(model._default_manager.all(), projection.case_path, case_ids, {} if memo is None else memo)
    return _rows(model, projection, queryset, clearance, only)


def _reaching(queryset: models.QuerySet[Any], path: str, case_ids: list[Any], memo: Memo) -> models.QuerySet[Any]:
    """The rows of the queryset whose `path` reaches one of the cases, hop by hop: the ids of each intermediate
    model are looked up first (`rescue -> party -> case`: the cases' parties, then the rescues of those
    parties), so that every query is an index look-up by a list of ids, whatever the tables' sizes (a join over
    a whole table per type and page made a large first sync slow), and a row reached through a relation to
    many (a person in two of the cases) comes once."""
    model = queryset.model
    hop, _, rest = path.partition("__")
    if hop == "pk":
        return id_in(queryset, column="pk", ids=case_ids)
    field = model._meta.get_field(hop)
    if not rest:
        return id_in(queryset, column=field.attname, ids=case_ids)  # type: ignore[union-attr]
    if _forward(field):
        return id_in(queryset, column=field.attname,  # type: ignore[union-attr]
                     ids=_ids(field.related_model, rest, case_ids, memo))  # type: ignore[arg-type]
    return id_in(queryset, column="pk", ids=_ids(model, path, case_ids, memo))


def _ids(model: type[models.Model], path: str, case_ids: list[Any], memo: Memo) -> list[Any]:
    key = (model._meta.label, path)
    if key not in memo:
        hop, _, rest = path.partition("__")
        field = model._meta.get_field(hop)
        if _forward(field) or not rest:
            memo[key] = plain_ids(_reaching(model._base_manager.all(), path, case_ids, memo), column="pk")
        else:  # the other side's foreign key to this model (a person's parties)
            other: type[models.Model] = field.related_model  # type: ignore[assignment]
            memo[key] = list(set(plain_ids(_reaching(other._base_manager.all(), rest, case_ids, memo),
                                           column=field.field.attname)))  # type: ignore[union-attr]
    return memo[key]


def _forward(field: Any) -> bool:
    """A foreign key (or one-to-one) column of the model itself."""
    return bool(field.many_to_one or (field.one_to_one and field.concrete))


@functools.cache
def _to_many(model: type[models.Model], path: str) -> bool:
    """Whether the lookup path crosses a relation to many rows (then a row can match more than once)."""
    for hop in path.split("__"):
        if hop == "pk":
            return False
        field = model._meta.get_field(hop)
        if field.one_to_many or field.many_to_many:
            return True
        if field.related_model is None:
            return False
        model = field.related_model  # type: ignore[assignment]
    return False


def project_all(*, object_type: str, clearance: Clearance,
                only: frozenset[str] | None = None) -> dict[str, dict[str, Any]]:
    """Every row of a reference type (organisations), for a snapshot."""
    projection = projections()[object_type]
    model: type[models.Model] = apps.get_model(projection.model)
    return _rows(model, projection, model._default_manager.all(), clearance, only)


def versions_of(*, object_type: str, case_ids: list[uuid.UUID] | None) -> list[tuple[uuid.UUID, int]]:
    """(id, version) of the rows of this type in these cases (None: every row), for the integrity digest."""
    projection = projections()[object_type]
    model: type[models.Model] = apps.get_model(projection.model)
    queryset = model._default_manager.all()
    if case_ids is not None:
        queryset = queryset.filter(**{f"{projection.case_path}__in": case_ids})
        if _to_many(model, projection.case_path):
            queryset = queryset.distinct()
    if "version" in projection.fields:
        return [(pk, int(v)) for pk, v in queryset.values_list("pk", "version")]
    return [(pk, 1) for pk in queryset.values_list("pk", flat=True)]
