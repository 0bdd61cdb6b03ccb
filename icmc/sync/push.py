"""The upstream side of a push: each mutation is stored in the inbox (node, seq, payload hash) in the same
transaction as its effect, so a replayed push returns the stored result and never applies twice.

Results: applied | duplicate (same seq, same payload: the stored result) | rejected (kept, with a reason) |
quarantined (node revoked: kept, not applied) | refused (same seq with another payload: audited as
sync.mutation_conflict; or a gap in the node's seq: nothing stored, resend from `expected`).
Ordering is the node's seq only; client_time is kept as sent and never used to order anything.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput, NotFound, PermissionDenied
from icmc.access.queries import access_case
from icmc.accounts.models import Membership, User
from icmc.audit.record import record_event
from icmc.lib.ids import deterministic_ids
from icmc.pathway.workflow import Refused
from icmc.sync.conflicts import Pending, base_version, decide, record_conflicts, target_of
from icmc.sync.federation import allowed_fields, audit_in, not_authoritative, stamp_origin
from icmc.sync.models import ConflictKind, Mutation, MutationStatus, Node
from icmc.sync.registry import REGISTRY
from icmc.sync.sealing import seal_kept

MAX_MUTATIONS = 500
BATCH = 50


@dataclass(frozen=True, kw_only=True)
class Incoming:
    seq: int
    action: str
    user: str
    membership: str | None
    args: dict[str, Any]
    base_versions: dict[str, Any]
    client_time: str

    def payload(self) -> dict[str, Any]:
        return {"action": self.action, "user": self.user, "membership": self.membership, "args": self.args,
                "base_versions": self.base_versions, "client_time": self.client_time}

    def digest(self) -> str:
        text = json.dumps(self.payload(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


class OutsideAgreement(Exception):
    """A partner's mutation wrote a type its data-sharing agreement does not let in (rolled back)."""


def parse_push(*, body: Any, node_id: str) -> list[Incoming]:
    """Check the shape of a push body; InvalidInput (field paths, no values) if it is wrong."""
    if not isinstance(body, Mapping):
        raise InvalidInput({"__all__": ["Send a JSON object."]})
    if str(body.get("node_id", "")) != node_id:
        raise InvalidInput({"node_id": ["Not the node that signed the request."]})
    items = body.get("mutations")
    if not isinstance(items, list) or len(items) > MAX_MUTATIONS:
        raise InvalidInput({"mutations": [f"Give a list of at most {MAX_MUTATIONS} mutations."]})
    errors: dict[str, list[str]] = {}
    parsed: list[Incoming] = []
    for i, item in enumerate(items):
        where = f"mutations[{i}]"
        if not isinstance(item, Mapping):
            errors[where] = ["Give a JSON object."]
            continue
        seq, action = item.get("seq"), item.get("action")
        checks = {
            "seq": isinstance(seq, int) and not isinstance(seq, bool) and seq >= 1,
            "action": isinstance(action, str) and 0 < len(action) <= 40,
            "user": _is_uuid(item.get("user")),
            "membership": item.get("membership") is None or _is_uuid(item.get("membership")),
            "args": isinstance(item.get("args"), dict),
            "base_versions": isinstance(item.get("base_versions", {}), dict),
            "client_time": isinstance(item.get("client_time", ""), str) and len(item.get("client_time", "")) <= 40,
        }
        for name, ok in checks.items():
            if not ok:
                errors[f"{where}.{name}"] = ["This value is not valid."]
        if all(checks.values()):
            parsed.append(Incoming(seq=int(str(seq)), action=str(action), user=str(item["user"]),
                                   membership=str(item["membership"]) if item.get("membership") else None,
                                   args=dict(item["args"]), base_versions=dict(item.get("base_versions", {})),
                                   client_time=item.get("client_time", "")))
    if errors:
        raise InvalidInput(errors)
    return parsed


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return value is not None


def apply_push(*, node: Node, mutations: list[Incoming]) -> list[dict[str, Any]]:
    """Mutations are applied in batches (BATCH per transaction, the node's row locked once per batch): fewer
    commits, same all-or-nothing per mutation. A mutation's effect runs in its own savepoint (rolled back when
    it is rejected), and its inbox row is written after it in the batch's transaction: an unexpected error
    escapes the batch and rolls the whole batch back (the node retries it), so an inbox row and its effect are
    stored together or not at all without a second savepoint around the two (two statements fewer each)."""
    results: list[dict[str, Any]] = []
    actors: dict[tuple[str, str | None], Actor | None] = {}  # the acting users, as they are at this request
    for start in range(0, len(mutations), BATCH):
        chunk = mutations[start:start + BATCH]
        with transaction.atomic():
            locked = Node.objects.select_for_update().get(pk=node.pk)
            stored = {m.seq: m for m in Mutation.objects.filter(node=locked, seq__in=[i.seq for i in chunk])}
            last_seq = locked.last_seq
            for incoming in chunk:
                results.append(_one(node=locked, incoming=incoming, stored=stored.get(incoming.seq), actors=actors))
            if locked.last_seq != last_seq:
                locked.save(update_fields=["last_seq"])
    return results


