"""The one write path for FIRs."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from icmc.access.actor import Actor
from icmc.access.policy import Perm
from icmc.access.queries import access_case
from icmc.audit.record import record_event
from icmc.cases.inputs import FirInput
from icmc.cases.models import Case
from icmc.prosecution.models import FIR
from icmc.sync.feed import record_changes

_FIELDS = ("police_station", "police_station_name", "number", "registered_on")


@transaction.atomic
def do_record_fir(case: Case, *, actor: Actor, data: FirInput) -> FIR:
    """Record the case's FIR details, or complete the ones left blank at intake (the first FIR of the case
    is updated; a further FIR is recorded through the prosecution track)."""
    case = access_case(actor=actor, case_id=case.id, perm=Perm.CASE_RECORD_FIR)
    now = timezone.now()
    fir = FIR.objects.select_for_update().filter(case=case).order_by("created_at").first()
    new_values = {"police_station": data.police_station, "police_station_name": data.police_station_name,
                  "number": data.number, "registered_on": data.registered_on}
    if fir is None:
        fir = FIR(case=case, created_at=now, updated_at=now, **new_values)
        changed = [f for f in _FIELDS if new_values[f]]
        action = "fir.recorded"
    else:
        changed = [f for f in _FIELDS if getattr(fir, f) != new_values[f]]
        for name, value in new_values.items():
            setattr(fir, name, value)
        fir.version += 1
        fir.updated_at = now
        action = "fir.updated"
    fir.save()
    record_event(actor=actor, action=action, object_type="fir", object_id=fir.id, case_id=case.id,
                 changed_fields=changed)
    record_changes(fir, case_id=case.id)
    return fir
