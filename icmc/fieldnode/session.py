"""A sync session of this field node with its upstream: push the outbox, undo the local rows of mutations the
upstream rejected or held (icmc.fieldnode.materialise.undo_not_applied), release what the pushed mutations held
back, then pull pages and materialise them (each page and its cursor in one local transaction).

A revoked node (403) wipes its replica (icmc.fieldnode.wipe): its pending mutations were quarantined upstream.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from icmc.fieldnode import config
from icmc.fieldnode.materialise import apply_changes, release, undo_not_applied
from icmc.fieldnode.resync import reset_for_full_resync
from icmc.fieldnode.wipe import wipe_replica
from icmc.sync.client import (
    NodeRevoked,
    Summary,
    SyncError,
    Transport,
    Upstream,
    http_transport,
    pull_feed,
    push_outbox,
)
from icmc.sync.models import Outbox, Replica

Echo = Callable[[str], None]


@dataclass
class NodeSummary:
    sync: Summary
    materialised: dict[str, int] = field(default_factory=dict)
    wiped: bool = False
    digest: str = ""  # "" (not checked) | "match" | "mismatch: full resync done"

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


def local_digest() -> str:
    """SHA-256 of the sorted lines `<type>:<id>:<version>` of the replica (docs/sync.md, "Integrity")."""
    lines = sorted(f"{t}:{i}:{v}" for t, i, v in Replica.objects.values_list("object_type", "object_id", "version"))
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def digest_matches(*, target: Upstream) -> bool:
    status, body = target.call(method="GET", endpoint="/digest", params={"digest": local_digest()})
    if status == 403:
        raise NodeRevoked("this node has been revoked upstream")
    if status == 412:
        return False
    if status != 200 or not isinstance(body, dict):
        raise SyncError(f"digest check failed with HTTP {status}")
    return True


def _session(*, target: Upstream, summary: NodeSummary, echo: Echo, limit: int) -> None:
    push_outbox(upstream=target, summary=summary.sync, echo=echo)
    summary.add(undo_not_applied())  # what the upstream rejected or held goes back to the upstream's copy
    summary.add(release())
    pull_feed(upstream=target, summary=summary.sync, echo=echo, limit=limit,
              on_page=lambda changes: summary.add(apply_changes(changes)))
    summary.add(release())  # rows that waited for a reference pulled on a later page


def sync_once(*, transport: Transport | None = None, echo: Echo = lambda _line: None, limit: int = 500,
              timeout: float = 30.0, digest: bool = False) -> NodeSummary:
    """Push, then pull; with `digest`, then compare the replica's digest with the upstream's and on a mismatch
    pull everything again (the outbox is kept). Raises NodeRevoked after wiping the replica; SyncError/OSError
    when interrupted (run again: it resumes from the stored cursor)."""
    target = upstream(transport=transport, timeout=timeout)
    summary = NodeSummary(sync=Summary())
    try:
        _session(target=target, summary=summary, echo=echo, limit=limit)
        if digest:
            if digest_matches(target=target):
                summary.digest = "match"
            else:
                echo("digest mismatch: full resync")
                reset_for_full_resync()
                _session(target=target, summary=summary, echo=echo, limit=limit)
                summary.digest = "mismatch: full resync done"
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
            f"{pending_count()} change(s) still waiting to be pushed."
            + (f" Integrity digest: {summary.digest}." if summary.digest else ""))
