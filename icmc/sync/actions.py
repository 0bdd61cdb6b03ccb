"""The write path for nodes (register, revoke) and for sync conflicts (resolve). Audited."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput, NotFound
from icmc.access.policy import Perm
from icmc.access.queries import access_case
from icmc.accounts.models import User
from icmc.audit.record import record_event
from icmc.cases.models import Case
from icmc.sync.conflicts import args_of
from icmc.sync.federation import parse_fields
from icmc.sync.models import ConflictRecord, ConflictStatus, DataSharingAgreement, Node, NodeKind
from icmc.sync.registry import REGISTRY
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


def access_conflict(*, actor: Actor, conflict_id: uuid.UUID | str) -> ConflictRecord:
    """A conflict of a case on which the actor may resolve conflicts; NotFound otherwise (missing or not yours)."""
    try:
        conflict = ConflictRecord.objects.select_related("case").get(pk=uuid.UUID(str(conflict_id)))
    except (ValueError, ConflictRecord.DoesNotExist) as exc:
        raise NotFound from exc
    access_case(actor=actor, case_id=conflict.case_id, perm=Perm.CONFLICT_RESOLVE)
    return conflict


def case_conflicts(*, actor: Actor, case: Case, open_only: bool = True) -> list[ConflictRecord]:
    access_case(actor=actor, case_id=case.id, perm=Perm.CONFLICT_RESOLVE)
    rows = ConflictRecord.objects.filter(case=case).select_related("pushed_by", "node", "resolved_by")
    if open_only:
        rows = rows.filter(status=ConflictStatus.OPEN)
    return list(rows.order_by("created_at"))


@transaction.atomic
def do_resolve_conflict(conflict: ConflictRecord, *, actor: Actor, choice: str) -> ConflictRecord:
    """Resolve a conflict: `keep` what is in effect, or `apply` the other value (run as the resolver, through
    the registered action, with the resolver's permissions: the workflow may still refuse it)."""
    conflict = access_conflict(actor=actor, conflict_id=conflict.id)
    conflict = ConflictRecord.objects.select_for_update().get(pk=conflict.pk)
    if conflict.status != ConflictStatus.OPEN:
        raise InvalidInput({"choice": [gettext("This conflict is already resolved.")]})
    if choice not in ("keep", "apply"):
        raise InvalidInput({"choice": [gettext("Choose keep or apply.")]})
    if choice == "apply":
        REGISTRY[conflict.action].run(actor=actor, args=args_of(conflict))
    conflict.status = ConflictStatus.APPLIED if choice == "apply" else ConflictStatus.KEPT
    conflict.resolved_by, conflict.resolved_at = actor.user, timezone.now()
    conflict.save(update_fields=["status", "resolved_by", "resolved_at"])
    record_event(actor=actor, action="sync.conflict_resolved", object_type="sync_conflict", object_id=conflict.id,
                 case_id=conflict.case_id, changed_fields=["status"],
                 details={"choice": choice, "kind": conflict.kind, "fields": list(conflict.fields)})
    return conflict


@transaction.atomic
def do_create_agreement(*, actor: Actor, node: Node, title: str, fields: Mapping[str, Any],
                        starts_on: datetime.date, ends_on: datetime.date | None) -> DataSharingAgreement:
    """Record a data-sharing agreement with a partner centre's node: the types and fields that cross, both ways."""
    if node.kind != NodeKind.PARTNER:
        raise InvalidInput({"node": [gettext("Agreements are made with partner centres' nodes.")]})
    if not title.strip():
        raise InvalidInput({"title": [gettext("Give the agreement a title.")]})
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput({"ends_on": [gettext("The agreement ends before it starts.")]})
    agreement = DataSharingAgreement.objects.create(node=node, title=title.strip(), fields=parse_fields(fields),
                                                    starts_on=starts_on, ends_on=ends_on, created_at=timezone.now())
    record_event(actor=actor, action="sync.agreement_created", object_type="sync_agreement", object_id=agreement.id,
                 changed_fields=["node", "title", "fields", "starts_on", "ends_on"],
                 details={"node": str(node.id), "types": sorted(agreement.fields)})
    return agreement


@transaction.atomic
def do_end_agreement(agreement: DataSharingAgreement, *, actor: Actor) -> DataSharingAgreement:
    """End an agreement now: nothing more crosses under it (the partner's cases are removed at its next pull)."""
    agreement = DataSharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.ended_at is None:
        agreement.ended_at = timezone.now()
        agreement.save(update_fields=["ended_at"])
        record_event(actor=actor, action="sync.agreement_ended", object_type="sync_agreement",
                     object_id=agreement.id, changed_fields=["ended_at"], details={"node": str(agreement.node_id)})
    return agreement
