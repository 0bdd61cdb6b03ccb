"""The case page's 6R pathway and prosecution panels (web/pathway_panels.html) as prepared rows: every text, date
and link worked out here, once, so that the template only places them (a case with three survivors shows a
hundred dated records and links: as template logic they were a fifth of the page's time).

Names and rescue places pass through the one redaction function (icmc.web.views.present); nothing here decides
what may be shown beyond the permissions it is given."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from icmc.access.actor import Actor
from icmc.access.policy import Perm
from icmc.access.queries import sees_whole_case, visible_party_ids
from icmc.access.redaction import case_clearance
from icmc.cases.models import Case
from icmc.cases.queries import case_detail_queryset
from icmc.pathway import models as pm
from icmc.pathway.queries import SurvivorView, VisitView, rescue_operations, survivor_views
from icmc.prosecution.queries import ProsecutionView, prosecution_view
from icmc.web.views.common import holds_on_case
from icmc.web.views.present import day_and_time, display_name, rescue_place

_PLACEHOLDER = uuid.UUID(int=0)
# The record kinds a survivor's "Add:" links offer to whoever may record the pathway, in the page's order.
_ADD_KINDS = ("shelter_stay", "support_service", "care_plan", "home_investigation", "repatriation", "placement",
              "follow_up_visit", "compensation_claim")


def day(value: datetime.date | datetime.datetime | None) -> str:
    """What the `date` filter writes for "j M Y" (a datetime in the current time zone), "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return f"{value.day} {str(MONTHS_3[value.month]).title()} {value.year}"


def _name(org: Any) -> str:
    """An organisation's name as the template wrote `{{ org.name }}` ("" for none)."""
    return "" if org is None else str(org.name)


class _Links:
    """The panels' links to the record forms: each URL pattern reversed once per page and kind, not per record."""

    def __init__(self, *, case_id: uuid.UUID) -> None:
        self.case_id = case_id
        self._prefixes: dict[tuple[str, str], str] = {}

    def edit(self, *, kind: str, record_id: Any, view: str = "web:pathway_edit") -> str:
        prefix = self._prefixes.get((view, kind))
        if prefix is None:
            url = reverse(view, kwargs={"case_id": self.case_id, "kind": kind, "record_id": _PLACEHOLDER})
            tail = f"{_PLACEHOLDER}/"
            assert url.endswith(tail)
            prefix = self._prefixes[(view, kind)] = url[:-len(tail)]
        return f"{prefix}{record_id}/"

    def add(self, *, kind: str, view: str = "web:pathway_add") -> str:
        return reverse(view, kwargs={"case_id": self.case_id, "kind": kind})


@dataclass(frozen=True, kw_only=True)
class Link:
    url: str
    label: str


@dataclass(frozen=True, kw_only=True)
class RescueRow:
    text: str  # date · jurisdiction (place) · lead AHTU · how many rescued
    correct_url: str  # "" when the reader may not correct it


@dataclass(frozen=True, kw_only=True)
class StepRow:
    label: str
    state: str  # done | current | todo
    iso: str  # the date as YYYY-MM-DD, "" when none
    shown: str
    hidden: str  # "(done)" / "(current)" for screen readers, without the brackets; "" for a step to do


@dataclass(frozen=True, kw_only=True)
class NextRow:
    target: str
    label: str
    blocked_by: str  # "" when the step can be taken


@dataclass(frozen=True, kw_only=True)
class RecordRow:
    term: str
    text: str
    link: Link | None


@dataclass(frozen=True, kw_only=True)
class VisitRow:
    status: str  # done | missed | due | cancelled | planned
    status_label: str
    missed: bool
    due: str
    visited: str  # "—" when not (yet) visited
    url: str  # "" when the reader may not record it


@dataclass(frozen=True, kw_only=True)
class FollowUpRow:
    starts: str
    ends: str
    ended_early: str  # "" when it was not ended early
    end_url: str  # "" when it cannot (or may not) be ended early


