"""The field node's side of a sync session: push the outbox, then pull pages of the feed, applying each page
and storing the cursor in one local transaction (an interrupted session resumes from the stored cursor)."""

from __future__ import annotations

import datetime
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from icmc.sync.models import Outbox, PullState, Replica
from icmc.sync.sealing import args_of, seal_args
from icmc.sync.signing import HEADER_NODE, HEADER_SIGNATURE, HEADER_TIME, sign, string_to_sign
from icmc.vault.keys import VaultError

PUSH_BATCH = 200
MAX_PUSH_BATCHES = 1000
MAX_PAGES = 100_000


class SyncError(Exception):
    pass


class NodeRevoked(SyncError):
    pass


class Transport(Protocol):
    def __call__(self, *, method: str, path: str, query: str, body: bytes,
                 headers: dict[str, str]) -> tuple[int, Any]: ...


@dataclass(frozen=True, kw_only=True)
class Upstream:
    url: str  # e.g. https://icmc.example/api/v1/sync
    node_id: str
    private_key: str
    transport: Transport

    def call(self, *, method: str, endpoint: str, params: dict[str, Any] | None = None,
             payload: Any = None) -> tuple[int, Any]:
        path = urllib.parse.urlsplit(self.url).path.rstrip("/") + endpoint
        query = urllib.parse.urlencode(params or {})
        body = b"" if payload is None else json.dumps(payload, separators=(",", ":")).encode()
        stamp = str(int(time.time()))
        signature = sign(private_key=self.private_key, message=string_to_sign(
            method=method, path=path, query=query, time=stamp, body=body))
        headers = {HEADER_NODE: self.node_id, HEADER_TIME: stamp, HEADER_SIGNATURE: signature,
                   "Content-Type": "application/json"}
        return self.transport(method=method, path=path, query=query, body=body, headers=headers)


def http_transport(*, base_url: str, timeout: float = 30.0) -> Transport:
    """Plain HTTP(S) with urllib; every request bounded by `timeout` seconds."""
    parts = urllib.parse.urlsplit(base_url)

    def send(*, method: str, path: str, query: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, query, ""))
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked below: http or https)
            url, data=body if method == "POST" else None, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http/https only)
                return response.status, orjson.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            try:
                return exc.code, orjson.loads(exc.read() or b"null")
            except ValueError:
                return exc.code, None

    if parts.scheme not in ("http", "https"):
        raise SyncError("The upstream URL must be http:// or https://.")
    return send


# --- outbox ---------------------------------------------------------------------------------------------------


@transaction.atomic
def enqueue(*, action: str, args: dict[str, Any], user_id: uuid.UUID | str,
            membership_id: uuid.UUID | str | None = None, base_versions: dict[str, int] | None = None,
            client_time: datetime.datetime | None = None) -> Outbox:
    """Record a local mutation to push (next gapless seq)."""
    last = Outbox.objects.select_for_update().aggregate(last=Max("seq"))["last"] or 0
    seq = last + 1
    return Outbox.objects.create(seq=seq, action=action, args_sealed=seal_args(seq=seq, args=args),
                                 base_versions=base_versions or {},
                                 user_id=user_id, membership_id=membership_id,
                                 client_time=client_time or timezone.now())


def _wire(entry: Outbox) -> dict[str, Any]:
    try:
        args = args_of(entry)
    except VaultError as exc:  # altered or moved in the node's database, or the master key is missing
        raise SyncError(f"Outbox entry {entry.seq} cannot be opened ({exc}); nothing was pushed.") from None
    return {"seq": entry.seq, "action": entry.action, "args": args, "base_versions": entry.base_versions,
            "user": str(entry.user_id), "membership": str(entry.membership_id) if entry.membership_id else None,
            "client_time": entry.client_time.isoformat()}


# --- session --------------------------------------------------------------------------------------------------


@dataclass
class Summary:
    pushed: dict[str, int] = field(default_factory=dict)
    pages: int = 0
    changes: int = 0
    revoked: bool = False

    def count(self, status: str) -> None:
        self.pushed[status] = self.pushed.get(status, 0) + 1


