"""Per-field versions of editable records, for conflict detection (docs/sync.md, "Conflicts").

TRACKED declares, per editable type, the fields whose versions are kept and which of them are **protected**
(a concurrent change to them always goes to the conflict inbox). Insert-only types (notes, persons, parties,
consents, referral steps, places) are not tracked: they never conflict.
"""

from __future__ import annotations

import datetime
import functools
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.crypto import salted_hmac

from icmc.access.sensitivity import P0, classes_of
from icmc.sync.models import RecordState
from icmc.vault.sealed import sealed_fields


@dataclass(frozen=True, kw_only=True)
class Tracked:
    fields: tuple[str, ...]
    protected: tuple[str, ...] = ()
    p0: tuple[str, ...] = ()  # identity/whereabouts (from icmc.access.sensitivity): sealed in conflicts


_FIXED: dict[str, Tracked] = {
    "cases.case": Tracked(
        fields=("summary", "reporter_type", "source_ahtu", "destination_ahtu", "case_manager", "owner", "status",
                "stage", "closure_outcome", "closure_reason"),
        protected=("owner", "case_manager", "status", "stage", "closure_outcome")),
    "pathway.survivorpathway": Tracked(fields=("stage",), protected=("stage",)),
    "referrals.referral": Tracked(fields=("state", "purpose", "to_organisation"),
                                  protected=("state", "to_organisation")),
    "deadlines.task": Tracked(fields=("state", "note", "owner_organisation", "owner_user"),
                              protected=("state", "owner_organisation", "owner_user")),
}


@functools.cache
def tracked_types() -> dict[str, Tracked]:
    """The fixed declarations plus every pathway and prosecution record kind (the fields of its form), each
    with its P0 fields as icmc.access.sensitivity classes them."""
    from icmc.pathway.records import KINDS

    declared = dict(_FIXED)
    for kind in KINDS.values():
        name = f"{kind.model._meta.app_label}.{kind.model._meta.model_name}"
        columns = {f.name for f in kind.model._meta.get_fields() if getattr(f, "concrete", False)}
        columns |= set(sealed_fields(kind.model))  # a sealed column as its plain value (e.g. place_detail)
        fields = tuple(f for f in kind.form._meta.fields or () if f in columns)  # type: ignore[attr-defined]
        previous = declared.get(name)
        declared[name] = Tracked(fields=tuple(dict.fromkeys((previous.fields if previous else ()) + fields)),
                                 protected=previous.protected if previous else ())
    result = {}
    for name, tracked in declared.items():
        classes = classes_of(apps.get_model(name)._meta.label)
        result[name] = Tracked(fields=tracked.fields, protected=tracked.protected,
                               p0=tuple(f for f in tracked.fields if classes.get(f) == P0))
    return result


def type_name(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def field_value(obj: models.Model, name: str) -> Any:
    if name in sealed_fields(type(obj)):  # the plain value the vault opened (never the token)
        return getattr(obj, name)
    field = obj._meta.get_field(name)
    if field.many_to_many:
        return sorted(str(pk) for pk in getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
    return plain(getattr(obj, field.attname))  # type: ignore[union-attr]


def value_hash(value: Any) -> str:
    """A keyed digest (HMAC from SECRET_KEY), so that a database dump does not reveal short P0 values."""
    text = json.dumps(value, sort_keys=True, default=str)
    return salted_hmac("icmc.sync.field-version", text, algorithm="sha256").hexdigest()[:16]


def track(objs: Iterable[models.Model], *, inserted: bool = False) -> None:
    """Raise the field versions of the tracked records just written (inside the action's transaction). `inserted`:
    every record was inserted by this transaction, so none has field versions yet (they are not read)."""
    declared = tracked_types()
    rows = {(type_name(o), o.pk): o for o in objs if type_name(o) in declared}
    if not rows:
        return
    states = {} if inserted else {
        (s.object_type, s.object_id): s for s in RecordState.objects.filter(object_id__in=[pk for _, pk in rows])}
    new, changed = [], []
    for (name, pk), obj in rows.items():
        version = int(getattr(obj, "version", 1))
        hashes = {f: value_hash(field_value(obj, f)) for f in declared[name].fields}
        state = states.get((name, pk))
        if state is None:
            new.append(RecordState(object_type=name, object_id=pk, fields={f: [version, h] for f, h in hashes.items()}))
            continue
        moved = {f: [version, h] for f, h in hashes.items() if state.fields.get(f, [0, ""])[1] != h}
        if moved:
            state.fields = state.fields | moved
            changed.append(state)
    if new:
        RecordState.objects.bulk_create(new)
    if changed:
        RecordState.objects.bulk_update(changed, ["fields"])


def field_versions(*, object_type: str, object_id: uuid.UUID, record_version: int) -> dict[str, int]:
    """The version at which each tracked field last changed. A record written before tracking began counts all
    its fields as changed at its present version (conservative: a concurrent edit is never missed)."""
    state = RecordState.objects.filter(object_type=object_type, object_id=object_id).first()
    fields = tracked_types()[object_type].fields
    if state is None:
        return {f: record_version for f in fields}
    return {f: int(state.fields.get(f, [record_version])[0]) for f in fields}
