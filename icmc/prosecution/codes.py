"""Code lists of the prosecution track."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BailStatus(models.TextChoices):
    NOT_ARRESTED = "not_arrested", _("Not arrested")
    IN_CUSTODY = "in_custody", _("In custody")
    ON_BAIL = "on_bail", _("On bail")
    DEFAULT_BAIL = "default_bail", _("On default bail (chargesheet late)")
    ABSCONDING = "absconding", _("Absconding")


class HearingPurpose(models.TextChoices):
    COGNIZANCE = "cognizance", _("Cognizance")
    BAIL = "bail", _("Bail")
    CHARGES = "charges", _("Framing of charges")
    EVIDENCE = "evidence", _("Evidence")
    VICTIM_TESTIMONY = "victim_testimony", _("Victim's testimony")
    ARGUMENTS = "arguments", _("Arguments")
    JUDGMENT = "judgment", _("Judgment")
    OTHER = "other", _("Other")


class VerdictResult(models.TextChoices):
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    DISCHARGED = "discharged", _("Discharged")


class ClosureOutcome(models.TextChoices):
    CONVICTION = "closed_with_conviction", _("Closed with conviction")
    ACQUITTAL = "acquittal", _("Closed: acquittal")
    NO_PROSECUTION = "no_prosecution_possible", _("Closed: no prosecution possible")
    TRANSFERRED = "transferred", _("Closed: transferred")
    SURVIVOR_WITHDREW = "survivor_withdrew", _("Closed: survivor withdrew")
