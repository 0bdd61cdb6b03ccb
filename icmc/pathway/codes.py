"""Code lists of the survivor pathway, declared once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CwcOutcome(models.TextChoices):
    PENDING = "pending", _("Order pending")
    CHILD_CARE_INSTITUTION = "child_care_institution", _("Placed in a child care institution")
    FIT_FACILITY = "fit_facility", _("Placed with a fit facility or fit person")
    RESTORATION = "restoration", _("Restoration to the family ordered")
    OTHER = "other", _("Other order")


class StayEnd(models.TextChoices):
    TRANSFER = "transfer", _("Transferred to another shelter")
    DISCHARGE = "discharge", _("Discharged")


class ServiceKind(models.TextChoices):
    MEDICAL = "medical", _("Medical")
    COUNSELLING = "counselling", _("Counselling")
    LEGAL_AID = "legal_aid", _("Legal aid")
    EDUCATION = "education", _("Education")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    DOCUMENTS = "documents", _("Identity documents")
    FAMILY_CONTACT = "family_contact", _("Family contact")


class ServiceStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")


class PlacementPlan(models.TextChoices):
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    EDUCATION = "education", _("Education")
    EMPLOYMENT = "employment", _("Employment")


class VisitMode(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    PHONE = "phone", _("Phone call")
    MEETING_ELSEWHERE = "meeting_elsewhere", _("Meeting elsewhere")
    THROUGH_PARTNER = "through_partner", _("Through a partner organisation")


class VisitOutcome(models.TextChoices):
    WELL = "well", _("Doing well")
    NEEDS_SUPPORT = "needs_support", _("Needs support")
    AT_RISK = "at_risk", _("At risk")
    NOT_REACHED = "not_reached", _("Not reached")


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    APPLIED = "applied", _("Applied")
    INTERIM_AWARDED = "interim_awarded", _("Interim relief awarded")
    AWARDED = "awarded", _("Awarded")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


# Pre-rescue checklist (planning a rescue operation), as data: key -> label.
PRE_RESCUE_CHECKLIST = {
    "intelligence_verified": _("Information verified and location confirmed"),
    "magistrate_informed": _("Magistrate / special police officer informed (ITPA s.15-16)"),
    "women_officers": _("Women police officers in the team"),
    "ngo_partner": _("NGO partner and counsellor in the team"),
    "shelter_arranged": _("Shelter arranged for the rescued persons"),
    "medical_arranged": _("Medical examination arranged"),
    "cwc_informed": _("CWC informed (if children may be rescued)"),
    "interpreter": _("Interpreter arranged (if needed)"),
}

# Cross-border repatriation steps (India-Bangladesh MoU 2015; see docs/workflow.md): key -> label.
CROSS_BORDER_STEPS = {
    "police_wcd_informed": _("Police / women and child department informed"),
    "frro_informed": _("FRRO informed"),
    "mha_mea_informed": _("MHA / MEA informed (embassy via MEA)"),
    "mission_verification": _("Nationality verified by the country's mission"),
    "hir_received": _("Home investigation report received"),
    "travel_permit_issued": _("Travel permit issued"),
    "border_handover": _("Handed over at the border (e.g. BSF-BGB)"),
    "partner_received": _("Received by the partner for reintegration"),
}
