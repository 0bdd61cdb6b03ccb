"""Code lists for cases and persons, declared once. HTCDS v2.0 (IOM, CC BY 4.0) where one exists."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExploitationType(models.TextChoices):
    """HTCDS vic_TypeOfExploitation."""

    FORCED_LABOUR = "ForcedLabour", _("Forced labour")
    SEXUAL_EXPLOITATION = "SexualExploitation", _("Sexual exploitation")
    CHILD_LABOUR = "ChildLabour", _("Child labour")
    FORCED_MARRIAGE = "ForcedMarriage", _("Forced marriage")
    SERVITUDE = "Servitude", _("Servitude")
    FORCED_MILITARY = "ForcedMilitaryByNonStateActors", _("Forced military by non-state actors")
    ORGAN_REMOVAL = "OrganRemoval", _("Organ removal")
    FORCED_BEGGING = "ForcedBegging", _("Forced begging")
    FORCED_ADOPTION = "ForcedAdoption", _("Forced adoption")
    SURROGACY = "Surrogacy", _("Surrogacy")
    OTHER = "Other", _("Other")


class Gender(models.TextChoices):
    """HTCDS prs_Gender."""

    FEMININE = "Feminine", _("Female")
    MASCULINE = "Masculine", _("Male")
    TRANSGENDER_FEMININE = "TransgenderFeminine", _("Transgender female")
    TRANSGENDER_MASCULINE = "TransgenderMasculine", _("Transgender male")
    NON_CONFORMING = "NonConforming", _("Gender non-conforming")
    UNKNOWN = "NonSpecifiedUnknown", _("Not specified / unknown")


class ReporterType(models.TextChoices):
    FAMILY = "family", _("Family member")
    NON_FAMILY = "non_family", _("Non-family (neighbour, friend, employer…)")
    SURVIVOR = "survivor", _("Survivor")
    HOTLINE = "hotline", _("Hotline")
    POLICE = "police", _("Police")
    NGO = "ngo", _("NGO")
    ANONYMOUS = "anonymous", _("Anonymous")


class PartyRole(models.TextChoices):
    SURVIVOR = "survivor", _("Survivor")
    SUSPECT = "suspect", _("Suspect")
    REPORTER = "reporter", _("Reporter")
    GUARDIAN = "guardian", _("Guardian")
    WITNESS = "witness", _("Witness")


class CaseStatus(models.TextChoices):
    """HTCDS cas_Status."""

    ACTIVE = "Active", _("Active")
    FOLLOW_UP = "FollowUp", _("Follow-up")
    CLOSED = "Closed", _("Closed")
    CLOSED_REFERRED = "ClosedReferred", _("Closed (referred)")


class CaseStage(models.TextChoices):
    """The 6R stages a case moves through (the case's stage is derived from its survivors' stages)."""

    REPORTED = "reported", _("Reported")
    RESCUED = "rescued", _("Rescued")
    REHABILITATION = "rehabilitation", _("In rehabilitation")
    REPATRIATION = "repatriation", _("Repatriation")
    REINTEGRATION = "reintegration", _("Re-integration (follow-up)")
    CLOSED = "closed", _("Closed")


class PlaceKind(models.TextChoices):
    """HTCDS hte_Type: where the trafficking happened."""

    RECRUITMENT = "recruitment", _("Recruitment (source)")
    TRANSIT = "transit", _("Transit")
    EXPLOITATION = "exploitation", _("Exploitation (destination)")


# Age of majority for the minor flag (JJ Act 2015, POCSO: a child is under 18).
AGE_OF_MAJORITY = 18
