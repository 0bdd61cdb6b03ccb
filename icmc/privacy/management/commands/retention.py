"""`manage.py retention report [--json]`: per retention class, how many persons there are, how many are in an
open case, how many are due for review (every case closed and the class's period passed), how many of those are
under a legal hold, and how many are erased. Counts only: no names, no references (docs/privacy.md)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from icmc.privacy.retention import report


class Command(BaseCommand):
    help = "Retention classes: persons due for review, under hold, erased (counts only)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        rep = sub.add_parser("report", help="counts per retention class")
        rep.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = report()
        if options["json"]:
            self.stdout.write(json.dumps([
                {"class": r.retention_class.key, "period_days": r.retention_class.period.days,
                 "persons": r.persons, "open": r.open, "due": r.due, "due_held": r.due_held, "erased": r.erased}
                for r in rows], indent=2))
            return
        self.stdout.write("Retention periods are assumptions until set by counsel (docs/privacy.md).")
        self.stdout.write(f"{'class':<18}{'years':>6}{'persons':>9}{'open':>7}{'due':>6}{'held':>6}{'erased':>8}")
        for r in rows:
            years = round(r.retention_class.period.days / 365)
            self.stdout.write(f"{r.retention_class.key:<18}{years:>6}{r.persons:>9}{r.open:>7}{r.due:>6}"
                              f"{r.due_held:>6}{r.erased:>8}")
