"""The args of a node's outbox and the payloads a centre keeps (rejected, quarantined mutations), sealed at rest
(icmc.vault.payloads): each row's label binds its ciphertext to it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from icmc.sync.models import Mutation, Outbox
from icmc.vault.payloads import open_payload, seal_payload


def outbox_label(*, seq: int) -> str:
    return f"outbox|{seq}"


def mutation_label(*, node_id: uuid.UUID | str, seq: int) -> str:
    return f"mutation|{uuid.UUID(str(node_id))}|{seq}"


def seal_args(*, seq: int, args: Mapping[str, Any]) -> str:
    return seal_payload(args, label=outbox_label(seq=seq))


def args_of(entry: Outbox) -> dict[str, Any]:
    """An outbox entry's args, opened."""
    return open_payload(entry.args_sealed, label=outbox_label(seq=entry.seq))


def seal_kept(*, node_id: uuid.UUID | str, seq: int, payload: Mapping[str, Any]) -> str:
    return seal_payload(payload, label=mutation_label(node_id=node_id, seq=seq))


def kept_payload(mutation: Mutation) -> dict[str, Any] | None:
    """A kept mutation's payload, opened; None when none is kept (applied, or held in the conflict inbox)."""
    if not mutation.payload_sealed:
        return None
    return open_payload(mutation.payload_sealed, label=mutation_label(node_id=mutation.node_id, seq=mutation.seq))
