"""First Information Reports (the prosecution track starts here; charges and hearings follow)."""

from __future__ import annotations

from django.db import models

from icmc.accounts.models import Organisation
from icmc.cases.models import Case
from icmc.lib.models import SyncedModel


class FIR(SyncedModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="firs")
    # A known police station (or AHTU) of the directory, or a name when the station is not in it.
    police_station = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="firs"
    )
    police_station_name = models.CharField(max_length=200, blank=True)
    number = models.CharField(max_length=50, blank=True)
    registered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = "FIR"
