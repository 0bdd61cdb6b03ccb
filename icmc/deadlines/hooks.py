"""The events behind the rows an action wrote: called by the pathway, prosecution and case actions (one line each)
inside their transaction. Each branch names the event of icmc.deadlines.rules it raises."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone

from icmc.access.actor import Actor
from icmc.cases.models import Case
from icmc.deadlines.events import (
    NewCaseEvent,
    cancel_tasks,
    draft_new_case_tasks,
    on_event,
    open_new_case_tasks,
    police_of,
    start_of_day,
)
from icmc.deadlines.models import Task
from icmc.pathway import models as pm
from icmc.pathway.codes import ClaimStatus, CwcOutcome, ServiceKind
from icmc.prosecution import models as xm

DECIDED = frozenset({ClaimStatus.AWARDED, ClaimStatus.PAID, ClaimStatus.REJECTED})


def _moment(day: datetime.date, *, zone: str) -> datetime.datetime:
    """A date-only event: now when it is today in `zone`, else the start of that day (the earlier, safer anchor)."""
    now = timezone.now()
    if now.astimezone(start_of_day(day, zone=zone).tzinfo).date() == day:
        return now
    return start_of_day(day, zone=zone)


def new_case_event(*, case: Case, fir: xm.FIR | None) -> NewCaseEvent:
    """The event a new report raises: `fir_recorded` when it came with a dated FIR (`fir`: written with the report,
    its police station loaded), else `case_reported`. Its facts are given to the rules instead of being queried:
    the FIR's day, the police (icmc.deadlines.events.police_of), and no charges yet."""
    registered_on = fir.registered_on if fir is not None else None
    ctx = {"fir_day": registered_on, "serious": False, "police": police_of(case=case, fir=fir)}
    if fir is None or registered_on is None:
        return NewCaseEvent(kind="case_reported", case=case, at=case.reported_at or timezone.now(), ctx=ctx)
    return NewCaseEvent(kind="fir_recorded", case=case, source_id=fir.id, ctx=ctx,
                        at=start_of_day(registered_on, zone=case.owner.time_zone))


def on_case_reported(*, case: Case, fir: xm.FIR | None) -> list[Task]:
    """The tasks a new report opens (help register the FIR, or inform the victim), written with one INSERT and
    returned for the caller to put on the change feed with the report's other rows. The case is new: no task of
    it can be open yet, so nothing is closed or moved (on_event would look for such tasks first)."""
    tasks = draft_new_case_tasks([new_case_event(case=case, fir=fir)], now=timezone.now())
    Task.objects.bulk_create(tasks)
    return tasks


def on_cases_reported(reported: Sequence[tuple[Case, xm.FIR | None]]) -> list[Task]:
    """on_case_reported for many cases written in bulk in this transaction, each with its only FIR (or None),
    their owner, case manager, AHTUs and the FIR's police station loaded, the tasks' change-feed rows included
    (icmc.deadlines.events.open_new_case_tasks)."""
    return open_new_case_tasks([new_case_event(case=case, fir=fir) for case, fir in reported])


def on_fir(*, fir: xm.FIR, case: Case, actor: Actor) -> None:
    if fir.registered_on is not None:
        on_event(kind="fir_recorded", case=case, actor=actor, source_id=fir.id,
                 at=start_of_day(fir.registered_on, zone=case.owner.time_zone))


def on_records(rows: Iterable[Any], *, case: Case, actor: Actor) -> None:
    """Raise the deadline events of the rows a pathway / prosecution action wrote (new or corrected)."""
    for row in rows:
        handler = _HANDLERS.get(type(row))
        if handler is not None:
            handler(row, case, actor)


def _rescued(row: pm.RescuedPerson, case: Case, actor: Actor) -> None:
    operation = row.operation
    on_event(kind="survivor_rescued", case=case, party=row.party, actor=actor,
             at=_moment(operation.rescued_on, zone=operation.lead_ahtu.time_zone), ctx={"lead": operation.lead_ahtu})


def _cwc(row: pm.CwcProduction, case: Case, actor: Actor) -> None:
    first = not pm.CwcProduction.objects.filter(party=row.party, produced_at__lt=row.produced_at).exists()
    on_event(kind="cwc_produced", case=case, party=row.party, actor=actor, at=row.produced_at, source_id=row.id,
             opens=first, ctx={"cwc": row.cwc})
    if row.outcome != CwcOutcome.PENDING:
        on_event(kind="cwc_ordered", case=case, party=row.party, actor=actor)


def _service(row: pm.SupportService, case: Case, actor: Actor) -> None:
    if row.kind == ServiceKind.MEDICAL:
        on_event(kind="medical_recorded", case=case, party=row.party, actor=actor)


def _visit(row: pm.FollowUpVisit, case: Case, actor: Actor) -> None:
    party = row.plan.party
    if row.visited_on is None:
        on_event(kind="follow_up_scheduled", case=case, party=party, actor=actor, source_id=row.id,
                 at=start_of_day(row.due_on, zone=case.owner.time_zone))
    else:
        on_event(kind="follow_up_visited", case=case, party=party, actor=actor, closes=[row.id])


def _plan(row: pm.FollowUpPlan, case: Case, actor: Actor) -> None:
    if row.ended_early_on is not None:
        cancel_tasks(case=case, rule_key="follow_up_visit", party=row.party, reason="follow_up_ended")


def _claim(row: pm.CompensationClaim, case: Case, actor: Actor) -> None:
    if row.applied_on is not None:
        on_event(kind="compensation_applied", case=case, party=row.party, actor=actor, source_id=row.id,
                 at=_moment(row.applied_on, zone=row.authority.time_zone), ctx={"authority": row.authority})
    if row.status in DECIDED:
        on_event(kind="compensation_decided", case=case, party=row.party, actor=actor, closes=[row.id])


def _fir(row: xm.FIR, case: Case, actor: Actor) -> None:
    on_fir(fir=row, case=case, actor=actor)


def _charge(row: xm.Charge, case: Case, actor: Actor) -> None:
    on_event(kind="charge_recorded", case=case, actor=actor, ctx={"offence": row.offence})
    for accused in xm.Accused.objects.filter(case=case, arrested_on__isnull=False):
        _accused(accused, case, actor)  # a graver charge moves the chargesheet deadline from 60 to 90 days


def _accused(row: xm.Accused, case: Case, actor: Actor) -> None:
    if row.arrested_on is not None:
        on_event(kind="accused_arrested", case=case, actor=actor, source_id=row.id,
                 at=start_of_day(row.arrested_on, zone=case.owner.time_zone))


def _chargesheet(row: xm.Chargesheet, case: Case, actor: Actor) -> None:
    on_event(kind="chargesheet_recorded", case=case, actor=actor, closes=[row.accused_id])


_HANDLERS: dict[type, Any] = {
    pm.RescuedPerson: _rescued, pm.CwcProduction: _cwc, pm.SupportService: _service, pm.FollowUpVisit: _visit,
    pm.FollowUpPlan: _plan, pm.CompensationClaim: _claim, xm.FIR: _fir, xm.Charge: _charge, xm.Accused: _accused,
    xm.Chargesheet: _chargesheet,
}
