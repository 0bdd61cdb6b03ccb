"""Pulled changes into the field node's own tables, so its pages and API show them offline.

The upstream is the authority: a pulled row replaces the local one (same id: rows created offline got the ids
the upstream derives when it replays them, icmc.lib.ids). Two exceptions:
- a record written by a local mutation that is not pushed yet is **held back** (the pulled data waits in the
  Replica table and is applied once the mutation has been pushed: `release`), so an unsynced local edit is
  never overwritten;
- a row whose required references are not on the node yet (an organisation or person not pulled yet) waits in
  the Replica table too and is applied with a later page (`release` retries it).
Users named by pulled rows (authors, case managers) who are not served by this node are kept as inactive
placeholders (no password, cannot sign in), so the rows can point at them.

A local mutation the upstream did not apply (rejected, or held in the case's conflict inbox) is **undone**
here once its result comes back (`undo_not_applied`): the rows it wrote go back to the upstream's copy (the
Replica row), and a row it created that the upstream never had is deleted, so the replica converges to the
upstream. The mutation itself stays in the outbox with its result and reason (shown on the node's page).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from icmc.cases.models import ExploitationTypeRef
from icmc.fieldnode.models import LocalWrite
from icmc.fieldnode.sealing import seal_row, sealed_in
from icmc.fieldnode.wipe import delete_with_dependants
from icmc.sync.models import Outbox, Replica
from icmc.sync.projection import PROJECTIONS

User = get_user_model()


def held_keys() -> set[tuple[str, str]]:
    """(type, id) of the records written by local mutations still waiting to be pushed."""
    pending = Outbox.objects.filter(status="pending").values("seq")
    return {(t, str(i)) for t, i in LocalWrite.objects.filter(seq__in=pending).values_list("object_type",
                                                                                             "object_id")}


NOT_APPLIED = ("rejected", "conflict")  # outbox statuses whose local effect the upstream does not hold


@transaction.atomic
def undo_not_applied() -> dict[str, int]:
    """Put back the rows written by local mutations the upstream did not apply (see the module docstring).
    A row also written by a mutation still waiting to be pushed is left alone (held back, as in a pull). The
    bookkeeping of the undone mutations (LocalWrite) is then dropped, so each is undone once."""
    seqs = set(Outbox.objects.filter(status__in=NOT_APPLIED, seq__in=LocalWrite.objects.values("seq"))
               .values_list("seq", flat=True))
    if not seqs:
        return {}
    pending = held_keys()
    counts = {"restored": 0, "undone": 0}
    keys = {(t, str(i)) for t, i in LocalWrite.objects.filter(seq__in=seqs).values_list("object_type",
                                                                                          "object_id")}
    created_here = []
    for object_type, object_id in sorted(keys):
        if (object_type, object_id) in pending or object_type not in PROJECTIONS:
            continue
        pulled = Replica.objects.filter(object_type=object_type, object_id=object_id).first()
        if pulled is not None:
            counts["restored"] += _undo_one(partial(_restore, object_type=object_type, object_id=object_id,
                                                    data=pulled.data))
        elif _first_writer(object_type=object_type, object_id=object_id) in seqs:
            created_here.append((object_type, object_id))
        # else: written first by a mutation the upstream applied; its pulled row replaces this one
    for object_type, object_id in created_here:
        counts["undone"] += _undo_one(partial(_remove, object_type=object_type, object_id=object_id))
    LocalWrite.objects.filter(seq__in=seqs).delete()
    return counts


def _restore(*, object_type: str, object_id: str, data: dict[str, Any]) -> int:
    return int(_put(object_type=object_type, object_id=object_id, data=data))


def _undo_one(undo: Callable[[], int]) -> int:
    """One row put back, in its own savepoint: a row the database will not let go (another local row still
    points at it) is left as it is rather than stopping every later sync."""
    try:
        with transaction.atomic():
            return undo()
    except (IntegrityError, ProtectedError, RestrictedError):
        return 0


def _first_writer(*, object_type: str, object_id: str) -> int | None:
    return LocalWrite.objects.filter(object_type=object_type, object_id=object_id).order_by("seq") \
        .values_list("seq", flat=True).first()


def apply_changes(changes: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Materialise a page of pulled changes (inside the page's transaction). Returns counts per outcome."""
    held = held_keys()
    counts = {"applied": 0, "held": 0, "waiting": 0, "removed": 0}
    for change in changes:
        key = (change["type"], str(change["id"]))
        if change["type"] not in PROJECTIONS:
            continue
        if key in held:
            counts["held"] += 1
        elif change.get("op") == "remove":
            counts["removed"] += _remove(object_type=change["type"], object_id=change["id"])
        elif _put(object_type=change["type"], object_id=change["id"], data=change["data"]):
            counts["applied"] += 1
        else:
            counts["waiting"] += 1
        _scrub_replica(object_type=change["type"], object_id=change["id"], data=change.get("data") or {})
    return counts


