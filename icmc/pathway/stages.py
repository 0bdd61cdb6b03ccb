"""Moving survivors between stages (inside an action's transaction): the pathway row, the follow-up plan made at
re-integration, and the case's derived stage."""

from __future__ import annotations

import calendar
import datetime
from typing import TypeVar

from django.utils import timezone
from django.utils.translation import gettext

from icmc.cases.codes import CaseStage, PartyRole
from icmc.cases.models import Case, CaseParty
from icmc.lib.models import SyncedModel
from icmc.pathway.models import FollowUpPlan, FollowUpVisit, SurvivorPathway
from icmc.pathway.workflow import (
    FOLLOW_UP_LENGTH_MONTHS,
    Refused,
    Transition,
    derived_case_stage,
    facts_for,
    follow_up_months,
)

_M = TypeVar("_M", bound=SyncedModel)

def stamp(obj: _M) -> _M:
    now = timezone.now()
    if obj._state.adding and not obj.created_at:
        obj.created_at = now
    else:
        obj.version += 1
    obj.updated_at = now
    return obj


def current_stage(party: CaseParty) -> str:
    pathway = SurvivorPathway.objects.filter(party=party).first()
    return pathway.stage if pathway else CaseStage.REPORTED


def add_months(day: datetime.date, months: int) -> datetime.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _follow_up(party: CaseParty) -> list[SyncedModel]:
    start = timezone.localdate()
    plan = stamp(FollowUpPlan(party=party, starts_on=start, ends_on=add_months(start, FOLLOW_UP_LENGTH_MONTHS)))
    plan.save()
    written: list[SyncedModel] = [plan]
    for months in follow_up_months():
        visit = stamp(FollowUpVisit(plan=plan, due_on=add_months(start, months)))
        visit.save()
        written.append(visit)
    return written


def apply_transition(*, party: CaseParty, transition: Transition) -> list[SyncedModel]:
    """Check the guard and move the survivor; returns the rows written. Raises Refused."""
    if party.case.closure_outcome:
        raise Refused(_closed_message())
    message = transition.guard(facts_for(parties=[party])[party.id])
    if message is not None:
        raise Refused(message)
    pathway = SurvivorPathway.objects.select_for_update().filter(party=party).first()
    if pathway is None:
        pathway = SurvivorPathway(party=party, stage=CaseStage.REPORTED)
    if pathway.stage not in transition.sources:
        raise Refused(_not_from_message())
    pathway.stage = transition.target
    pathway.stage_changed_at = timezone.now()
    stamp(pathway)
    pathway.save()
    written: list[SyncedModel] = [pathway]
    if transition.target == CaseStage.REINTEGRATION and not FollowUpPlan.objects.filter(party=party).exists():
        written.extend(_follow_up(party))
    return written


def sync_case_stage(case: Case) -> list[SyncedModel]:
    """Write the case's derived stage if it changed; returns the case if it was written."""
    survivors = CaseParty.objects.filter(case=case, role=PartyRole.SURVIVOR)
    stages = {p.party_id: p.stage for p in SurvivorPathway.objects.filter(party__in=survivors)}
    all_stages = [stages.get(pid, CaseStage.REPORTED) for pid in survivors.values_list("id", flat=True)]
    stage = derived_case_stage(case=case, survivor_stages=all_stages)
    if case.stage == stage:
        return []
    case.stage = stage
    stamp(case)
    case.save(update_fields=["stage", "version", "updated_at"])
    return [case]


def _closed_message() -> str:
    return gettext("The case is closed: reopen it first.")


def _not_from_message() -> str:
    return gettext("This step is not allowed from the survivor's current stage.")
