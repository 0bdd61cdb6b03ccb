"""Federation with partner centres (docs/sync.md, "Federation"): a partner node receives and sends only what an
active DataSharingAgreement lets cross, type by type and field by field; records carry their origin node and
each side is authoritative for its own (the other may add to them, never edit them); what crosses is audited
on this side (`sync.shared_out`, `sync.shared_in`) and, by the partner's client, on its side."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Q
from django.utils import timezone

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.audit.record import record_event
from icmc.sync.models import DataSharingAgreement, Node, NodeKind, RecordOrigin
from icmc.sync.projection import projections, types_in

# Persons, names, phones and parties do not cross to partners yet: a referral's share of persons (only the
# referred survivor) is applied to pages and the API but not to nodes.
NOT_SHAREABLE = frozenset(types_in("identity"))


def is_partner(node: Node) -> bool:
    return node.kind == NodeKind.PARTNER


def active_agreement(*, node: Node) -> DataSharingAgreement | None:
    today = timezone.localdate()
    return (DataSharingAgreement.objects.filter(node=node, ended_at__isnull=True, starts_on__lte=today)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)).order_by("-created_at").first())


def allowed_fields(*, node: Node) -> dict[str, frozenset[str]] | None:
    """None for a field node (its scope and clearance decide); for a partner node, the agreement's fields by
    type (nothing without an active agreement)."""
    if not is_partner(node):
        return None
    agreement = active_agreement(node=node)
    if agreement is None:
        return {}
    return {t: frozenset(f) for t, f in agreement.fields.items()}


def parse_fields(raw: Mapping[str, Any]) -> dict[str, list[str]]:
    """Check an agreement's {type: [fields]} against the projections; InvalidInput naming what is wrong."""
    errors: dict[str, list[str]] = {}
    out: dict[str, list[str]] = {}
    known = projections()
    for object_type, names in raw.items():
        projection = known.get(object_type)
        if projection is None or object_type in NOT_SHAREABLE:
            errors[object_type] = ["This type cannot be shared with a partner."]
            continue
        offered = {*projection.fields, *projection.many, *projection.derived}
        unknown = sorted(set(names) - offered)
        if unknown:
            errors[object_type] = [f"Unknown fields: {', '.join(unknown)}."]
            continue
        out[object_type] = sorted(set(names))
    if not out and not errors:
        errors["fields"] = ["Name at least one type and its fields."]
    if errors:
        raise InvalidInput(errors)
    return out


def stamp_origin(*, node: Node, ids: Iterable[uuid.UUID]) -> None:
    """Records created by a partner node's mutation belong to that node."""
    if is_partner(node):
        RecordOrigin.objects.bulk_create([RecordOrigin(object_id=i, node=node) for i in ids], ignore_conflicts=True)


def origin_of(object_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    return dict(RecordOrigin.objects.filter(object_id__in=list(object_ids)).values_list("object_id", "node_id"))


def not_authoritative(*, node: Node, object_id: uuid.UUID) -> bool:
    """Whether this node may not edit the record: a partner edits only its own records; no node of ours edits a
    partner's."""
    origin = RecordOrigin.objects.filter(object_id=object_id).values_list("node_id", flat=True).first()
    if is_partner(node):
        return origin != node.id
    return origin is not None


def audit_out(*, node: Node, actor: Actor, changes: list[dict[str, Any]]) -> None:
    if not is_partner(node) or not changes:
        return
    cases = sorted({str(c["data"].get("case") or (c["id"] if c["type"] == "cases.case" else ""))
                    for c in changes} - {""})
    record_event(actor=actor, action="sync.shared_out", object_type="sync_node", object_id=node.id,
                 details={"records": len(changes), "types": dict(Counter(c["type"] for c in changes)),
                          "cases": cases[:500]})


def audit_in(*, node: Node, actor: Actor, action: str, seq: int, result: Mapping[str, Any]) -> None:
    if is_partner(node):
        record_event(actor=actor, action="sync.shared_in", object_type="sync_node", object_id=node.id,
                     details={"seq": seq, "action": action, "type": result.get("type", ""),
                              "id": result.get("id", "")})