@dataclass(kw_only=True)
class SurvivorPanel:
    party_id: Any
    title: str  # "Survivor 2" or "Survivor 2: <name>" (the name only when the reader may see it)
    stage_label: str
    minor: bool | None
    steps: list[StepRow]
    next: list[NextRow]
    move_url: str  # where the next steps' forms post; "" when the reader may not move the survivor
    records: list[RecordRow]
    follow_up: FollowUpRow | None
    visits: list[VisitRow]
    add_links: list[Link] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class PathwayPanel:
    can: dict[str, bool]  # rescue_record, pathway_record, prosecution_record, case_close
    rescues: list[RescueRow]
    record_rescue_url: str
    survivors: list[SurvivorPanel]
    track: ProsecutionView | None  # None when the reader sees the case through a referral's partial share
    accused: list[tuple[Any, str]]  # (AccusedView, name or "")


def pathway_panel(*, actor: Actor, case: Case) -> PathwayPanel:
    """The survivors' pathway and the prosecution track of the case, as `actor` may see and work on them."""
    can = {perm.name.lower(): holds_on_case(actor=actor, case=case, perm=perm)
           for perm in (Perm.RESCUE_RECORD, Perm.PATHWAY_RECORD, Perm.PROSECUTION_RECORD, Perm.CASE_CLOSE)}
    # Through a referral that shares part of the case: only the shared survivors, no rescues, no prosecution.
    whole = sees_whole_case(actor=actor, case=case)
    survivors = survivor_views(case=case, party_ids=None if whole else visible_party_ids(actor=actor, case=case))
    # Names are cut down here, server-side, by the one redaction function; the template only shows them.
    clearance = case_clearance(actor=actor, case=case)
    track = prosecution_view(case=case, detail=case_detail_queryset(case=case)) if whole else None
    links = _Links(case_id=case.id)
    add_links = ([Link(url=links.add(kind="cwc_production"), label=_("CWC production"))] if can["rescue_record"]
                 else []) + ([Link(url=links.add(kind=kind), label=label) for kind, label in _add_labels()]
                             if can["pathway_record"] else [])
    return PathwayPanel(
        can=can,
        rescues=[_rescue_row(op=op, place=rescue_place(op=op, clearance=clearance), links=links,
                             can_correct=can["rescue_record"])
                 for op in (rescue_operations(case=case) if whole else [])],
        record_rescue_url=links.add(kind="rescue_operation") if can["rescue_record"] else "",
        survivors=[_survivor(view=s, name=display_name(party=s.party, clearance=clearance), case=case, can=can,
                             links=links, add_links=add_links) for s in survivors],
        track=track,
        accused=[(a, display_name(party=a.accused.party, clearance=clearance)) for a in track.accused]
        if track else [],
    )


def _add_labels() -> list[tuple[str, str]]:
    labels = {"shelter_stay": _("Shelter stay"), "support_service": _("Support service"),
              "care_plan": _("Care plan"), "home_investigation": _("HIR"), "repatriation": _("Repatriation"),
              "placement": _("Long-term placement"), "follow_up_visit": _("Extra follow-up visit"),
              "compensation_claim": _("Compensation claim")}
    return [(kind, labels[kind]) for kind in _ADD_KINDS]


def _rescue_row(*, op: pm.RescueOperation, place: str, links: _Links, can_correct: bool) -> RescueRow:
    n = len(op.rescued.all())
    where = _name(op.jurisdiction) + (f" ({place})" if place else "")
    rescued = ngettext("%(n)s person rescued", "%(n)s persons rescued", n) % {"n": formats.localize(n)}
    return RescueRow(text=f"{day(op.rescued_on)} · {where} · {_name(op.lead_ahtu)} · {rescued}",
                     correct_url=links.edit(kind="rescue_operation", record_id=op.id) if can_correct else "")


