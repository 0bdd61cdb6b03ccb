"""Referrals of a case (or one survivor) from one organisation to another for a purpose, their transitions,
and the consent recorded before identities are shared.

Sensitivity: messages and reasons are P1 narrative (never copied into the audit trail or the change feed).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from icmc.accounts.models import Membership, Organisation
from icmc.cases.models import Case, CaseParty
from icmc.lib.models import SyncedModel
from icmc.referrals.codes import ConsentBasis, ConsentResponse, ReferralPurpose, ReferralState


class Referral(SyncedModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    # The survivor referred (a CaseParty with role survivor); null when the whole case is referred.
    party = models.ForeignKey(CaseParty, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals_sent")
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals_received")
    purpose = models.CharField(max_length=30, choices=ReferralPurpose.choices)
    state = models.CharField(max_length=20, choices=ReferralState.choices, default=ReferralState.PROPOSED)
    # Proposed by the system when the case was reported (to its AHTUs and partners), not by a person.
    automatic = models.BooleanField(default=False)
    # The consent records the referral was sent on (ids of Consent), for the record.
    consent_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            # The case id in the index: "the cases referred to this organisation" (the referred scope of every
            # case list, icmc.access.queries) is read from the index alone, not from ~6,000 heap pages.
            models.Index(fields=["to_organisation", "state", "case"], name="referral_to_state_case"),
            models.Index(fields=["case", "state"], name="referral_case_state"),
        ]

    def __str__(self) -> str:
        return f"Referral {self.id}"


class ReferralTransition(SyncedModel):
    """One step of a referral's life: who moved it from which state to which, when, with what message."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=ReferralState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=ReferralState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]


class Consent(SyncedModel):
    """A survivor's informed consent (or a guardian's, a CWC decision, or an override with a reason) to share
    their identity for some referral purposes. Append-only; a later record for the same survivor decides."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consents")
    party = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="consents")
    basis = models.CharField(max_length=20, choices=ConsentBasis.choices)
    response = models.CharField(max_length=20, choices=ConsentResponse.choices, blank=True)
    prompts_explained = models.JSONField(default=list, blank=True)  # keys of codes.CONSENT_PROMPTS
    purposes = models.JSONField(default=list)  # the scope: ReferralPurpose values consented to
    # The override's reason, or the CWC order's reference and notes.
    reason = models.TextField(blank=True)
    given_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["party", "created_at"], name="consent_party_created")]
