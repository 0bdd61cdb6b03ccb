"""Write an audit event. Called by actions inside their transaction, so a failed audit write fails the action."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from icmc.access.actor import Actor
from icmc.audit.chain import link_hash, lock_head
from icmc.audit.models import AuditEvent
from icmc.lib.context import clear_request_memo

# Keys that must never appear in `details`: they would carry identity values into the audit trail.
_FORBIDDEN_DETAIL_KEYS = frozenset({"name", "names", "phone", "phones", "birth_date", "detail", "body", "summary"})


def record_event(
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: uuid.UUID | str | None,
    case_id: uuid.UUID | None = None,
    changed_fields: Iterable[str] = (),
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the action's transaction")
    details = details or {}
    leaked = _FORBIDDEN_DETAIL_KEYS.intersection(details)
    if leaked:
        raise ValueError(f"audit details may not carry identity values: {sorted(leaked)}")
    clear_request_memo()  # a write: access look-ups remembered for this request may be stale
    head = lock_head()
    values: dict[str, Any] = dict(
        seq=head.last_seq + 1,
        at=timezone.now(),
        actor_id=actor.user_id,
        membership_id=actor.membership_id,
        organisation_id=actor.organisation_id,
        role=actor.role or "",
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id else "",
        case_id=case_id,
        changed_fields=sorted(set(changed_fields)),
        details=details,
        request_id=actor.request_id or "",
        via=actor.via,
        ip=actor.ip,
    )
    digest = link_hash(prev_hash=head.last_hash, values=values)
    event = AuditEvent.objects.create(prev_hash=head.last_hash, hash=digest, **values)
    head.last_seq = values["seq"]
    head.last_hash = digest
    head.save(update_fields=["last_seq", "last_hash"])
    return event