def _survivor(*, view: SurvivorView, name: str, case: Case, can: dict[str, bool], links: _Links,
              add_links: list[Link]) -> SurvivorPanel:
    title = _("Survivor %(n)s") % {"n": formats.localize(view.position)}
    hidden = {"done": _("done"), "current": _("current")}
    plan = view.follow_up
    return SurvivorPanel(
        party_id=view.party.id,
        title=f"{title}: {name}" if name else title,
        stage_label=view.stage_label,
        minor=view.minor,
        steps=[StepRow(label=step.label, state=step.state, iso=step.on.isoformat() if step.on else "",
                       shown=day(step.on), hidden=hidden.get(step.state, "")) for step in view.steps],
        next=[NextRow(target=n.target, label=n.label, blocked_by=n.blocked_by or "") for n in view.next],
        move_url=reverse("web:pathway_move", kwargs={"case_id": case.id, "party_id": view.party.id})
        if can["pathway_record"] and view.next else "",
        records=_records(records=view.records, can=can, links=links),
        follow_up=None if plan is None else FollowUpRow(
            starts=day(plan.starts_on), ends=day(plan.ends_on), ended_early=day(plan.ended_early_on),
            end_url=links.edit(kind="follow_up_plan", record_id=plan.id)
            if can["pathway_record"] and not plan.ended_early_on else ""),
        visits=[_visit(visit=v, links=links, can_record=can["pathway_record"]) for v in view.visits],
        add_links=add_links,
    )


def _visit(*, visit: VisitView, links: _Links, can_record: bool) -> VisitRow:
    labels = {"missed": _("missed"), "done": _("done"), "due": _("due"), "cancelled": _("not needed")}
    return VisitRow(status=visit.status, status_label=labels.get(visit.status) or _("planned"),
                    missed=visit.status == "missed", due=day(visit.due_on), visited=day(visit.visited_on) or "—",
                    url=links.edit(kind="follow_up_visit", record_id=visit.id) if can_record else "")


def _records(*, records: dict[str, list[Any]], can: dict[str, bool], links: _Links) -> list[RecordRow]:
    """The survivor's records, kind by kind in the page's order, each oldest first."""
    rows: list[RecordRow] = []

    def add(*, kind: str, record: Any, term: str, text: str, perm: str, label: str | None = None) -> None:
        link = Link(url=links.edit(kind=kind, record_id=record.id), label=label or _("Correct")) \
            if can[perm] else None
        rows.append(RecordRow(term=term, text=text, link=link))

    for st in records["shelter_stay"]:
        ended = f" \u2013 {day(st.ended_on)} ({st.get_end_reason_display()})" if st.ended_on else ""  # an en dash
        add(kind="shelter_stay", record=st, term=_("Shelter"),
            text=f"{_name(st.shelter)}, {day(st.admitted_on)}{ended}", perm="pathway_record",
            label=_("Correct / discharge"))
    for c in records["cwc_production"]:
        produced = day_and_time(c.produced_at)[1]
        add(kind="cwc_production", record=c, term=_("CWC production"),
            text=f"{produced} · {c.get_outcome_display()}", perm="rescue_record")
    for v in records["support_service"]:
        started = f", {day(v.started_on)}" if v.started_on else ""
        add(kind="support_service", record=v, term=str(v.get_kind_display()),
            text=f"{v.get_status_display()}{started}", perm="pathway_record")
    for p in records["care_plan"]:
        add(kind="care_plan", record=p, term=_("Care plan"), text=str(p.long_term_goal), perm="pathway_record")
    for h in records["home_investigation"]:
        safe = _("safe to return") if h.is_safe else _("not safe to return")
        add(kind="home_investigation", record=h, term=_("Home investigation"),
            text=f"{day(h.investigated_on)} · {safe}", perm="pathway_record")
    for r in records["repatriation"]:
        text = _name(r.destination) + (f" ({_('cross-border')})" if r.is_cross_border else "")
        text += f" · {day(r.repatriated_on) or _('under way')}"
        if r.travel_permit_expires_on:
            text += f" · {_('travel permit expires')} {day(r.travel_permit_expires_on)}"
        add(kind="repatriation", record=r, term=_("Repatriation"), text=text, perm="pathway_record")
    for p in records["placement"]:
        add(kind="placement", record=p, term=_("Long-term placement"),
            text=f"{_name(p.welfare_department)}, {day(p.placed_on)} · {p.get_plan_kind_display()}",
            perm="pathway_record")
    for c in records["compensation_claim"]:
        paid = f" · ₹{formats.localize(c.amount_paid)} {_('paid')}" if c.amount_paid else ""
        add(kind="compensation_claim", record=c, term=_("Compensation"),
            text=f"{c.scheme} · {c.get_status_display()}{paid}", perm="pathway_record")
    return rows

