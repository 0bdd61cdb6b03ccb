"""Run a sync session from this (field) node: push the outbox, then pull the feed.

    manage.py sync --upstream https://host/api/v1/sync --node NODE_ID --key PRIVATE_KEY
(--key-file FILE instead of --key keeps the key out of the process list.)"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from icmc.sync.client import NodeRevoked, SyncError, Upstream, http_transport, run_session


class Command(BaseCommand):
    help = "Push the local outbox to the upstream node, then pull its feed (resuming from the stored cursor)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--upstream", required=True, help="e.g. https://icmc.example/api/v1/sync")
        parser.add_argument("--node", required=True, help="this node's id, as printed by `node register`")
        parser.add_argument("--key", help="this node's private key")
        parser.add_argument("--key-file", help="a file holding the private key")
        parser.add_argument("--limit", type=int, default=500, help="changes per page (1-2000)")
        parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")

    def handle(self, *args: Any, **options: Any) -> None:
        key = options["key"] or (Path(options["key_file"]).read_text().strip() if options["key_file"] else "")
        if not key:
            raise CommandError("Give --key or --key-file.")
        upstream = Upstream(url=options["upstream"].rstrip("/"), node_id=options["node"], private_key=key,
                            transport=http_transport(base_url=options["upstream"], timeout=options["timeout"]))
        started = time.monotonic()
        try:
            summary = run_session(upstream=upstream, echo=self.stdout.write, limit=options["limit"])
        except NodeRevoked as exc:
            raise CommandError("This node has been revoked upstream: pending mutations are quarantined there. "
                               "The local replica should be wiped.") from exc
        except (SyncError, OSError) as exc:
            raise CommandError(f"Sync interrupted ({exc}); run it again to resume from the stored cursor.") from exc
        pushed = ", ".join(f"{n} {status}" for status, n in sorted(summary.pushed.items())) or "nothing"
        self.stdout.write(f"Done in {time.monotonic() - started:.2f} s: pushed {pushed}; pulled "
                          f"{summary.changes} change(s) in {summary.pages} page(s).")
