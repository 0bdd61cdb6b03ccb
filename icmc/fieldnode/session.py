"""A sync session of this field node with its upstream: push the outbox, release what the pushed mutations held
back, then pull pages and materialise them (each page and its cursor in one local transaction).

A revoked node (403) wipes its replica (icmc.fieldnode.wipe): its pending mutations were quarantined upstream.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from icmc.fieldnode import config
from icmc.fieldnode.materialise import apply_changes, release
from icmc.fieldnode.wipe import wipe_replica
from icmc.sync.client import (
    NodeRevoked,
    Summary,
    Transport,
    Upstream,
    http_transport,
    pull_feed,
    push_outbox,
)
from icmc.sync.models import Outbox

Echo = Callable[[str], None]


@dataclass
class NodeSummary:
    sync: Summary
    materialised: dict[str, int] = field(default_factory=dict)
    wiped: bool = False

    def add(self, counts: dict[str, int]) -> None:
        for key, n in counts.items():
            self.materialised[key] = self.materialised.get(key, 0) + n


def upstream(*, transport: Transport | None = None, timeout: float = 30.0) -> Upstream:
    node = config.identity()
    if node.revoked:
        raise NodeRevoked("this node has been revoked upstream")
    if not node.upstream_url:
        raise config.NotProvisioned("No upstream URL: set ICMC_UPSTREAM_URL or provision the node again.")
    return Upstream(url=node.upstream_url.rstrip("/"), node_id=node.node_id, private_key=config.private_key(),
                    transport=transport or http_transport(base_url=node.upstream_url, timeout=timeout))


def pending_count() -> int:
    return Outbox.objects.filter(status="pending").count()


def sync_once(*, transport: Transport | None = None, echo: Echo = lambda _line: None, limit: int = 500,
              timeout: float = 30.0) -> NodeSummary:
    """Push, then pull. Raises NodeRevoked after wiping the replica; SyncError/OSError when interrupted (run
    again: it resumes from the stored cursor)."""
    target = upstream(transport=transport, timeout=timeout)
    summary = NodeSummary(sync=Summary())
    try:
        push_outbox(upstream=target, summary=summary.sync, echo=echo)
        summary.add(release())
        pull_feed(upstream=target, summary=summary.sync, echo=echo, limit=limit,
                  on_page=lambda changes: summary.add(apply_changes(changes)))
        summary.add(release())  # rows that waited for a reference pulled on a later page
    except NodeRevoked:
        wipe_replica()
        summary.wiped = True
        raise
    return summary


def describe(summary: NodeSummary, *, seconds: float) -> str:
    pushed = ", ".join(f"{n} {status}" for status, n in sorted(summary.sync.pushed.items())) or "nothing"
    local = ", ".join(f"{n} {k}" for k, n in sorted(summary.materialised.items()) if n) or "nothing new"
    return (f"Done in {seconds:.2f} s at {timezone.localtime():%Y-%m-%d %H:%M}: pushed {pushed}; pulled "
            f"{summary.sync.changes} change(s) in {summary.sync.pages} page(s) ({local}); "
            f"{pending_count()} change(s) still waiting to be pushed.")
