"""`icmc generate --cases N --seed S`: the whole network and N synthetic cases, written in bulk (for benchmarks
and load tests; refused in production)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from icmc.demo import DEMO_PASSWORD
from icmc.demo.bulk import write_bulk
from icmc.demo.directory import Directory
from icmc.demo.management.commands.demo import PRODUCTION_REFUSAL
from icmc.demo.network import build_network
from icmc.demo.synth import iter_specs


class Command(BaseCommand):
    help = "Generate synthetic cases in bulk across every north-east state (for benchmarks; not in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="How many cases to generate.")
        parser.add_argument("--seed", type=int, default=1, help="Seed: the same seed gives the same cases.")
        parser.add_argument("--batch", type=int, default=2000, help="Cases written per transaction.")
        parser.add_argument("--years", type=int, default=10, help="Cases are reported over this many years.")
        parser.add_argument("--no-progress", action="store_true", help="Do not show a progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.ICMC_DEMO_ALLOWED:
            raise CommandError(PRODUCTION_REFUSAL)
        count = options["cases"]
        if count < 0 or options["batch"] < 1 or options["years"] < 1:
            raise CommandError("--cases must be 0 or more, --batch and --years 1 or more.")
        build_network(password=DEMO_PASSWORD)
        specs = iter_specs(seed=options["seed"], count=count, anchor=timezone.localdate(), years=options["years"])
        result = write_bulk(specs, directory=Directory.load(), batch_size=options["batch"], total=count,
                            progress=not options["no_progress"])
        if connection.vendor == "postgresql":
            # Fresh planner statistics, as autovacuum would gather shortly after such a load.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        rate = result.cases / result.seconds if result.seconds else 0.0
        self.stdout.write(
            f"Generated {result.cases} cases, {result.persons} persons and {result.notes} notes "
            f"in {result.seconds:.1f} s ({rate:.0f} cases/s)."
        )
