"""The case timeline: what happened to a case, from its audit events (no identity values in them)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

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
    details: dict[str, object]


def case_timeline(*, case: Case) -> list[TimelineEntry]:
    events = list(AuditEvent.objects.filter(case_id=case.id).exclude(action__in=READS).order_by("id"))
    users = {u.id: u for u in User.objects.filter(id__in={e.actor_id for e in events if e.actor_id})}
    orgs = {o.id: o for o in Organisation.objects.filter(id__in={e.organisation_id for e in events
                                                                  if e.organisation_id})}
    entries = []
    for event in events:
        user = users.get(event.actor_id) if event.actor_id else None
        org = orgs.get(event.organisation_id) if event.organisation_id else None
        entries.append(TimelineEntry(
            at=event.at, action=event.action, label=str(ACTION_LABELS.get(event.action, event.action)),
            actor_name=(user.get_full_name() or user.username) if user else "",
            organisation_name=org.name if org else "", details=event.details,
        ))
    return entries
