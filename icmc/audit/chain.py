"""Tamper evidence for the audit trail: every event carries an HMAC-SHA256 over the previous event's hash and
its own canonical content, under a key kept outside the database.

Altering an event breaks its own hash; removing one leaves a gap in `seq` and breaks the next link; reordering
breaks the links. Removing events from the end is caught against the chain head row (an attacker who can also
rewrite the head but does not hold the key can only truncate; anchoring the head outside the database closes
that, see docs/audit-events.md).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from icmc.audit.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
HASHED_FIELDS = ("seq", "at", "actor_id", "membership_id", "organisation_id", "role", "action", "object_type",
                 "object_id", "case_id", "changed_fields", "details", "request_id", "via", "ip")


def chain_key() -> bytes:
    """The key of the chain's HMAC (the setting, encoded)."""
    return settings.ICMC_AUDIT_KEY.encode()


def canonical(values: dict[str, Any]) -> bytes:
    def norm(v: Any) -> Any:
        if hasattr(v, "isoformat"):
            return v.isoformat(timespec="microseconds")
        if v is None or isinstance(v, (str, int, bool, list, dict)):
            return v
        return str(v)

    return json.dumps({f: norm(values[f]) for f in HASHED_FIELDS}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


def link_hash(*, prev_hash: str, values: dict[str, Any]) -> str:
    return link_canonical(prev_hash=prev_hash, body=canonical(values))


def link_canonical(*, prev_hash: str, body: bytes, key: bytes | None = None) -> str:
    """The link hash of an event whose canonical form (`canonical`) is `body`. `key` is the chain's key
    (`chain_key()`), read from the settings when not given (a bulk writer passes it: reading a lazy setting for
    each of thousands of events cost it a tenth of its time)."""
    return hmac.digest(key or chain_key(), prev_hash.encode() + b"\n" + body, "sha256").hex()


def lock_head() -> AuditChainHead:
    """Lock the chain head (created by the migration) for this transaction: audit writes are chained one at a
    time."""
    return AuditChainHead.objects.select_for_update().get(id=1)


@dataclass(frozen=True)
class Problem:
    seq: int | None
    event_id: int | None
    what: str

    def __str__(self) -> str:
        where = f"event id {self.event_id} (seq {self.seq})" if self.event_id is not None else f"seq {self.seq}"
        return f"{where}: {self.what}"


def verify(*, chunk: int = 5000) -> Iterator[Problem]:
    """Walk the whole chain in order and yield every problem found."""
    prev_hash = GENESIS
    expected_seq = 1
    qs = AuditEvent.objects.order_by("seq").values("id", "prev_hash", "hash", *HASHED_FIELDS)
    for row in qs.iterator(chunk_size=chunk):
        seq = row["seq"]
        if seq != expected_seq:
            yield Problem(seq=expected_seq, event_id=None,
                          what=f"missing: events {expected_seq}..{seq - 1} were removed")
            prev_hash = row["prev_hash"]  # resynchronise to report further problems independently
        if row["prev_hash"] != prev_hash:
            yield Problem(seq=seq, event_id=row["id"], what="link broken: the previous event was altered, "
                                                            "removed or reordered")
        expected = link_hash(prev_hash=row["prev_hash"], values=row)
        if not hmac.compare_digest(expected, row["hash"]):
            yield Problem(seq=seq, event_id=row["id"], what="altered: its content does not match its hash")
        prev_hash = row["hash"]
        expected_seq = seq + 1
    head = AuditChainHead.objects.filter(id=1).first()
    last_seq = head.last_seq if head else 0
    if last_seq != expected_seq - 1:
        yield Problem(seq=last_seq, event_id=None,
                      what=f"the chain head says {last_seq} events, the trail ends at {expected_seq - 1}")
    elif head and head.last_hash != prev_hash:
        yield Problem(seq=last_seq, event_id=None, what="the chain head does not match the last event")
