"""What crosses to a node, per record type: a declared list of fields, read from the current row, and how each
type reaches its case (for snapshots). Whatever is declared goes through icmc.access.redaction.redact with the
node's clearance: a node whose users may not see P0 gets no P0 (icmc/access/sensitivity.py classifies every
field; an unclassified one fails). Sealed values (names, phones, place details) cross as their plain values
(derived `value`/`number`/`detail`), only to a node cleared for P0 and over TLS; sealed columns, blind indexes
and keys never cross.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models

from icmc.access.redaction import Clearance, redact
from icmc.vault.sealed import sealed_fields

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


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def _allowed(projection: Projection, clearance: Clearance) -> set[str]:
    """The keys of this type the node may receive (the one redaction function decides, once per type)."""
    keys = (*projection.fields, *projection.derived, *projection.many)
    shown = redact(dict.fromkeys(keys), model=projection.model, clearance=clearance)
    return set(keys) - set(shown.withheld)


def _rows(model: type[models.Model], projection: Projection, queryset: models.QuerySet[Any],
          clearance: Clearance, only: frozenset[str] | None = None) -> dict[uuid.UUID, dict[str, Any]]:
    """Withheld fields are left out, never sent empty. Plain types are read as tuples (no model instances);
    types with derived values (sealed names and phones) through their manager, which opens them."""
    allowed = _allowed(projection, clearance)
    if only is not None:  # a partner centre: what its data-sharing agreement lets cross (and "version")
        allowed &= only | {"version"}
    fields = [name for name in projection.fields if name in allowed]
    attnames = [model._meta.get_field(name).attname for name in fields]  # type: ignore[union-attr]
    result: dict[uuid.UUID, dict[str, Any]] = {}
    derived = [name for name in projection.derived if name in allowed]
    if derived:
        for obj in queryset:
            data = {name: _plain(getattr(obj, attname)) for name, attname in zip(fields, attnames, strict=True)}
            data.update({name: getattr(obj, name) for name in derived})
            result[obj.pk] = data
    else:
        for pk, *values in queryset.values_list("pk", *attnames):
            result[pk] = {name: _plain(value) for name, value in zip(fields, values, strict=True)}
    for name in projection.many:
        if name not in allowed:
            continue
        related: dict[uuid.UUID, list[str]] = {pk: [] for pk in result}
        field = model._meta.get_field(name)
        through = field.remote_field.through  # type: ignore[union-attr]
        source = field.m2m_field_name() + "_id"  # type: ignore[union-attr]
        target = field.m2m_reverse_field_name() + "_id"  # type: ignore[union-attr]
        for owner, other in through._default_manager.filter(**{f"{source}__in": list(result)}).values_list(
                source, target):
            related[owner].append(str(other))
        for pk, values in related.items():
            result[pk][name] = sorted(values)
    return result


def project_rows(*, object_type: str, ids: list[uuid.UUID], clearance: Clearance,
                 only: frozenset[str] | None = None) -> dict[uuid.UUID, dict[str, Any]]:
    """The projected data of the current rows (missing rows are absent from the answer), cut down to what the
    node may receive (icmc.access.redaction.redact): a withheld field is left out, never sent empty."""
    projection = projections()[object_type]
    model: type[models.Model] = apps.get_model(projection.model)
    return _rows(model, projection, model._default_manager.filter(pk__in=ids), clearance, only)


def project_cases(*, object_type: str, case_ids: list[uuid.UUID], clearance: Clearance,
                  only: frozenset[str] | None = None) -> dict[uuid.UUID, dict[str, Any]]:
    """The projected rows of this type that belong to these cases (for a snapshot)."""
    projection = projections()[object_type]
    model: type[models.Model] = apps.get_model(projection.model)
    queryset = model._default_manager.filter(**{f"{projection.case_path}__in": case_ids})
    if "__" in projection.case_path:
        queryset = queryset.distinct()
    return _rows(model, projection, queryset, clearance, only)


def project_all(*, object_type: str, clearance: Clearance,
                only: frozenset[str] | None = None) -> dict[uuid.UUID, dict[str, Any]]:
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
        queryset = queryset.filter(**{f"{projection.case_path}__in": case_ids}).distinct()
    if "version" in projection.fields:
        return [(pk, int(v)) for pk, v in queryset.values_list("pk", "version")]
    return [(pk, 1) for pk in queryset.values_list("pk", flat=True)]
