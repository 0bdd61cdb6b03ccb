"""What the node page and `fieldnode status` show: last sync, pending changes, rejected mutations with their
reasons (kept, never dropped), and conflicts: mutations held upstream because a protected field had changed
(status `conflict`), and mutations applied over a value changed meanwhile (`applied` with `conflicts`: the value
they replaced is kept in the case's conflict inbox). See docs/sync.md, "Conflicts"."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q

from icmc.access import identity_reads
from icmc.access.actor import Actor
from icmc.access.errors import NotFound
from icmc.access.redaction import reader_clearance
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
    user_id: uuid.UUID


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
                     message=message, case_id=case, client_time=entry.client_time, user_id=entry.user_id)


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


# --- one change, for the user who made it ------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryDetail:
    """What a user entered in one of their own changes (e.g. a case the centre did not accept, undone on this
    node): each value with its path in the args ("survivors[1].name"). `withheld`: the user may no longer see
    identities, so the values are not shown (the paths are)."""

    row: OutboxRow
    fields: list[tuple[str, str]]
    withheld: bool


def entry_of_author(*, actor: Actor, seq: int) -> EntryDetail:
    """The change `seq` made by this actor's user through this membership; NotFound for a missing change and for
    another user's alike. Showing identities is audited (`person.identity_viewed`, field paths, never values)."""
    entry = Outbox.objects.filter(seq=seq, user_id=actor.user.pk).first()
    if entry is None or actor.membership is None or entry.membership_id not in (None, actor.membership.pk):
        raise NotFound("change")
    fields = [(path, text) for path, text in _flatten(args_of(entry), prefix="") if text]
    clearance = reader_clearance(actor=actor)
    if not clearance.identity:
        return EntryDetail(row=_row(entry), fields=[(path, "") for path, _text in fields], withheld=True)
    identity_reads.note(clearance=replace(clearance, audit=True), model="sync.outbox",
                        keys=[path for path, _text in fields])
    return EntryDetail(row=_row(entry), fields=fields, withheld=False)


def _flatten(value: Any, *, prefix: str) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [pair for key, item in value.items() for pair in _flatten(item, prefix=f"{prefix}.{key}".lstrip("."))]
    if isinstance(value, list):
        return [pair for n, item in enumerate(value, start=1) for pair in _flatten(item, prefix=f"{prefix}[{n}]")]
    return [(prefix, "" if value is None else str(value))]
