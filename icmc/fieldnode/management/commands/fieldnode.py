"""Set this installation up as a field node from the bundle its upstream administrator gave:

    manage.py fieldnode provision BUNDLE.json     (then delete the bundle file)
    manage.py fieldnode status
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from icmc.fieldnode import config
from icmc.fieldnode.bundle import BadBundle, install_bundle
from icmc.fieldnode.status import node_status


class Command(BaseCommand):
    help = "Provision this field node from a bundle, or show its sync state."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        provision = sub.add_parser("provision")
        provision.add_argument("bundle", help="the JSON file from `node register --bundle` on the upstream")
        sub.add_parser("status")

    def handle(self, *args: Any, **options: Any) -> None:
        if not config.is_field_node():
            raise CommandError("This installation is not a field node (set ICMC_NODE_MODE=field).")
        getattr(self, f"_{options['verb']}")(options)

    def _provision(self, options: dict[str, Any]) -> None:
        try:
            bundle = json.loads(Path(options["bundle"]).read_text())
            node = install_bundle(bundle)
        except (OSError, ValueError, BadBundle) as exc:
            raise CommandError(f"Cannot provision from this bundle: {exc}") from exc
        self.stdout.write(f"Field node {node.name} ({node.node_id}) provisioned; upstream {node.upstream_url}.")
        self.stdout.write(f"Users: {len(bundle['users'])}. Delete the bundle file now: it holds the node's key.")

    def _status(self, options: dict[str, Any]) -> None:
        status = node_status()
        for label, value in status.lines():
            self.stdout.write(f"{label:<22} {value}")
