"""Code lists of referrals and consent, declared once (read by models, forms, pages, API and docs)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralPurpose(models.TextChoices):
    RESCUE = "rescue", _("Rescue")
    SHELTER = "shelter", _("Shelter")
    MEDICAL = "medical", _("Medical care")
    LEGAL_AID = "legal_aid", _("Legal aid")
    COMPENSATION = "compensation", _("Victim compensation")
    REPATRIATION = "repatriation", _("Repatriation")
    INVESTIGATION = "investigation", _("Investigation")
    FOLLOW_UP = "follow_up", _("Follow-up and re-integration")
    CHILD_PROTECTION = "child_protection", _("Child protection (CWC)")
    PROSECUTION = "prosecution", _("Prosecution")


class ReferralState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConsentBasis(models.TextChoices):
    SURVIVOR = "survivor", _("The survivor's own informed consent")
    GUARDIAN = "guardian", _("A guardian's consent (for a child)")
    CWC_DECISION = "cwc_decision", _("A decision of the Child Welfare Committee")
    OVERRIDE = "override", _("Override without consent (written reason)")


class ConsentResponse(models.TextChoices):
    CONSENTED = "consented", _("Consent given")
    ASSENTED = "assented", _("Assent given (a child agrees)")
    REFUSED = "refused", _("Refused")
    # Consent given earlier taken back: the referrals that relied on it are withdrawn (icmc.referrals.actions).
    WITHDRAWN = "withdrawn", _("Withdrawn (consent given earlier is taken back)")


# HTCDS v2.0 consent guidance (con_Consent): what the person must be told. key -> (label, required).
CONSENT_PROMPTS: dict[str, tuple[object, bool]] = {
    "purpose": (_("The purpose of the interview and of the referral"), True),
    "uses": (_("The actual and potential uses of the data, and who will receive it"), True),
    "research": (_("Research use of non-identifying data"), False),
    "access_right": (_("The right to request their personal data"), True),
    "retention": (_("How long the data will be kept"), True),
    "withdrawal": (_("How to withdraw consent"), True),
}
REQUIRED_PROMPTS = frozenset(key for key, (_label, required) in CONSENT_PROMPTS.items() if required)
