"""Append records to the change feed (inside the writing action's transaction)."""

from __future__ import annotations

import uuid

from django.db import models, transaction
from django.utils import timezone

from icmc.lib.models import SyncedModel
from icmc.sync.models import Change


def record_changes(*objs: SyncedModel, case_id: uuid.UUID | None, op: str = "put") -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_changes must run inside the action's transaction")
    now = timezone.now()
    Change.objects.bulk_create(
        [
            Change(at=now, op=op, object_type=_type_name(obj), object_id=obj.id, version=obj.version,
                   case_id=case_id)
            for obj in objs
        ]
    )


def _type_name(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"
