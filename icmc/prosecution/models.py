"""First Information Reports (the prosecution track starts here; charges and hearings follow)."""

from __future__ import annotations

from django.db import models

from icmc.accounts.models import Organisation
from icmc.cases.models import Case
from icmc.lib.models import SyncedModel
from icmc.prosecution.codes import BailStatus, HearingPurpose, VerdictResult


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


class Offence(models.Model):
    """Reference table of offences (act + section), loaded by a data migration. Not synced: the same everywhere."""

    code = models.CharField(max_length=40, primary_key=True)  # e.g. "BNS-143(3)", "IPC-370"
    act = models.CharField(max_length=20)  # BNS, IPC, ITPA, POCSO, JJ, BLSA
    section = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    min_punishment = models.CharField(max_length=100, blank=True)
    max_punishment = models.CharField(max_length=100, blank=True)
    # Sources and uncertainty: values marked [M] in docs/domain facts must be confirmed before relying on them.
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["act", "code"]

    def __str__(self) -> str:
        return f"{self.act} s.{self.section} — {self.title}"


class Charge(SyncedModel):
    fir = models.ForeignKey(FIR, on_delete=models.PROTECT, related_name="charges")
    offence = models.ForeignKey(Offence, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["fir", "offence"], name="charge_unique")]


class Accused(SyncedModel):
    """A suspect party of the case who is prosecuted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="accused")
    party = models.OneToOneField("cases.CaseParty", on_delete=models.PROTECT, related_name="accused")
    arrested_on = models.DateField(null=True, blank=True)
    bail_status = models.CharField(max_length=20, choices=BailStatus.choices, default=BailStatus.NOT_ARRESTED)
    bail_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]


class Chargesheet(SyncedModel):
    accused = models.ForeignKey(Accused, on_delete=models.PROTECT, related_name="chargesheets")
    filed_on = models.DateField()
    number = models.CharField(max_length=50, blank=True)
    is_supplementary = models.BooleanField(default=False)

    class Meta:
        ordering = ["filed_on"]


class Hearing(SyncedModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="hearings")
    held_on = models.DateField()
    court = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    court_name = models.CharField(max_length=200, blank=True)
    purpose = models.CharField(max_length=30, choices=HearingPurpose.choices)
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["held_on", "created_at"]


class Verdict(SyncedModel):
    accused = models.OneToOneField(Accused, on_delete=models.PROTECT, related_name="verdict")
    decided_on = models.DateField()
    result = models.CharField(max_length=20, choices=VerdictResult.choices)
    sentence_years = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    fine = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)  # INR
