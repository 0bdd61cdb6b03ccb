"""Nodes that sync with this installation: `node register --name N --user U [--user U2] [--kind field]`
(prints the node id and its private key, once; with `--bundle FILE --upstream-url URL` writes instead the
provisioning bundle a field node is set up from, 0600: icmc.fieldnode.bundle), `node list`, `node revoke ID`,
`node quarantine [ID] [--rejected]` (the mutations kept but not applied: quarantined from a revoked node, and
rejected ones; no payload values)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from icmc.access.errors import InvalidInput
from icmc.accounts.models import User
from icmc.demo.world import system_actor
from icmc.fieldnode.bundle import make_bundle
from icmc.fieldnode.config import write_private
from icmc.sync.actions import do_register_node, do_revoke_node
from icmc.sync.models import MutationStatus, Node, NodeKind
from icmc.sync.queries import kept_for_review


class Command(BaseCommand):
    help = "Register, list and revoke sync nodes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        register = sub.add_parser("register")
        register.add_argument("--name", required=True)
        register.add_argument("--user", action="append", required=True, help="username (repeat for several)")
        register.add_argument("--kind", choices=list(NodeKind.values), default=NodeKind.FIELD)
        register.add_argument("--bundle", help="write the field node's provisioning bundle to this file (0600)")
        register.add_argument("--upstream-url", default="", help="this centre's sync URL, for the bundle")
        sub.add_parser("list")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("node_id")
        quarantine = sub.add_parser("quarantine")
        quarantine.add_argument("node_id", nargs="?")
        quarantine.add_argument("--rejected", action="store_true", help="also list rejected mutations")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['verb']}")(options)

    def _register(self, options: dict[str, Any]) -> None:
        users = list(User.objects.filter(username__in=options["user"]))
        missing = sorted(set(options["user"]) - {u.username for u in users})
        if missing:
            raise CommandError(f"Unknown user(s): {', '.join(missing)}")
        try:
            node, private_key = do_register_node(actor=system_actor(), name=options["name"], kind=options["kind"],
                                                 users=users)
        except InvalidInput as exc:
            raise CommandError(str(exc.errors)) from exc
        self.stdout.write(f"node id:     {node.id}")
        if options["bundle"]:
            bundle = make_bundle(node=node, private_key=private_key, upstream_url=options["upstream_url"])
            write_private(Path(options["bundle"]), json.dumps(bundle, indent=1))
            self.stdout.write(f"bundle:      {options['bundle']} (give it to the node: `fieldnode provision`)")
            return
        self.stdout.write(f"private key: {private_key}")
        self.stdout.write("Keep the private key on the node (sync --key); it is not stored here and is shown once.")

    def _list(self, options: dict[str, Any]) -> None:
        for node in Node.objects.order_by("registered_at").prefetch_related("users"):
            state = f"revoked {node.revoked_at:%Y-%m-%d}" if node.revoked_at else "active"
            users = ",".join(sorted(u.username for u in node.users.all()))
            self.stdout.write(f"{node.id}  {node.kind:<7}  {state:<18}  last seq {node.last_seq:<6}  "
                              f"{node.name}  [{users}]")

    def _revoke(self, options: dict[str, Any]) -> None:
        try:
            node = Node.objects.get(pk=uuid.UUID(options["node_id"]))
        except (ValueError, Node.DoesNotExist) as exc:
            raise CommandError("No such node.") from exc
        do_revoke_node(node, actor=system_actor())
        self.stdout.write(f"Node {node.id} revoked.")

    def _quarantine(self, options: dict[str, Any]) -> None:
        statuses = [MutationStatus.QUARANTINED] + ([MutationStatus.REJECTED] if options["rejected"] else [])
        try:
            rows = kept_for_review(node_id=options["node_id"], statuses=statuses)
        except ValueError as exc:
            raise CommandError("No such node.") from exc
        for row in rows:
            self.stdout.write(f"{row['node']}  seq {row['seq']:<6}  {row['status']:<11}  {row['action']:<18}  "
                              f"{row['user']:<20}  {row['received_at']:%Y-%m-%d %H:%M}  {row['reason']}")
