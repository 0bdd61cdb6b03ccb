"""What crosses to a node, per record type: a declared list of fields, read from the current row.

Left out until field encryption lands (icmc/vault): every P0 value (names, phones, birth dates, place
details). PersonName and PersonPhone are therefore not served at all, Person without birth_date, CasePlace
without detail. Types not declared here are not served (see docs/sync.md for the list still to add).
Whatever is declared goes through icmc.access.redaction.redact with the node's clearance: a node whose users
may not see P0 gets no P0 (icmc/access/sensitivity.py classifies every field; an unclassified one fails).
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


@dataclass(frozen=True, kw_only=True)
class Projection:
    model: str  # app_label.ModelName
    fields: tuple[str, ...]
    many: tuple[str, ...] = field(default=())  # many-to-many fields, served as lists of primary keys
    scope: str = "case"  # case | identity (the case's persons) | reference (no case, not personal)


PROJECTIONS: dict[str, Projection] = {
    p.model.lower(): p for p in [
        Projection(model="cases.Case", fields=(
            "reference", "owner", "case_manager", "reported_at", "reporter_type", "summary", "status", "stage",
            "source_ahtu", "destination_ahtu", "closure_outcome", "closed_at", "version", "created_at",
            "updated_at"), many=("exploitation_types",)),
        Projection(model="cases.CasePlace", fields=("case", "kind", "jurisdiction", "position", "version")),
        Projection(model="cases.Person", scope="identity", fields=(
            "gender", "estimated_age", "age_estimated_on", "citizenship", "languages", "is_deceased",
            "registered_by", "version", "created_at")),
        Projection(model="cases.CaseParty", scope="identity", fields=("case", "person", "role", "version")),
        Projection(model="cases.Note", fields=("case", "author", "organisation", "body", "created_at")),
        Projection(model="prosecution.FIR", fields=(
            "case", "police_station", "police_station_name", "number", "registered_on", "version",
            "updated_at")),
        Projection(model="accounts.Organisation", scope="reference", fields=(
            "name", "kind", "is_government", "jurisdiction", "reference_prefix", "time_zone", "is_active",
            "version")),
    ]
}


def types_in(scope: str) -> list[str]:
    return [name for name, p in PROJECTIONS.items() if p.scope == scope]


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def _attname(model: type[models.Model], name: str) -> str:
    """"owner" -> "owner_id"; the plain value of a sealed column (icmc.vault, e.g. CasePlace.detail) as is."""
    if name in sealed_fields(model):
        return name
    return model._meta.get_field(name).attname  # type: ignore[union-attr]


def project_rows(*, object_type: str, ids: list[uuid.UUID],
                 clearance: Clearance) -> dict[uuid.UUID, dict[str, Any]]:
    """The projected data of the current rows (missing rows are absent from the answer), cut down to what the
    node may receive (icmc.access.redaction.redact): a withheld field is left out, never sent empty."""
    projection = PROJECTIONS[object_type]
    model: type[models.Model] = apps.get_model(projection.model)
    queryset = model._default_manager.filter(pk__in=ids)
    if projection.many:
        queryset = queryset.prefetch_related(*projection.many)
    result: dict[uuid.UUID, dict[str, Any]] = {}
    for obj in queryset:
        data: dict[str, Any] = {}
        for name in projection.fields:
            data[name] = _plain(getattr(obj, _attname(model, name)))
        for name in projection.many:
            data[name] = sorted(str(related.pk) for related in getattr(obj, name).all())
        shown = redact(data, model=projection.model, clearance=clearance)
        result[obj.pk] = {key: value for key, value in shown.items() if key not in shown.withheld}
    return result