def _scrub_replica(*, object_type: str, object_id: str, data: dict[str, Any]) -> None:
    """The Replica copy keeps no plain identity value (it is sealed in the real row)."""
    sealed = sealed_in(_model(object_type), data)
    if sealed:
        Replica.objects.filter(object_type=object_type, object_id=object_id).update(
            data={k: v for k, v in data.items() if k not in sealed})


@transaction.atomic
def release() -> dict[str, int]:
    """Apply what was held back or waiting: every replica row that differs from the local row's version."""
    changes = []
    for row in Replica.objects.order_by("seq"):
        model = _model(row.object_type)
        local = model._default_manager.filter(pk=row.object_id).values_list("version", flat=True).first() \
            if _has_version(model) else None
        if local is None or local != row.version:
            changes.append({"type": row.object_type, "id": str(row.object_id), "op": "put", "data": row.data})
    return apply_changes(changes)


def _model(object_type: str) -> type[models.Model]:
    return apps.get_model(PROJECTIONS[object_type].model)


def _has_version(model: type[models.Model]) -> bool:
    return any(f.name == "version" for f in model._meta.get_fields())


def _put(*, object_type: str, object_id: str, data: dict[str, Any]) -> bool:
    projection = PROJECTIONS[object_type]
    model = _model(object_type)
    values: dict[str, Any] = {}
    for name in projection.fields:
        if name not in data:
            continue
        field = model._meta.get_field(name)
        value = data[name]
        if isinstance(field, models.ForeignKey) and value is not None and not _target_ready(field=field, value=value):
            return False
        values[field.attname] = value  # type: ignore[union-attr]  # a concrete field (the projection's)
    now = timezone.now()
    sealed = sealed_in(model, data)
    with transaction.atomic():
        if sealed:
            _put_sealed(model=model, object_id=object_id, values=values, sealed=sealed, now=now)
        else:
            updated = model._default_manager.filter(pk=object_id).update(**values)
            if not updated:
                _stamped(model(pk=uuid.UUID(str(object_id)), **values), now=now).save(force_insert=True)
        for name in projection.many:
            _set_many(model=model, object_id=object_id, name=name, values=data.get(name, []))
    return True


def _stamped(row: models.Model, *, now: Any) -> models.Model:
    for stamp in ("created_at", "updated_at"):
        if any(f.name == stamp for f in row._meta.concrete_fields) and getattr(row, stamp, None) is None:
            setattr(row, stamp, now)
    return row


def _put_sealed(*, model: type[models.Model], object_id: str, values: dict[str, Any], sealed: dict[str, str],
                now: Any) -> None:
    """A row with identity values: sealed under this node's own keys before it is written."""
    row = model._base_manager.filter(pk=object_id).first()
    created = row is None
    if row is None:
        row = _stamped(model(pk=uuid.UUID(str(object_id))), now=now)
    for attname, value in values.items():
        setattr(row, attname, value)
    seal_row(row, model=model, values=sealed)
    row.save(force_insert=created)


def _target_ready(*, field: models.ForeignKey, value: Any) -> bool:
    """Whether the row a reference points at is here (a missing user becomes an inactive placeholder)."""
    target = field.related_model
    if target._default_manager.filter(pk=value).exists():  # type: ignore[union-attr]
        return True
    if target is User:
        placeholder = User(pk=value, username=f"upstream-{str(value)[:8]}-{str(value)[-4:]}", is_active=False)
        placeholder.set_unusable_password()
        placeholder.save(force_insert=True)
        return True
    return False


def _set_many(*, model: type[models.Model], object_id: str, name: str, values: list[str]) -> None:
    row = model._default_manager.get(pk=object_id)
    related = getattr(row, name)
    if related.model is ExploitationTypeRef:
        refs = [ExploitationTypeRef.objects.get_or_create(code=code)[0] for code in values]
        related.set(refs)
    else:
        related.set(list(related.model._default_manager.filter(pk__in=values)))


def _remove(*, object_type: str, object_id: str) -> int:
    """A record that left the node's scope: deleted here, with the rows that hang on it (a case's notes,
    people links, places...). Returns 1 if something was deleted."""
    model = _model(object_type)
    with transaction.atomic():
        row = model._default_manager.filter(pk=object_id).first()
        if row is None:
            return 0
        delete_with_dependants(row)
    return 1
