"""`manage.py deadlines digest` (notify tasks due soon / overdue, then e-mail the day's notifications) and
`manage.py deadlines escalate` (overdue tasks to the state nodal officers, e-mailed). Run daily from cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from icmc.deadlines.notify import escalate, notify_due_tasks, send_digest


class Command(BaseCommand):
    help = "Deadline notifications: digest (daily e-mail) or escalate (overdue work to state nodal officers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["digest", "escalate"])

    def handle(self, *args: Any, what: str, **options: Any) -> None:
        if what == "digest":
            made = notify_due_tasks()
            sent = send_digest()
            self.stdout.write(f"{made} notifications made, {sent} e-mails sent")
        else:
            made = escalate()
            sent = send_digest(kinds=("task_escalated",))
            self.stdout.write(f"{made} escalations, {sent} e-mails sent")
