"""The feed a node pulls: changes after its cursor, in seq order, filtered to its scope and projected.

Scope = the union, over the node's active users and their active memberships, of the cases they see whole
(visible_cases with referred=False: what reaches an organisation only through a referral is shared under its
agreement, which federation will serve; see docs/sync.md). Persons and parties need the identity permission
on the case. Organisations (no case) are reference data and go to every node.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from icmc.access.actor import Actor
from icmc.access.policy import Perm
from icmc.access.queries import visible_cases
from icmc.access.redaction import node_clearance
from icmc.cases.models import Case
from icmc.sync.models import Change, Node
from icmc.sync.projection import project_rows, types_in
from icmc.sync.signing import make_cursor

DEFAULT_LIMIT = 500
MAX_LIMIT = 2000


@dataclass(frozen=True)
class Page:
    cursor: str
    changes: list[dict[str, Any]]
    has_more: bool


def node_actors(*, node: Node) -> list[Actor]:
    actors = []
    for user in node.users.filter(is_active=True).order_by("pk"):
        for membership in user.memberships.filter(is_active=True).select_related("organisation__jurisdiction"):
            if membership.organisation.is_active:
                actors.append(Actor(user=user, membership=membership, via="sync"))
    return actors


def _cases(*, actors: list[Actor], perm: Perm) -> QuerySet[Case] | None:
    q: Q | None = None
    for actor in actors:
        part = Q(pk__in=visible_cases(actor=actor, perm=perm, referred=False).values("pk"))
        q = part if q is None else q | part
    return None if q is None else Case.objects.filter(q)


def scope_filter(*, node: Node) -> Q:
    """A filter on Change for what this node may receive."""
    actors = node_actors(node=node)
    q = Q(object_type__in=types_in("reference"), case_id__isnull=True)
    cases = _cases(actors=actors, perm=Perm.CASE_VIEW)
    if cases is not None:
        q |= Q(object_type__in=types_in("case"), case_id__in=cases.values("pk"))
    identity = _cases(actors=actors, perm=Perm.PERSON_VIEW_IDENTITY)
    if identity is not None:
        q |= Q(object_type__in=types_in("identity"), case_id__in=identity.values("pk"))
    return q


def feed_page(*, node: Node, after: int, limit: int = DEFAULT_LIMIT) -> Page:
    """Changes with seq > after, at most `limit` of them. Within a page a record appears once, at its last
    seq, with its current data (data comes from the row, not the log)."""
    limit = max(1, min(limit, MAX_LIMIT))
    rows = list(Change.objects.filter(scope_filter(node=node), seq__gt=after).order_by("seq")
                .values_list("seq", "op", "object_type", "object_id")[:limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    last: dict[tuple[str, uuid.UUID], tuple[int, str]] = {}
    for seq, op, object_type, object_id in rows:
        last[(object_type, object_id)] = (seq, op)
    by_type: dict[str, list[uuid.UUID]] = {}
    for object_type, object_id in last:
        by_type.setdefault(object_type, []).append(object_id)
    clearance = node_clearance(node=node)
    data = {t: project_rows(object_type=t, ids=ids, clearance=clearance) for t, ids in by_type.items()}
    changes = []
    for (object_type, object_id), (seq, op) in sorted(last.items(), key=lambda item: item[1][0]):
        row = data[object_type].get(object_id)
        if row is None:
            continue
        changes.append({"seq": seq, "op": op, "type": object_type, "id": str(object_id),
                        "version": row.get("version", 1), "data": row})
    position = rows[-1][0] if rows else after
    return Page(cursor=make_cursor(node_id=str(node.id), seq=position), changes=changes, has_more=has_more)
