"""Auditing every read of P0 (security.md item 18): the redaction function notes each P0 value it lets through
(icmc.access.redaction.redact); at the end of the request the request middleware records ONE audit event,
`person.identity_viewed`, for a response that revealed any (with the case, the field names — never values —,
how many records, and whether it was read under an emergency access). If that audit write fails, the request
fails (500) and the response with the identities is not sent.

Outside a request (commands, tests calling functions directly) nothing is collected.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction

if TYPE_CHECKING:
    from icmc.access.redaction import Clearance

ACTION = "person.identity_viewed"


@dataclass
class IdentityReads:
    clearance: Clearance | None = None  # the first clearance that revealed P0 (one reader per request)
    fields: set[str] = field(default_factory=set)  # "model.field" labels, never values
    records: int = 0
    case_ids: set[Any] = field(default_factory=set)
    person_ids: set[Any] = field(default_factory=set)
    emergency: bool = False


_reads: contextvars.ContextVar[IdentityReads | None] = contextvars.ContextVar("icmc_identity_reads", default=None)


def start() -> contextvars.Token[IdentityReads | None]:
    return _reads.set(IdentityReads())


def end(token: contextvars.Token[IdentityReads | None]) -> None:
    _reads.reset(token)


def note(*, clearance: Clearance, model: str, keys: list[str]) -> None:
    """Called by redact for each record of which it let P0 values through."""
    reads = _reads.get()
    if reads is None or not clearance.audit or clearance.actor is None:
        return
    if reads.clearance is None:
        reads.clearance = clearance
    reads.fields.update(f"{model}.{key}" for key in keys)
    reads.records += 1
    if clearance.case_id is not None:
        reads.case_ids.add(clearance.case_id)
    if clearance.person_id is not None:
        reads.person_ids.add(clearance.person_id)
    reads.emergency = reads.emergency or clearance.emergency


def record_collected() -> None:
    """Record the request's one `person.identity_viewed` event, if it revealed P0. Raises if the write fails."""
    from icmc.audit.record import record_event

    reads = _reads.get()
    if reads is None or reads.clearance is None or reads.clearance.actor is None:
        return
    case_id = next(iter(reads.case_ids)) if len(reads.case_ids) == 1 else None
    person_id = next(iter(reads.person_ids)) if len(reads.person_ids) == 1 else None
    object_type, object_id = ("person", person_id) if person_id is not None else ("case", case_id)
    with transaction.atomic():
        record_event(actor=reads.clearance.actor, action=ACTION, object_type=object_type, object_id=object_id,
                     case_id=case_id, details={"fields": sorted(reads.fields), "records": reads.records,
                                               "cases": len(reads.case_ids), "emergency": reads.emergency})
    reads.clearance = None  # once per request
