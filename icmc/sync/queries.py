"""Read helpers of the sync app: for other apps' pages (the caller has already checked access to the case) and
for the administrators' review of mutations kept but not applied."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from icmc.accounts.models import User
from icmc.sync.models import ConflictRecord, ConflictStatus, Mutation
from icmc.sync.sealing import kept_payload


def open_conflicts_of_case() -> Coalesce:
    """The number of open conflicts of a case, as an annotation of a query of cases (the case page counts them in
    the query that fetches the case)."""
    return Coalesce(Subquery(ConflictRecord.objects.filter(case_id=OuterRef("pk"), status=ConflictStatus.OPEN)
                             .order_by().values("case_id").annotate(n=Count("pk")).values("n")[:1]), 0)


def kept_for_review(*, node_id: str | None, statuses: Sequence[str]) -> list[dict[str, Any]]:
    """Mutations kept but not applied (quarantined, rejected), oldest first: node, seq, action, user, reason.
    Never the payload (it may hold identities)."""
    rows = Mutation.objects.filter(status__in=statuses).select_related("node").order_by("node__name", "seq")
    if node_id:
        rows = rows.filter(node_id=uuid.UUID(node_id))  # ValueError for a malformed id
    pushed_by = {m.pk: str((kept_payload(m) or {}).get("user", "")) for m in rows}
    users = {str(u.pk): u.username for u in User.objects.filter(
        pk__in={user for user in pushed_by.values() if _is_uuid(user)})}
    return [{"node": m.node.name, "seq": m.seq, "status": m.status, "action": m.action,
             "user": users.get(pushed_by[m.pk], "?"), "received_at": m.received_at,
             "reason": str(m.result.get("reason", ""))} for m in rows]


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
