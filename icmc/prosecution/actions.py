"""The one write path for FIRs."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.access.policy import Perm
from icmc.access.queries import access_case
from icmc.audit.record import record_event
from icmc.cases.codes import CaseStage, CaseStatus
from icmc.cases.inputs import FirInput
from icmc.cases.models import Case
from icmc.deadlines.hooks import on_fir
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
    on_fir(fir=fir, case=case, actor=actor)
    return fir


@transaction.atomic
def do_close_case(case: Case, *, actor: Actor, outcome: str, reason: str) -> Case:
    """Close the case with an explicit outcome (see icmc.pathway.workflow.CLOSURE_RULES). Raises Refused when
    the outcome's rule is not met."""
    from icmc.pathway.workflow import CLOSURE_RULES, Refused

    case = access_case(actor=actor, case_id=case.id, perm=Perm.CASE_CLOSE)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.closure_outcome:
        raise Refused(gettext("The case is already closed."))
    rule = CLOSURE_RULES[outcome]
    if rule.needs_reason and not reason.strip():
        raise InvalidInput({"reason": [gettext("Give the reason for closing the case with this outcome.")]})
    message = rule.guard(case) if rule.guard is not None else None
    if message is not None:
        raise Refused(message)
    now = timezone.now()
    case.closure_outcome, case.closure_reason, case.closed_at = outcome, reason.strip(), now
    case.status, case.stage = CaseStatus.CLOSED, CaseStage.CLOSED
    case.version += 1
    case.updated_at = now
    case.save()
    record_event(actor=actor, action="case.closed", object_type="case", object_id=case.id, case_id=case.id,
                 changed_fields=["status", "stage", "closure_outcome", "closure_reason", "closed_at"],
                 details={"outcome": outcome})
    record_changes(case, case_id=case.id)
    return case


@transaction.atomic
def do_reopen_case(case: Case, *, actor: Actor, reason: str) -> Case:
    """Reopen a closed case (the reason is kept on the case); its stage is derived from its survivors again."""
    from icmc.pathway.stages import sync_case_stage
    from icmc.pathway.workflow import Refused

    case = access_case(actor=actor, case_id=case.id, perm=Perm.CASE_CLOSE)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.closure_outcome:
        raise Refused(gettext("The case is not closed."))
    previous = case.closure_outcome
    now = timezone.now()
    case.closure_outcome, case.closure_reason, case.closed_at = "", "", None
    case.reopen_reason = reason.strip()
    case.status = CaseStatus.ACTIVE
    case.version += 1
    case.updated_at = now
    case.save()
    sync_case_stage(case)
    record_event(actor=actor, action="case.reopened", object_type="case", object_id=case.id, case_id=case.id,
                 changed_fields=["status", "stage", "closure_outcome", "closure_reason", "closed_at",
                                 "reopen_reason"], details={"previous_outcome": previous})
    record_changes(case, case_id=case.id)
    return case
