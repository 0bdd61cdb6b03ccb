"""The case timeline: what happened to a case, from its audit events (no identity values in them)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from icmc.accounts.models import Organisation, User
from icmc.audit.models import AuditEvent
from icmc.cases.models import Case

# How each audited action reads on the timeline. An action missing here shows its code.
ACTION_LABELS = {
    "case.reported": _("Case reported"),
    "note.added": _("Note added"),
    "party.added": _("Person added to the case"),
    "fir.recorded": _("FIR recorded"),
    "fir.updated": _("FIR details updated"),
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
    events = list(AuditEvent.objects.filter(case_id=case.id).order_by("id"))
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
