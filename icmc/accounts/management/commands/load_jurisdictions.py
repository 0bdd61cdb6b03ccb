from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from icmc.accounts.jurisdictions import load_jurisdictions
from icmc.accounts.models import Jurisdiction


class Command(BaseCommand):
    help = "Create or update the jurisdiction tree (ISO 3166/3166-2 via pycountry, north-east districts)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = load_jurisdictions(model=Jurisdiction)
        self.stdout.write(f"{count} jurisdictions loaded.")
