"""Read models of the pathway for pages and API: per survivor, the 6R progress with dates, what is next (with
the reason a step is not yet possible), the records, and the follow-up schedule with missed visits."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django_stubs_ext import StrOrPromise

from icmc.cases.codes import CaseStage, PartyRole
from icmc.cases.models import Case, CaseParty
from icmc.cases.people import is_minor
from icmc.cases.queries import case_detail_queryset
from icmc.lib.context import request_memo
from icmc.pathway import models as pm
from icmc.pathway.records import KINDS
from icmc.pathway.workflow import STAGE_ORDER, facts_from_rows, transitions_from


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


_SURVIVOR_KINDS = ("cwc_production", "shelter_stay", "support_service", "care_plan", "home_investigation",
                   "repatriation", "placement", "compensation_claim")


@dataclass(frozen=True, kw_only=True)
class CasePathway:
    """Every pathway row of one case: its survivors, rescue operations, the survivors' records of each kind
    (oldest first) and follow-up plans. Loaded once per request (case_pathway) for the pathway panels, the
    guards and who-does-what alike."""

    survivors: list[CaseParty]
    operations: list[pm.RescueOperation]
    rescued: dict[Any, pm.RescueOperation]  # party id -> the operation that rescued them
    records: dict[str, list[Any]]  # kind -> records, oldest first
    plans: dict[Any, pm.FollowUpPlan]

    def by_party(self, kind: str) -> dict[Any, list[Any]]:
        rows: dict[Any, list[Any]] = {}
        for record in self.records[kind]:
            rows.setdefault(record.party_id, []).append(record)
        return rows


def case_pathway(*, case: Case) -> CasePathway:
    """The case's pathway rows, remembered for the rest of the request (any write forgets them)."""
    return request_memo(("case_pathway", case.id), lambda: _load_pathway(case))


def _shown_relations(model: type[Any]) -> list[str]:
    """The record's foreign keys the panels show (shelter, provider, authority, ...), fetched in the same query:
    every forward foreign key but the survivor's party, which the page already holds."""
    return [f.name for f in model._meta.concrete_fields if f.many_to_one and f.name != "party"]


@functools.cache
def party_presence() -> dict[str, Exists]:
    """Annotations for the query of a case's parties (icmc.cases.queries.case_detail_queryset): whether the party
    has records of each pathway kind (`has_<kind>`), a follow-up plan, and whether its case has a rescue operation.
    _load_pathway then queries no kind that none of the parties has (a case early in its story has none). Built once
    per process: annotate() resolves a copy of each expression, never the expression itself."""
    rows: dict[str, QuerySet[Any]] = {key: KINDS[key].model._base_manager.filter(party_id=OuterRef("pk"))
                                      for key in _SURVIVOR_KINDS}
    rows["follow_up_plan"] = pm.FollowUpPlan._base_manager.filter(party_id=OuterRef("pk"))
    rows["rescue_operation"] = pm.RescueOperation._base_manager.filter(case_id=OuterRef("case_id"))
    return {f"has_{key}": Exists(queryset) for key, queryset in rows.items()}


def _load_pathway(case: Case) -> CasePathway:
    parties = case_detail_queryset(case=case)["parties"]  # with person, names and pathway; once per request

    def present(key: str) -> bool:
        """Whether some party has rows of `key` (party_presence); True when not known (or with no parties)."""
        return not parties or any(getattr(party, f"has_{key}", True) for party in parties)

    survivors = sorted((p for p in parties if p.role == PartyRole.SURVIVOR), key=lambda p: p.created_at)
    operations = list(pm.RescueOperation.objects.filter(case=case).select_related("lead_ahtu", "jurisdiction")
                      .prefetch_related("rescued").order_by("created_at")) if present("rescue_operation") else []
    rescued = {r.party_id: op for op in operations for r in op.rescued.all()}
    records = {key: list(KINDS[key].records(case=case).select_related(*_shown_relations(KINDS[key].model))
                         .order_by("created_at")) if present(key) else [] for key in _SURVIVOR_KINDS}
    plans = {p.party_id: p for p in pm.FollowUpPlan.objects.filter(party__case=case).prefetch_related("visits")} \
        if present("follow_up_plan") else {}
    return CasePathway(survivors=survivors, operations=operations, rescued=rescued, records=records, plans=plans)


def survivor_views(*, case: Case, party_ids: set[object] | None = None) -> list[SurvivorView]:
    """Each survivor's pathway; only the parties in `party_ids` when given (what the reader may see). Positions
    stay those on the whole case."""
    today = timezone.localdate()
    loaded = case_pathway(case=case)
    parties = loaded.survivors
    positions = {party.id: i for i, party in enumerate(parties, start=1)}
    if party_ids is not None:
        parties = [party for party in parties if party.id in party_ids]
    rescued = loaded.rescued
    per_kind = {key: loaded.by_party(key) for key in _SURVIVOR_KINDS}
    plans = loaded.plans
    facts = facts_from_rows(parties=parties, rescued=set(rescued), records=per_kind, plans=plans) \
        if not case.closure_outcome else {}
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
    return case_pathway(case=case).operations
