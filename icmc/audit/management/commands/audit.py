"""`icmc audit verify`: check the audit hash chain; names every altered, removed or reordered event."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from icmc.audit.chain import verify
from icmc.audit.models import AuditEvent


class Command(BaseCommand):
    help = "Audit trail tools. `audit verify` checks the hash chain of every event."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="verify the hash chain; exit status 1 if anything was altered")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            problems = list(verify())
            count = AuditEvent.objects.count()
            if problems:
                for problem in problems:
                    self.stderr.write(f"FAIL {problem}")
                raise CommandError(f"audit chain verification failed: {len(problems)} problem(s) in {count} events")
            self.stdout.write(f"OK: {count} audit events, chain intact.")
