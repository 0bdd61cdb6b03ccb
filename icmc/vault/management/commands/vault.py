"""`manage.py vault status | rotate-master --new-key-id ID | new-key --key-id ID | reindex-tokens` (docs/vault.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from icmc.vault.actions import key_usage, rebuild_search_tokens, rotate_master_key
from icmc.vault.keyfile import new_key_line
from icmc.vault.keys import provider


class Command(BaseCommand):
    help = "Master keys of the identity vault: status, rotation, a new key line."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        sub.add_parser("status", help="configured master keys and how many person and case keys each wraps")
        rotate = sub.add_parser("rotate-master", help="rewrap every person and case key under another master key")
        rotate.add_argument("--new-key-id", required=True)
        new = sub.add_parser("new-key", help="print a new `<id>:<base64>` line for the key file")
        new.add_argument("--key-id", required=True)
        sub.add_parser("reindex-tokens", help="recompute every person's search tokens from their names")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["sub"] == "new-key":
            self.stdout.write(new_key_line(options["key_id"]))
            return
        if options["sub"] == "reindex-tokens":
            self.stdout.write(f"re-indexed the search tokens of {rebuild_search_tokens()} people")
            return
        keys = provider()
        if options["sub"] == "status":
            self.stdout.write(f"active master key: {keys.active_key_id}; configured: {', '.join(keys.key_ids())}")
            for key_id, count in sorted(key_usage().items()):
                self.stdout.write(f"  {key_id or '(none)'}: {count} keys")
            return
        try:
            count = rotate_master_key(new_key_id=options["new_key_id"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"rewrapped {count} person and case keys under {options['new_key_id']}")