def push_outbox(*, upstream: Upstream, summary: Summary, echo: Callable[[str], None]) -> None:
    for _batch in range(MAX_PUSH_BATCHES):
        pending = list(Outbox.objects.filter(status="pending").order_by("seq")[:PUSH_BATCH])
        if not pending:
            return
        status, body = upstream.call(method="POST", endpoint="/push",
                                     payload={"node_id": upstream.node_id, "mutations": [_wire(e) for e in pending]})
        if status not in (200, 403) or not isinstance(body, dict) or "results" not in body:
            raise SyncError(f"push failed with HTTP {status}")
        by_seq = {entry.seq: entry for entry in pending}
        stop = False
        for result in body["results"]:
            entry = by_seq.get(result.get("seq"))
            if entry is None:
                continue
            state = result["status"]
            if state == "duplicate":  # applied earlier, the reply was lost: take the stored result
                state = result.get("result", {}).get("status", "applied")
            if state == "refused" and result.get("reason") == "gap":
                stop = True
                continue
            entry.status, entry.result = state, result
            entry.save(update_fields=["status", "result"])
            summary.count(state)
        echo(f"pushed {len(pending)} mutation(s)")
        if status == 403:
            summary.revoked = True
            raise NodeRevoked("this node has been revoked upstream")
        if stop:
            raise SyncError("upstream expects an earlier seq: the outbox has a gap")


PageHook = Callable[[list[dict[str, Any]]], None]


def pull_feed(*, upstream: Upstream, summary: Summary, echo: Callable[[str], None], limit: int = 500,
              max_pages: int = MAX_PAGES, on_page: PageHook | None = None) -> None:
    """Pull pages until the feed has no more. `on_page` (a field node's materialiser) runs in the transaction
    that applies each page and stores its cursor."""
    state, _ = PullState.objects.get_or_create(upstream=upstream.url, defaults={"node_id": upstream.node_id})
    for _page in range(max_pages):
        status, body = upstream.call(method="GET", endpoint="/feed", params={"cursor": state.cursor, "limit": limit})
        if status == 403:
            summary.revoked = True
            raise NodeRevoked("this node has been revoked upstream")
        if status != 200 or not isinstance(body, dict):
            raise SyncError(f"pull failed with HTTP {status}")
        state = _apply_page(upstream=upstream, body=body, on_page=on_page)
        summary.pages += 1
        summary.changes += len(body["changes"])
        echo(f"page {summary.pages}: {len(body['changes'])} change(s)")
        if not body["has_more"]:
            return
    raise SyncError("stopped after the page limit; run sync again to continue")


@transaction.atomic
def _apply_page(*, upstream: Upstream, body: dict[str, Any], on_page: PageHook | None = None) -> PullState:
    state = PullState.objects.select_for_update().get(upstream=upstream.url)
    for change in body["changes"]:
        if change["op"] == "remove":  # the case left the node's scope: drop it and what belongs to it
            Replica.objects.filter(object_type=change["type"], object_id=change["id"]).delete()
            Replica.objects.filter(data__case=change["id"]).delete()
            continue
        current = Replica.objects.filter(object_type=change["type"], object_id=change["id"]).first()
        if current is not None and current.version > change["version"]:
            continue
        Replica.objects.update_or_create(object_type=change["type"], object_id=change["id"], defaults={
            "version": change["version"], "seq": change["seq"], "data": change["data"]})
    if on_page is not None:
        on_page(body["changes"])
    state.cursor = body["cursor"]
    state.pulled += len(body["changes"])
    state.last_sync_at = timezone.now()
    state.save(update_fields=["cursor", "pulled", "last_sync_at"])
    return state


def run_session(*, upstream: Upstream, echo: Callable[[str], None] = lambda _line: None,
                limit: int = 500) -> Summary:
    """Push, then pull. The pull only starts once nothing is left to push."""
    summary = Summary()
    push_outbox(upstream=upstream, summary=summary, echo=echo)
    pull_feed(upstream=upstream, summary=summary, echo=echo, limit=limit)
    return summary
