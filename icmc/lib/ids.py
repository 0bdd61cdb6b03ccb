"""Ids of synced records. Normally random (uuid4). While a mutation is replayed (upstream) or recorded (on a
field node), ids are deterministic: the n-th synced record created (0-based, in creation order) gets
uuid5(mutation_namespace(node, seq), str(n)), so that a record created offline has the same id on the node and
upstream. See docs/sync.md ("Ids of records created offline").
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

# A fixed namespace for ICMC mutations (uuid5 of the DNS namespace and "icmc.sync.mutation").
MUTATION_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "icmc.sync.mutation")


@dataclass
class _Source:
    namespace: uuid.UUID
    issued: list[uuid.UUID] = field(default_factory=list)


_source: ContextVar[_Source | None] = ContextVar("icmc_id_source", default=None)


def mutation_namespace(*, node_id: uuid.UUID | str, seq: int) -> uuid.UUID:
    return uuid.uuid5(MUTATION_NAMESPACE, f"{uuid.UUID(str(node_id))}:{seq}")


def offline_id(*, node_id: uuid.UUID | str, seq: int, n: int) -> uuid.UUID:
    """The id of the n-th record created by mutation `seq` of this node."""
    return uuid.uuid5(mutation_namespace(node_id=node_id, seq=seq), str(n))


def new_id() -> uuid.UUID:
    """The default of every synced record's primary key."""
    source = _source.get()
    if source is None:
        return uuid.uuid4()
    value = uuid.uuid5(source.namespace, str(len(source.issued)))
    source.issued.append(value)
    return value


@contextlib.contextmanager
def deterministic_ids(*, node_id: uuid.UUID | str, seq: int) -> Iterator[list[uuid.UUID]]:
    """Within this block, new ids follow the mutation's namespace; yields the list of ids issued so far."""
    source = _Source(namespace=mutation_namespace(node_id=node_id, seq=seq))
    token = _source.set(source)
    try:
        yield source.issued
    finally:
        _source.reset(token)
