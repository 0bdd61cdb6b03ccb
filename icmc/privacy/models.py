"""Two-person approval requests and legal holds (docs/privacy.md).

Sensitivity: reasons and notes are P1 narrative (never copied into the audit trail or the change feed); persons
are referred to by id, never by name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from icmc.accounts.models import Membership, Organisation
from icmc.cases.models import Case, Person
from icmc.lib.models import SyncedModel
from icmc.referrals.models import Referral


class ApprovalState(models.TextChoices):
    PENDING = "pending", _("waiting for a decision")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    EXECUTED = "executed", _("carried out")
    # Not stored: a pending or approved request past its expires_at reads as expired (computed on read).
    EXPIRED = "expired", _("lapsed")


class ApprovalRequest(SyncedModel):
    kind = models.CharField(max_length=40)  # icmc.privacy.kinds.KINDS
    state = models.CharField(max_length=20, choices=ApprovalState.choices, default=ApprovalState.PENDING)
    # The subject (by kind): a person of a case, a referral (of a case), or export parameters.
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    parameters = models.JSONField(default=dict, blank=True)  # e.g. the case-list filters of an export
    reason = models.TextField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    requested_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # Pending: when the request lapses undecided. Approved: when the approval lapses unused.
    expires_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_membership = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "state"], name="approval_kind_state"),
                   models.Index(fields=["requested_by", "-created_at"], name="approval_requester")]

    def __str__(self) -> str:
        return f"Approval {self.id}"


class LegalHold(SyncedModel):
    """An explicit legal hold on a case (every person in it) or on one person of a case: nothing under it may be
    erased until it is released. Automatic holds (open FIR, trial, open case) are derived, not stored
    (icmc/privacy/holds.py)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    release_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "released_at"], name="hold_case_released")]


class DisclosureChannel(models.TextChoices):
    REFERRAL = "referral", _("referral")
    CROSS_BORDER = "cross_border", _("referral across a border")
    EXPORT = "export", _("export with identities")


class DisclosureEnd(models.TextChoices):
    CONSENT_WITHDRAWN = "consent_withdrawn", _("consent withdrawn: the referral was withdrawn")
    REFERRAL_WITHDRAWN = "referral_withdrawn", _("referral withdrawn")
    REFERRAL_DECLINED = "referral_declined", _("referral declined")


class Disclosure(SyncedModel):
    """The share ledger: one person's data went to another organisation (icmc/privacy/ledger.py). Never deleted;
    a referral's rows get an end when the referral stops giving access (withdrawn, also for lack of consent, or
    declined)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    party_role = models.CharField(max_length=20)  # the person's role in the case (survivor, guardian, ...)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=20, choices=DisclosureChannel.choices)
    purpose = models.CharField(max_length=30, blank=True)  # the referral's purpose
    categories = models.JSONField(default=list)  # what was disclosed: names, phones, birth_date, case_report, ...
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approval = models.ForeignKey(ApprovalRequest, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    disclosed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    disclosed_at = models.DateTimeField()
    # When the disclosure stopped giving access, and why; null while it lasts (an export never ends).
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=30, choices=DisclosureEnd.choices, blank=True)

    class Meta:
        ordering = ["-disclosed_at"]
        indexes = [models.Index(fields=["person", "-disclosed_at"], name="disclosure_person")]
