"""The case timeline: what happened to a case, from its audit events (no identity values in them)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from icmc.accounts.models import Organisation, User
from icmc.audit.models import AuditEvent
from icmc.cases.models import Case

# Reads of the case are audited (person.identity_viewed) but are not things that happened to it.
READS = frozenset({"person.identity_viewed"})

# How each audited action reads on the timeline. An action missing here shows its code.
ACTION_LABELS = {
    "case.reported": _("Case reported"),
    "note.added": _("Note added"),
    "party.added": _("Person added to the case"),
    "fir.recorded": _("FIR recorded"),
    "fir.updated": _("FIR details updated"),
    "referral.proposed": _("Referral proposed"),
    "referral.sent": _("Referral sent"),
    "referral.accepted": _("Referral accepted"),
    "referral.declined": _("Referral declined"),
    "referral.completed": _("Referral completed"),
    "referral.withdrawn": _("Referral withdrawn"),
    "consent.recorded": _("Consent recorded"),
    "consent.overridden": _("Consent overridden (with a reason)"),
    "survivor.stage_changed": _("Survivor moved to the next stage"),
    "case.closed": _("Case closed"),
    "case.reopened": _("Case reopened"),
    "rescue_operation.recorded": _("Rescue operation recorded"),
    "rescue_operation.corrected": _("Rescue operation corrected"),
    "cwc_production.recorded": _("Production before the CWC recorded"),
    "cwc_production.corrected": _("CWC production or order corrected"),
    "shelter_stay.recorded": _("Shelter admission recorded"),
    "shelter_stay.corrected": _("Shelter stay corrected or discharged"),
    "support_service.recorded": _("Support service recorded"),
    "support_service.corrected": _("Support service corrected"),
    "care_plan.recorded": _("Care plan recorded"),
    "care_plan.corrected": _("Care plan corrected"),
    "home_investigation.recorded": _("Home investigation report recorded"),
    "home_investigation.corrected": _("Home investigation report corrected"),
    "repatriation.recorded": _("Repatriation recorded"),
    "repatriation.corrected": _("Repatriation corrected"),
    "placement.recorded": _("Long-term placement recorded"),
    "placement.corrected": _("Long-term placement corrected"),
    "follow_up_visit.recorded": _("Follow-up visit recorded"),
    "follow_up_visit.corrected": _("Follow-up visit recorded or corrected"),
    "follow_up_plan.corrected": _("Follow-up ended early"),
    "compensation_claim.recorded": _("Compensation claim recorded"),
    "compensation_claim.corrected": _("Compensation claim updated"),
    "fir.corrected": _("FIR corrected"),
    "charge.recorded": _("Charge added"),
    "charge.corrected": _("Charge corrected"),
    "accused.recorded": _("Accused recorded"),
    "accused.corrected": _("Accused: arrest or bail updated"),
    "chargesheet.recorded": _("Chargesheet filed"),
    "chargesheet.corrected": _("Chargesheet corrected"),
    "hearing.recorded": _("Hearing recorded"),
    "hearing.corrected": _("Hearing corrected"),
    "verdict.recorded": _("Verdict recorded"),
    "verdict.corrected": _("Verdict corrected"),
}


@dataclass(frozen=True, kw_only=True)
class TimelineEntry:
    at: datetime.datetime
    action: str
    label: str
    actor_name: str
    organisation_name: str


def case_timeline(*, case: Case) -> list[TimelineEntry]:
    """The case's audit events, oldest first, with the names of who did them, in one query (the names by
    correlated subqueries on the users' and organisations' primary keys; audit rows hold plain ids)."""
    user = User.objects.filter(pk=OuterRef("actor_id"))
    rows = (AuditEvent.objects.filter(case_id=case.id).exclude(action__in=READS).order_by("id")
            .annotate(first=Subquery(user.values("first_name")[:1]), last=Subquery(user.values("last_name")[:1]),
                      username=Subquery(user.values("username")[:1]),
                      org=Subquery(Organisation.objects.filter(pk=OuterRef("organisation_id")).values("name")[:1]))
            .values_list("at", "action", "first", "last", "username", "org"))
    entries = []
    for at, action, first, last, username, org in rows:
        full = f"{first or ''} {last or ''}".strip()  # as User.get_full_name()
        entries.append(TimelineEntry(
            at=at, action=action, label=str(ACTION_LABELS.get(action, action)),
            actor_name=full or username or "", organisation_name=org or "",
        ))
    return entries
