"""Sync this field node with its upstream: push the outbox, then pull (resuming from the stored cursor).

    manage.py sync                  one session, with a progress bar and a summary
    manage.py sync --every 300      a session every 300 s until stopped (failures are reported and retried)
    manage.py sync --full           pull everything again from the start; the outbox is kept and pushed first
    manage.py sync --digest         then check the replica against the upstream's digest (full resync if not equal)

The node's identity, key and upstream come from `fieldnode provision` (ICMC_NODE_FILE, ICMC_NODE_KEY_FILE) and
ICMC_UPSTREAM_URL. See docs/sync.md, "Field node".
"""

from __future__ import annotations

import http.client
import re
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from icmc.fieldnode import config
from icmc.fieldnode.resync import reset_for_full_resync
from icmc.fieldnode.session import describe, pending_count, sync_once
from icmc.sync.client import NodeRevoked, SyncError

_PUSHED = re.compile(r"^pushed (\d+)")
_PAGE = re.compile(r"^page \d+: (\d+)")


class Progress:
    """Two bars: mutations pushed (of those pending) and changes pulled (total unknown until the end)."""

    def __init__(self, *, enabled: bool, pending: int) -> None:
        self.push = tqdm(total=pending, desc="push", unit="mutation", disable=not enabled or not pending,
                         leave=True)
        self.pull = tqdm(desc="pull", unit="change", disable=not enabled, leave=True)

    def __call__(self, line: str) -> None:
        if match := _PUSHED.match(line):
            self.push.update(int(match.group(1)))
        elif match := _PAGE.match(line):
            self.pull.update(int(match.group(1)))

    def close(self) -> None:
        self.push.close()
        self.pull.close()


class Command(BaseCommand):
    help = "Push this field node's outbox to its upstream, then pull its feed (resuming from the stored cursor)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=float, metavar="SECONDS",
                            help="keep syncing, a session every SECONDS, until stopped")
        parser.add_argument("--full", action="store_true",
                            help="pull everything again from the start (the outbox is kept and pushed first)")
        parser.add_argument("--digest", action="store_true",
                            help="after syncing, check the replica against the upstream's digest; on a mismatch "
                                 "pull everything again (the outbox is kept)")
        parser.add_argument("--limit", type=int, default=500, help="changes per page (1-2000)")
        parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
        parser.add_argument("--no-progress", action="store_true", help="no progress bars (e.g. in a log)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not config.is_field_node():
            raise CommandError("This installation is not a field node (set ICMC_NODE_MODE=field).")
        if options["full"]:
            reset_for_full_resync()
            self.stdout.write("Full resync: the pull starts again from the beginning; the outbox is kept.")
        if options["every"] is None:
            self._once(options)
            return
        if options["every"] < 5:
            raise CommandError("--every needs at least 5 seconds.")
        while True:
            try:
                self._once(options)
            except CommandError as exc:
                self.stderr.write(str(exc))
                if "revoked" in str(exc):
                    raise
            time.sleep(options["every"])

    def _once(self, options: dict[str, Any]) -> None:
        started = time.monotonic()
        progress = Progress(enabled=not options["no_progress"], pending=pending_count())
        try:
            summary = sync_once(echo=progress, limit=options["limit"], timeout=options["timeout"],
                                digest=options["digest"])
        except NodeRevoked as exc:
            raise CommandError("This node has been revoked upstream: its pending changes are kept in quarantine "
                               "there, and its local data and keys have been wiped.") from exc
        except config.NotProvisioned as exc:
            raise CommandError(str(exc)) from exc
        except (SyncError, OSError, ValueError, http.client.HTTPException) as exc:  # network, cut answer
            raise CommandError(f"Sync interrupted ({exc}); nothing is lost: run it again to resume.") from exc
        finally:
            progress.close()
        self.stdout.write(describe(summary, seconds=time.monotonic() - started))
