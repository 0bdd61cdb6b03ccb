"""Read models of the pathway for pages and API: per survivor, the 6R progress with dates, what is next (with
the reason a step is not yet possible), the records, and the follow-up schedule with missed visits."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django_stubs_ext import StrOrPromise

from icmc.cases.codes import CaseStage, PartyRole
from icmc.cases.models import Case, CaseParty
from icmc.cases.people import is_minor
from icmc.pathway import models as pm
from icmc.pathway.records import KINDS
from icmc.pathway.workflow import STAGE_ORDER, facts_for, transitions_from


@dataclass(frozen=True, kw_only=True)
class Step:
    stage: str
    label: str
    state: str  # done | current | todo
    on: datetime.date | None


@dataclass(frozen=True, kw_only=True)
class NextStep:
    target: str
    label: str
    blocked_by: str | None  # the guard's message, or None when the step can be taken


@dataclass(frozen=True, kw_only=True)
class VisitView:
    id: str
    due_on: datetime.date
    visited_on: datetime.date | None
    status: str  # done | missed | due | planned
    record: Any


@dataclass(kw_only=True)
class SurvivorView:
    party: CaseParty
    position: int
    stage: str
    stage_label: str
    minor: bool | None
    steps: list[Step] = field(default_factory=list)
    next: list[NextStep] = field(default_factory=list)
    records: dict[str, list[Any]] = field(default_factory=dict)
    visits: list[VisitView] = field(default_factory=list)
    follow_up: Any = None


def _first(items: list[Any], attr: str) -> datetime.date | None:
    dates = [getattr(i, attr) for i in items if getattr(i, attr, None)]
    return min(dates) if dates else None


def _as_date(value: datetime.datetime | datetime.date | None) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date()
    return value


def visit_status(visit: pm.FollowUpVisit, *, today: datetime.date, plan: pm.FollowUpPlan) -> str:
    if visit.visited_on:
        return "done"
    if plan.ended_early_on and visit.due_on > plan.ended_early_on:
        return "cancelled"
    if visit.due_on < today:
        return "missed"
    return "due" if (visit.due_on - today).days <= 31 else "planned"


def survivor_views(*, case: Case, party_ids: set[object] | None = None) -> list[SurvivorView]:
    """Each survivor's pathway; only the parties in `party_ids` when given (what the reader may see). Positions
    stay those on the whole case."""
    today = timezone.localdate()
    parties = list(CaseParty.objects.filter(case=case, role=PartyRole.SURVIVOR).select_related(
        "person", "pathway").prefetch_related("person__names").order_by("created_at"))
    positions = {party.id: i for i, party in enumerate(parties, start=1)}
    if party_ids is not None:
        parties = [party for party in parties if party.id in party_ids]
    rescued = {r.party_id: r.operation for r in pm.RescuedPerson.objects.filter(
        party__case=case).select_related("operation")}
    per_kind: dict[str, dict[Any, list[Any]]] = {}
    for key in ("cwc_production", "shelter_stay", "support_service", "care_plan", "home_investigation",
                "repatriation", "placement", "compensation_claim"):
        rows: dict[Any, list[Any]] = {}
        for record in KINDS[key].records(case=case).order_by("created_at"):
            rows.setdefault(record.party_id, []).append(record)
        per_kind[key] = rows
    plans = {p.party_id: p for p in pm.FollowUpPlan.objects.filter(party__case=case).prefetch_related("visits")}
    facts = facts_for(parties=parties) if not case.closure_outcome else {}
    views = []
    for party in parties:
        position = positions[party.id]
        pathway = getattr(party, "pathway", None)
        stage = pathway.stage if pathway else CaseStage.REPORTED
        view = SurvivorView(party=party, position=position, stage=stage, stage_label=str(CaseStage(stage).label),
                            minor=is_minor(person=party.person, on=today))
        view.records = {key: rows.get(party.id, []) for key, rows in per_kind.items()}
        operation = rescued.get(party.id)
        returned = [r for r in view.records["repatriation"] if r.repatriated_on]
        dates = {
            CaseStage.REPORTED: _as_date(case.reported_at),
            CaseStage.RESCUED: operation.rescued_on if operation else None,
            CaseStage.REHABILITATION: _first(view.records["shelter_stay"], "admitted_on")
            or _first(view.records["support_service"], "started_on"),
            CaseStage.REPATRIATION: _first(view.records["home_investigation"], "investigated_on"),
            CaseStage.REINTEGRATION: _first(returned, "repatriated_on") or _first(view.records["placement"],
                                                                                   "placed_on"),
            CaseStage.CLOSED: _as_date(pathway.stage_changed_at) if pathway and stage == CaseStage.CLOSED else None,
        }
        index = STAGE_ORDER.index(CaseStage(stage))
        view.steps = [Step(stage=s.value, label=str(s.label), on=dates[s],
                           state="done" if i < index else ("current" if i == index else "todo"))
                      for i, s in enumerate(STAGE_ORDER)]
        if not case.closure_outcome:
            view.next = [NextStep(target=t.target.value, label=str(t.label), blocked_by=_text(t.guard(facts[party.id])))
                         for t in transitions_from(stage) if t.manual]
        plan = plans.get(party.id)
        if plan is not None:
            view.follow_up = plan
            view.visits = [VisitView(id=str(v.id), due_on=v.due_on, visited_on=v.visited_on, record=v,
                                     status=visit_status(v, today=today, plan=plan))
                           for v in sorted(plan.visits.all(), key=lambda v: (v.due_on, v.created_at))]
        views.append(view)
    return views


def _text(message: StrOrPromise | None) -> str | None:
    return None if message is None else str(message)


def rescue_operations(*, case: Case) -> list[pm.RescueOperation]:
    return list(pm.RescueOperation.objects.filter(case=case).select_related("lead_ahtu", "jurisdiction")
                .prefetch_related("partner_organisations", "rescued"))
