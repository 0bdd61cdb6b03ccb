"""Append records to the change feed (inside the writing action's transaction).

Commit order = seq order: before taking seq numbers, record_changes takes the lock that every audited write
already holds until it commits (the audit chain head, icmc.audit.chain.lock_head). So no transaction can
take a seq while another that holds a lower one is in flight, and a reader of the feed never sees seq N+1
committed before seq N (PostgreSQL gives sequence values at insert, not at commit; see docs/sync.md). It is
the same lock as the audit chain's, so it adds no waiting and cannot deadlock against it.
"""

from __future__ import annotations

import uuid

from django.db import models, transaction
from django.utils import timezone

from icmc.audit.chain import lock_head
from icmc.lib.models import SyncedModel
from icmc.sync.models import Change
from icmc.sync.versions import track


def record_changes(*objs: SyncedModel, case_id: uuid.UUID | None, op: str = "put",
                   inserted: bool = False) -> None:
    """Append `objs` to the feed. `inserted`: every one was inserted by this transaction (their field versions are
    written without reading those they had: they had none)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_changes must run inside the action's transaction")
    lock_head()  # held until commit: see the module docstring
    now = timezone.now()
    Change.objects.bulk_create(
        [
            Change(at=now, op=op, object_type=_type_name(obj), object_id=obj.id, version=obj.version,
                   case_id=case_id)
            for obj in objs
        ]
    )
    if op == "put":
        track(objs, inserted=inserted)  # per-field versions of editable records, for conflict detection


def _type_name(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"
