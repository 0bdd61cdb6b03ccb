"""What the node page and `fieldnode status` show: last sync, pending changes, rejected mutations with their
reasons (kept, never dropped), and conflicts: mutations held upstream because a protected field had changed
(status `conflict`), and mutations applied over a value changed meanwhile (`applied` with `conflicts`: the value
they replaced is kept in the case's conflict inbox). See docs/sync.md, "Conflicts"."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from icmc.fieldnode import config
from icmc.sync.models import Outbox, PullState
from icmc.sync.sealing import args_of

PROBLEM_STATUSES = ("rejected", "refused", "quarantined")
CONFLICT_STATUSES = ("conflict",)


@dataclass(frozen=True)
class OutboxRow:
    seq: int
    action: str
    status: str
    reason: str
    message: str
    case_id: str | None
    client_time: datetime.datetime


@dataclass(frozen=True)
class NodeStatus:
    identity: config.NodeIdentity | None
    last_sync_at: datetime.datetime | None
    pulled: int
    pending: list[OutboxRow]
    rejected: list[OutboxRow]
    conflicts: list[OutboxRow]
    applied: int

    def lines(self) -> list[tuple[str, str]]:
        node = self.identity
        return [
            ("node", f"{node.name} ({node.node_id})" if node else "not provisioned"),
            ("upstream", node.upstream_url if node else "-"),
            ("state", "revoked" if node and node.revoked else "active"),
            ("last sync", f"{self.last_sync_at:%Y-%m-%d %H:%M:%S %Z}" if self.last_sync_at else "never"),
            ("changes pulled", str(self.pulled)),
            ("pending to push", str(len(self.pending))),
            ("pushed and applied", str(self.applied)),
            ("rejected", str(len(self.rejected))),
            ("conflicts", str(len(self.conflicts))),
        ]


def _row(entry: Outbox) -> OutboxRow:
    result: dict[str, Any] = entry.result or {}
    errors = result.get("errors")
    message = str(result.get("message", ""))
    if errors and not message:
        message = "; ".join(f"{path}: {' '.join(map(str, msgs))}" for path, msgs in dict(errors).items())
    case = args_of(entry).get("case")
    try:
        case = str(uuid.UUID(str(case))) if case else None
    except ValueError:
        case = None
    reason = str(result.get("reason", ""))
    if entry.status == "applied" and _conflict_ids(result):
        reason = "replaced a value changed meanwhile (kept in the case's conflict inbox)"
    return OutboxRow(seq=entry.seq, action=entry.action, status=entry.status, reason=reason,
                     message=message, case_id=case, client_time=entry.client_time)


def _conflict_ids(result: dict[str, Any]) -> list[Any]:
    inner = result.get("result") if result.get("status") == "duplicate" else result
    return list((inner or {}).get("conflicts") or [])


def node_status() -> NodeStatus:
    node = config.identity() if config.provisioned() else None
    state = PullState.objects.order_by("-last_sync_at").first()
    entries = list(Outbox.objects.exclude(status="applied").order_by("seq"))
    candidates = Outbox.objects.filter(Q(result__has_key="conflicts") | Q(result__result__has_key="conflicts"),
                                       status="applied").order_by("seq")
    overwrote = [e for e in candidates if isinstance(e.result, dict) and _conflict_ids(e.result)]
    return NodeStatus(
        identity=node,
        last_sync_at=state.last_sync_at if state else None,
        pulled=state.pulled if state else 0,
        pending=[_row(e) for e in entries if e.status == "pending"],
        rejected=[_row(e) for e in entries if e.status in PROBLEM_STATUSES],
        conflicts=sorted([_row(e) for e in entries if e.status in CONFLICT_STATUSES] + [_row(e) for e in overwrote],
                         key=lambda row: row.seq),
        applied=Outbox.objects.filter(status="applied").count(),
    )
