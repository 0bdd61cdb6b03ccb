"""Per-survivor pathway records (rescue, rehabilitation, repatriation, re-integration, re-compensation).

Each record refers to the survivor's CaseParty (role survivor). Whereabouts (place details) are P0; the rest P1.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from icmc.accounts.models import Jurisdiction, Organisation
from icmc.cases.codes import CaseStage
from icmc.cases.models import Case, CaseParty
from icmc.lib.models import SyncedModel
from icmc.pathway.codes import (
    ClaimStatus,
    CwcOutcome,
    PlacementPlan,
    ServiceKind,
    ServiceStatus,
    StayEnd,
    VisitMode,
    VisitOutcome,
)
from icmc.vault.sealed import CaseSealedManager


class SurvivorPathway(SyncedModel):
    """Where one survivor is on the 6R pathway. Written only by the workflow's transitions."""

    party = models.OneToOneField(CaseParty, on_delete=models.PROTECT, related_name="pathway")
    stage = models.CharField(max_length=20, choices=CaseStage.choices, default=CaseStage.REPORTED)
    stage_changed_at = models.DateTimeField()


class RescueOperation(SyncedModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="rescue_operations")
    rescued_on = models.DateField()
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    # Free text (where exactly the rescue took place): whereabouts, P0. "v1:<nonce>:<ciphertext>" under the case's
    # key (icmc.vault, like CasePlace.detail), "" when there is no detail; never plaintext.
    place_detail_sealed = models.TextField(blank=True)
    lead_ahtu = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    partner_organisations = models.ManyToManyField(Organisation, blank=True, related_name="+")
    checklist = models.JSONField(default=list, blank=True)  # keys of codes.PRE_RESCUE_CHECKLIST done
    post_rescue_needs = models.TextField(blank=True)

    objects = CaseSealedManager()
    place_detail = ""  # the plain detail (at most 500 characters): not a column; set by icmc.vault on read and write

    class Meta:
        ordering = ["rescued_on", "created_at"]


class RescuedPerson(SyncedModel):
    operation = models.ForeignKey(RescueOperation, on_delete=models.PROTECT, related_name="rescued")
    party = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="rescues")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["operation", "party"], name="rescued_person_unique")]


class CwcProduction(SyncedModel):
    """A minor's production before the Child Welfare Committee (JJ Act s.31) and its order."""

    party = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="cwc_productions")
    produced_at = models.DateTimeField()
    cwc = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=30, choices=CwcOutcome.choices, default=CwcOutcome.PENDING)
    order_text = models.TextField(blank=True)

    class Meta:
        ordering = ["produced_at"]


class ShelterStay(SyncedModel):
    party = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="shelter_stays")
    shelter = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    admitted_on = models.DateField()
    # Why an NGO shelter and not a government one (required for an NGO shelter).
    reason_not_government = models.TextField(blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=StayEnd.choices, blank=True)

    class Meta:
        ordering = ["admitted_on", "created_at"]


class SupportService(SyncedModel):
    party = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="support_services")
    kind = models.CharField(max_length=30, choices=ServiceKind.choices)
    provider = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.PLANNED)

    class Meta:
        ordering = ["created_at"]


class CarePlan(SyncedModel):
    """The survivor's individual care plan (one per survivor; corrected, not replaced)."""

    party = models.OneToOneField(CaseParty, on_delete=models.PROTECT, related_name="care_plan")
    long_term_goal = models.CharField(max_length=500)
    text = models.TextField(blank=True)


class HomeInvestigation(SyncedModel):
    """Home Investigation Report: is it safe for the survivor to return home?"""

    party = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="home_investigations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    investigator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    investigated_on = models.DateField()
    findings = models.TextField()
    is_safe = models.BooleanField()
    recommendation = models.TextField(blank=True)

    class Meta:
        ordering = ["investigated_on", "created_at"]


class Repatriation(SyncedModel):
    party = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="repatriations")
    home_investigation = models.ForeignKey(HomeInvestigation, on_delete=models.PROTECT, related_name="+")
    repatriated_on = models.DateField(null=True, blank=True)  # blank while the steps are under way
    escort = models.CharField(max_length=200, blank=True)
    destination = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    is_cross_border = models.BooleanField(default=False)
    steps_done = models.JSONField(default=list, blank=True)  # keys of codes.CROSS_BORDER_STEPS
    travel_permit_number = models.CharField(max_length=50, blank=True)
    travel_permit_expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]


class LongTermPlacement(SyncedModel):
    """When home is not safe: long-term accommodation with the social welfare department, and a plan."""

    party = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="placements")
    home_investigation = models.ForeignKey(HomeInvestigation, on_delete=models.PROTECT, related_name="+")
    welfare_department = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    placed_on = models.DateField()
    plan_kind = models.CharField(max_length=30, choices=PlacementPlan.choices)
    plan = models.TextField(blank=True)

    class Meta:
        ordering = ["placed_on"]


class FollowUpPlan(SyncedModel):
    """Generated when the survivor is re-integrated (returned home or placed long term)."""

    party = models.OneToOneField(CaseParty, on_delete=models.PROTECT, related_name="follow_up")
    starts_on = models.DateField()
    ends_on = models.DateField()
    ended_early_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)


class FollowUpVisit(SyncedModel):
    """A scheduled follow-up; recorded when it takes place. Past its due date and not recorded: missed."""

    plan = models.ForeignKey(FollowUpPlan, on_delete=models.PROTECT, related_name="visits")
    due_on = models.DateField()
    visited_on = models.DateField(null=True, blank=True)
    mode = models.CharField(max_length=30, choices=VisitMode.choices, blank=True)
    outcome = models.CharField(max_length=20, choices=VisitOutcome.choices, blank=True)
    risk_signs = models.TextField(blank=True)
    discreet = models.BooleanField(default=True)

    class Meta:
        ordering = ["due_on", "created_at"]


class CompensationClaim(SyncedModel):
    party = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="compensation_claims")
    # The claimant when it is not the survivor (e.g. the family of a deceased survivor): a party of the case.
    claimant = models.ForeignKey(CaseParty, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    scheme = models.CharField(max_length=200)
    authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    applied_on = models.DateField(null=True, blank=True)
    amount_claimed = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    interim_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    interim_on = models.DateField(null=True, blank=True)
    amount_awarded = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    awarded_on = models.DateField(null=True, blank=True)
    amount_paid = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT)

    class Meta:
        ordering = ["created_at"]
