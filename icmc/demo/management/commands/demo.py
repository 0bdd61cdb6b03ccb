"""`icmc demo`: the demo world and fifty demo cases with their stories, then the demo logins (refused in
production)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from icmc.cases.models import Case
from icmc.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from icmc.demo.bulk import write_bulk
from icmc.demo.directory import Directory
from icmc.demo.logins import format_table, login_rows
from icmc.demo.synth import iter_specs
from icmc.demo.world import build_world

# Cases per state centre: the Shillong centre (Meghalaya) and the Guwahati centre (Assam).
DEMO_CASES = {"IN-ML": 35, "IN-AS": 15}
DEMO_YEARS = 4  # long enough for some cases to reach follow-up, trial and closure

PRODUCTION_REFUSAL = (
    "Demo data is disabled on this installation (ICMC_ENV=production): it would mix made-up cases and "
    "known passwords with real records. Use a development or test installation for the demo."
)


def load_demo(*, seed: int) -> int:
    """Build the world and write the demo cases with their stories (rescue, shelter, HIR, repatriation,
    follow-up, prosecution, referrals) by the same generator as `icmc generate`. Returns the number of cases."""
    build_world(password=DEMO_PASSWORD)
    directory = Directory.load()
    today = timezone.localdate()
    count = 0
    for offset, (state, cases) in enumerate(DEMO_CASES.items()):
        specs = iter_specs(seed=seed + offset, count=cases, anchor=today, years=DEMO_YEARS,
                           state_weights={state: 1.0}, stories=True)
        count += write_bulk(specs, directory=directory).cases
    return count


class Command(BaseCommand):
    help = "Load the demo organisations, users and cases (only into an empty database) and print the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the synthetic cases.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.ICMC_DEMO_ALLOWED:
            raise CommandError(PRODUCTION_REFUSAL)
        if Case.objects.exists():
            self.stdout.write("The database already has cases: no demo data loaded.")
        else:
            with transaction.atomic():
                count = load_demo(seed=options["seed"])
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {count} cases."))
        rows = login_rows()
        if rows:
            self.stdout.write("\nDemo logins:\n")
            self.stdout.write(format_table(rows, header=("username", "persona", "organisation", "password")))
            self.stdout.write(
                f"\nSecond factor: every demo user has the same authenticator key {DEMO_TOTP_SECRET} (TOTP, SHA1, "
                f"6 digits, 30 s). Add it to an authenticator app and enter the code it shows after the password."
                f"\n  otpauth://totp/ICMC%20demo?secret={DEMO_TOTP_SECRET}&issuer=ICMC\n"
            )
        else:
            self.stdout.write("No demo logins exist in this database.")
