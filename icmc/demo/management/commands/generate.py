"""`icmc generate --cases N --seed S`: the whole network and N synthetic cases, written in bulk (for benchmarks
and load tests; refused in production)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from icmc.demo import DEMO_PASSWORD
from icmc.demo.bulk import Plan, generate
from icmc.demo.management.commands.demo import PRODUCTION_REFUSAL
from icmc.demo.network import build_network


class Command(BaseCommand):
    help = "Generate synthetic cases in bulk across every north-east state (for benchmarks; not in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="How many cases to generate.")
        parser.add_argument("--seed", type=int, default=1, help="Seed: the same seed gives the same cases.")
        parser.add_argument("--batch", type=int, default=1000, help="Cases written per transaction.")
        parser.add_argument("--years", type=int, default=10, help="Cases are reported over this many years.")
        parser.add_argument("--no-progress", action="store_true", help="Do not show a progress bar.")
        parser.add_argument("--no-stories", action="store_true",
                            help="Write the reports only (no pathway, prosecution, referrals after the report).")
        parser.add_argument("--anchor", type=datetime.date.fromisoformat,
                            help="The day after the last report, YYYY-MM-DD (default: today). Nothing in a story "
                                 "happens on or after it.")
        parser.add_argument("--workers", type=int, default=0,
                            help="Processes that build and write batches (PostgreSQL only; default 2 there, 1 on "
                                 "SQLite). The data are the same whatever the number.")
        parser.add_argument("--digest", action="store_true",
                            help="Print a digest (SHA-256) of the generated data: the same for the same seed, "
                                 "count, years and anchor.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.ICMC_DEMO_ALLOWED:
            raise CommandError(PRODUCTION_REFUSAL)
        count = options["cases"]
        if count < 0 or options["batch"] < 1 or options["years"] < 1 or options["workers"] < 0:
            raise CommandError("--cases and --workers must be 0 or more, --batch and --years 1 or more.")
        build_network(password=DEMO_PASSWORD)
        anchor = options["anchor"] or timezone.localdate()
        plan = Plan(seed=options["seed"], count=count, anchor=anchor, years=options["years"],
                    stories=not options["no_stories"], batch_size=options["batch"], digest=options["digest"])
        workers = options["workers"] or (2 if connection.vendor == "postgresql" else 1)
        result, digest = generate(plan, workers=workers, progress=not options["no_progress"])
        if connection.vendor == "postgresql":
            # What autovacuum does shortly after such a load: fresh planner statistics, and the visibility map
            # that lets index-only scans skip the table (without it a fresh load fetches every heap row).
            # VACUUM cannot run in a transaction (a test's): there, statistics only.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        rate = result.cases / result.seconds if result.seconds else 0.0
        self.stdout.write(
            f"Generated {result.cases} cases, {result.persons} persons and {result.notes} notes "
            f"({result.rows} rows) in {result.seconds:.1f} s ({rate:.0f} cases/s)."
        )
        if digest is not None:
            self.stdout.write(f"Digest: {digest}")
