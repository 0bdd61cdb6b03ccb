"""The write path for nodes: register, revoke. Audited."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.accounts.models import User
from icmc.audit.record import record_event
from icmc.sync.models import Node
from icmc.sync.signing import new_key_pair


@transaction.atomic
def do_register_node(*, actor: Actor, name: str, kind: str, users: Sequence[User]) -> tuple[Node, str]:
    """Register a node for these users. Returns the node and its private key (shown once, never stored)."""
    if not name.strip():
        raise InvalidInput({"name": ["Give the node a name."]})
    if not users:
        raise InvalidInput({"users": ["A node serves at least one user."]})
    private_key, public_key = new_key_pair()
    node = Node.objects.create(name=name.strip(), kind=kind, public_key=public_key, registered_at=timezone.now())
    node.users.set(list(users))
    record_event(actor=actor, action="sync.node_registered", object_type="sync_node", object_id=node.id,
                 changed_fields=["name", "kind", "users", "public_key"], details={"users": len(users)})
    return node, private_key


@transaction.atomic
def do_revoke_node(node: Node, *, actor: Actor) -> Node:
    """Refuse the node from now on: its pulls are refused and its pushes quarantined."""
    node = Node.objects.select_for_update().get(pk=node.pk)
    if node.revoked_at is None:
        node.revoked_at = timezone.now()
        node.save(update_fields=["revoked_at"])
        record_event(actor=actor, action="sync.node_revoked", object_type="sync_node", object_id=node.id,
                     changed_fields=["revoked_at"])
    return node
