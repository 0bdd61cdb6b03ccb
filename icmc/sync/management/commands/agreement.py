"""Data-sharing agreements with partner centres' nodes (federation, docs/sync.md):

    agreement create --node ID --title "..." --fields cases.case=reference,stage,status --fields cases.note=case,body
                     [--starts 2026-01-01] [--ends 2027-12-31]
    agreement list
    agreement end AGREEMENT_ID
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from icmc.access.errors import InvalidInput
from icmc.demo.world import system_actor
from icmc.sync.actions import do_create_agreement, do_end_agreement
from icmc.sync.models import DataSharingAgreement, Node


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text}") from exc


class Command(BaseCommand):
    help = "Create, list and end data-sharing agreements with partner centres."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create")
        create.add_argument("--node", required=True)
        create.add_argument("--title", required=True)
        create.add_argument("--fields", action="append", required=True,
                            help="type=field,field (repeat per type), e.g. cases.case=reference,stage")
        create.add_argument("--starts")
        create.add_argument("--ends")
        sub.add_parser("list")
        end = sub.add_parser("end")
        end.add_argument("agreement_id")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['verb']}")(options)

    def _create(self, options: dict[str, Any]) -> None:
        try:
            node = Node.objects.get(pk=uuid.UUID(options["node"]))
        except (ValueError, Node.DoesNotExist) as exc:
            raise CommandError("No such node.") from exc
        fields: dict[str, list[str]] = {}
        for item in options["fields"]:
            object_type, _, names = item.partition("=")
            fields.setdefault(object_type.strip(), []).extend(n.strip() for n in names.split(",") if n.strip())
        try:
            agreement = do_create_agreement(
                actor=system_actor(), node=node, title=options["title"], fields=fields,
                starts_on=_date(options["starts"]) if options["starts"] else timezone.localdate(),
                ends_on=_date(options["ends"]) if options["ends"] else None)
        except InvalidInput as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.errors.items())) from exc
        self.stdout.write(f"agreement {agreement.id} with {node.name}: {', '.join(sorted(agreement.fields))}")

    def _list(self, options: dict[str, Any]) -> None:
        for a in DataSharingAgreement.objects.select_related("node").order_by("created_at"):
            state = f"ended {a.ended_at:%Y-%m-%d}" if a.ended_at else "active"
            types = "; ".join(f"{t}={','.join(f)}" for t, f in sorted(a.fields.items()))
            self.stdout.write(f"{a.id}  {state:<16}  {a.node.name}  {a.title}  [{types}]")

    def _end(self, options: dict[str, Any]) -> None:
        try:
            agreement = DataSharingAgreement.objects.get(pk=uuid.UUID(options["agreement_id"]))
        except (ValueError, DataSharingAgreement.DoesNotExist) as exc:
            raise CommandError("No such agreement.") from exc
        do_end_agreement(agreement, actor=system_actor())
        self.stdout.write(f"Agreement {agreement.id} ended.")