def _one(*, node: Node, incoming: Incoming, stored: Mutation | None,
         actors: dict[tuple[str, str | None], Actor | None]) -> dict[str, Any]:
    digest = incoming.digest()
    seq = incoming.seq
    if stored is not None:
        if stored.payload_hash == digest:
            return {"seq": seq, "status": "duplicate", "result": stored.result}
        record_event(actor=_audit_actor(node=node, incoming=incoming), action="sync.mutation_conflict",
                     object_type="sync_mutation", object_id=str(stored.id),
                     details={"node": str(node.id), "seq": seq, "action": incoming.action[:40]})
        return {"seq": seq, "status": "refused", "reason": "conflicting_payload",
                "message": "This seq was already received with a different payload."}
    if seq != node.last_seq + 1:
        return {"seq": seq, "status": "refused", "reason": "gap", "expected": node.last_seq + 1,
                "message": "Send the node's mutations in order, without gaps."}
    payload: dict[str, Any] | None
    result: dict[str, Any]
    if node.revoked_at is not None:
        result = {"status": "quarantined", "reason": "node_revoked"}
        status, payload = MutationStatus.QUARANTINED, incoming.payload()
    pending: list[Pending] = []
    actor = None
    if node.revoked_at is None:
        key = (incoming.user, incoming.membership)
        if key not in actors:
            actors[key] = _actor(node=node, incoming=incoming)
        actor = actors[key]
        result, pending = _replay(node=node, incoming=incoming, actor=actor)
        status = MutationStatus(result["status"])
        # Applied: the effect is in the records. Held: the args are in the conflict record (sealed if P0).
        payload = None if status in (MutationStatus.APPLIED, MutationStatus.CONFLICT) else incoming.payload()
    kept = "" if payload is None else seal_kept(node_id=node.id, seq=seq, payload=payload)
    mutation = Mutation.objects.create(
        node=node, seq=seq, payload_hash=digest, action=incoming.action[:40], payload_sealed=kept, status=status,
        result=result, client_time=incoming.client_time, received_at=timezone.now())
    if pending and actor is not None:
        conflicts = record_conflicts(pending=pending, node=node, mutation=mutation, actor=actor)
        result = result | {"conflicts": [str(c.id) for c in conflicts]}
        mutation.result = result
        mutation.save(update_fields=["result"])
    node.last_seq = seq  # saved once per batch (apply_push)
    return {"seq": seq, **result}


def _replay(*, node: Node, incoming: Incoming, actor: Actor | None) -> tuple[dict[str, Any], list[Pending]]:
    action = REGISTRY.get(incoming.action)
    if action is None:
        return {"status": "rejected", "reason": "unknown_action", "message": "This action cannot be replayed."}, []
    if actor is None:
        return {"status": "rejected", "reason": "actor_not_allowed",
                "message": "The user is not served by this node or has no active membership."}, []
    pending: list[Pending] = []
    try:
        args = action.parse(incoming.args)
        target = target_of(action=action.name, args=args) if action.kind != "insert" else None
        if target is not None and not_authoritative(node=node, object_id=target.object_id):
            return {"status": "rejected", "reason": "not_authoritative",
                    "message": "This record belongs to another centre: add to it, do not edit it."}, []
        if target is not None:
            decision = decide(target=target, base=base_version(base_versions=incoming.base_versions, target=target))
            if decision.held:
                access_case(actor=actor, case_id=target.case_id)  # held only for someone who may see the case
                pending = [Pending(kind=ConflictKind.HELD, target=target, fields=decision.held, action=action.name,
                                   args=args)]
                return {"status": "conflict", "fields": decision.held,
                        "message": "Changed upstream meanwhile: held in the case's conflict inbox."}, pending
            if decision.overwritten and target.restore is not None:
                restore_action, restore_args = target.restore(decision.overwritten)
                pending = [Pending(kind=ConflictKind.OVERWRITTEN, target=target, fields=decision.overwritten,
                                   action=restore_action, args=restore_args)]
        only = allowed_fields(node=node)
        with transaction.atomic(), deterministic_ids(node_id=node.id, seq=incoming.seq) as issued:
            obj = action.run(actor=actor, args=args)
            if only is not None and obj.get("type") not in only:
                raise OutsideAgreement
            stamp_origin(node=node, ids=issued)
            audit_in(node=node, actor=actor, action=action.name, seq=incoming.seq, result=obj)
    except InvalidInput as exc:
        return {"status": "rejected", "reason": "invalid",
                "errors": {path: [str(m) for m in msgs] for path, msgs in exc.errors.items()}}, []
    except NotFound:
        return {"status": "rejected", "reason": "not_found", "message": "Not found."}, []
    except PermissionDenied as exc:
        return {"status": "rejected", "reason": "forbidden", "message": str(exc)}, []
    except Refused as exc:
        return {"status": "rejected", "reason": "refused_by_workflow", "message": str(exc)}, []
    except OutsideAgreement:
        return {"status": "rejected", "reason": "not_in_agreement",
                "message": "No active data-sharing agreement lets this record cross from your centre."}, []
    return {"status": "applied", "object": obj}, pending


def _actor(*, node: Node, incoming: Incoming) -> Actor | None:
    """The acting user with the membership named (or their only active one), if the node serves them."""
    user = node.users.filter(pk=incoming.user, is_active=True).first()
    if user is None:
        return None
    memberships = Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
    if incoming.membership:
        memberships = memberships.filter(pk=incoming.membership)
    found = list(memberships.select_related("organisation__jurisdiction")[:2])
    if len(found) != 1:
        return None
    return Actor(user=user, membership=found[0], via="sync")


def _audit_actor(*, node: Node, incoming: Incoming) -> Actor:
    user = node.users.filter(pk=incoming.user).first() or node.users.order_by("pk").first()
    if user is None:
        user = User.objects.order_by("date_joined").first()
    assert user is not None
    return Actor(user=user, membership=None, via="sync")
