"""The 6R survivor pathway as data: stages, the allowed transitions, each with its guard and the permission it
needs; the follow-up cadence; the rules for closing a case. Code, pages, API and docs/workflow.md read this.

A guard takes the survivor's facts (SurvivorFacts) and returns None (allowed) or a translatable message saying why not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from icmc.access.policy import Perm
from icmc.cases.codes import CaseStage
from icmc.cases.models import Case, CaseParty
from icmc.cases.people import is_minor
from icmc.pathway.codes import CwcOutcome
from icmc.pathway.models import (
    CwcProduction,
    FollowUpPlan,
    HomeInvestigation,
    LongTermPlacement,
    Repatriation,
    RescuedPerson,
    ShelterStay,
    SupportService,
)
from icmc.prosecution.codes import ClosureOutcome, VerdictResult
from icmc.prosecution.models import Verdict

S = CaseStage
Guard = Callable[["SurvivorFacts"], StrOrPromise | None]

# The order of the stages; the case's stage is the least advanced stage of its open survivors.
STAGE_ORDER: tuple[CaseStage, ...] = (S.REPORTED, S.RESCUED, S.REHABILITATION, S.REPATRIATION, S.REINTEGRATION,
                                      S.CLOSED)


class Refused(Exception):
    """A transition (or closure) that the workflow does not allow now; `message` says why."""

    def __init__(self, message: StrOrPromise) -> None:
        super().__init__(str(message))
        self.message = message


# --- guards ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SurvivorFacts:
    """What the guards look at for one survivor, loaded for all survivors of a page at once (facts_for)."""

    party: CaseParty
    rescued: bool
    has_care: bool
    has_home_investigation: bool
    returned: bool
    placed: bool
    cwc_ordered: bool
    follow_up: FollowUpPlan | None


def facts_for(*, parties: list[CaseParty]) -> dict[object, SurvivorFacts]:
    """The guards' facts for these survivors, in a fixed number of queries whatever their number."""
    ids = [p.id for p in parties]

    def having(model: type[Any], **filters: Any) -> set[object]:
        return set(model.objects.filter(party_id__in=ids, **filters).values_list("party_id", flat=True))

    rescued = having(RescuedPerson)
    care = having(ShelterStay) | having(SupportService)
    hir = having(HomeInvestigation)
    returned = having(Repatriation, repatriated_on__isnull=False)
    placed = having(LongTermPlacement)
    cwc = set(CwcProduction.objects.filter(party_id__in=ids).exclude(outcome=CwcOutcome.PENDING)
              .values_list("party_id", flat=True))
    plans = {plan.party_id: plan for plan in FollowUpPlan.objects.filter(party_id__in=ids)}
    return {p.id: SurvivorFacts(party=p, rescued=p.id in rescued, has_care=p.id in care,
                                has_home_investigation=p.id in hir, returned=p.id in returned,
                                placed=p.id in placed, cwc_ordered=p.id in cwc, follow_up=plans.get(p.id))
            for p in parties}


def facts_from_rows(*, parties: list[CaseParty], rescued: set[Any], records: dict[str, dict[Any, list[Any]]],
                    plans: dict[Any, FollowUpPlan]) -> dict[object, SurvivorFacts]:
    """The same facts as facts_for, from rows a page has already loaded (icmc.pathway.queries.case_pathway):
    `records` maps a record kind to its rows per party id."""
    def has(kind: str, party: CaseParty, test: Any = None) -> bool:
        return any(test is None or test(row) for row in records[kind].get(party.id, []))

    return {p.id: SurvivorFacts(
        party=p, rescued=p.id in rescued, has_care=has("shelter_stay", p) or has("support_service", p),
        has_home_investigation=has("home_investigation", p),
        returned=has("repatriation", p, lambda r: r.repatriated_on is not None), placed=has("placement", p),
        cwc_ordered=has("cwc_production", p, lambda r: r.outcome != CwcOutcome.PENDING),
        follow_up=plans.get(p.id)) for p in parties}


def was_rescued(facts: SurvivorFacts) -> StrOrPromise | None:
    """A rescue operation records this survivor among the persons rescued."""
    if not facts.rescued:
        return _("Record the rescue operation that rescued this survivor first.")
    return None


def has_care(facts: SurvivorFacts) -> StrOrPromise | None:
    """A shelter admission or a support service is recorded for the survivor."""
    if not facts.has_care:
        return _("Record a shelter admission or a support service for this survivor first.")
    return None


def has_home_investigation(facts: SurvivorFacts) -> StrOrPromise | None:
    """A Home Investigation Report (HIR) is recorded for the survivor."""
    if not facts.has_home_investigation:
        return _("Repatriation needs a home investigation report (HIR): record one first.")
    return None


def returned_or_placed(facts: SurvivorFacts) -> StrOrPromise | None:
    """The survivor was returned home (repatriation with a date, on a safe HIR) or placed long term (HIR not
    safe); a minor needs a CWC order (other than "pending")."""
    if not (facts.returned or facts.placed):
        return _("Record the repatriation (with its date) or the long-term placement first.")
    if is_minor(person=facts.party.person, on=timezone.localdate()) is not False and not facts.cwc_ordered:
        return _("A child is re-integrated only on an order of the Child Welfare Committee: record the CWC order "
                 "first.")
    return None


def follow_up_done(facts: SurvivorFacts) -> StrOrPromise | None:
    """The follow-up period is over, or it was ended early with a reason."""
    plan = facts.follow_up
    if plan is None:
        return _("This survivor has no follow-up plan.")
    if plan.ended_early_on is None and plan.ends_on > timezone.localdate():
        return _("Follow-up runs until %(date)s; end it early with a reason first.") % {
            "date": plan.ends_on.isoformat()}
    return None


@dataclass(frozen=True, kw_only=True)
class Transition:
    name: str
    sources: tuple[CaseStage, ...]
    target: CaseStage
    perm: Perm
    guard: Guard
    label: StrOrPromise
    # Whether the page and API offer it as a button; False when a record's action makes it (rescue).
    manual: bool = True


TRANSITIONS: tuple[Transition, ...] = (
    Transition(name="rescue", sources=(S.REPORTED,), target=S.RESCUED, perm=Perm.RESCUE_RECORD,
               guard=was_rescued, label=_("Rescued"), manual=False),
    Transition(name="start_rehabilitation", sources=(S.REPORTED, S.RESCUED), target=S.REHABILITATION,
               perm=Perm.PATHWAY_RECORD, guard=has_care, label=_("Start rehabilitation")),
    Transition(name="start_repatriation", sources=(S.REHABILITATION,), target=S.REPATRIATION,
               perm=Perm.PATHWAY_RECORD, guard=has_home_investigation, label=_("Start repatriation")),
    Transition(name="reintegrate", sources=(S.REPATRIATION,), target=S.REINTEGRATION, perm=Perm.PATHWAY_RECORD,
               guard=returned_or_placed, label=_("Re-integrate and start follow-up")),
    Transition(name="close", sources=(S.REINTEGRATION,), target=S.CLOSED, perm=Perm.PATHWAY_RECORD,
               guard=follow_up_done, label=_("Close the survivor's pathway")),
)
BY_NAME = {t.name: t for t in TRANSITIONS}

# Follow-up after re-integration: months after the start at which a visit is due (Impulse Model policy, not
# statute: monthly for 6 months, then quarterly, for 24 months). Override with settings.ICMC_FOLLOW_UP_MONTHS.
FOLLOW_UP_MONTHS: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 9, 12, 15, 18, 21, 24)
FOLLOW_UP_LENGTH_MONTHS = 24


def follow_up_months() -> tuple[int, ...]:
    return tuple(getattr(settings, "ICMC_FOLLOW_UP_MONTHS", FOLLOW_UP_MONTHS))


def transitions_from(stage: str) -> list[Transition]:
    return [t for t in TRANSITIONS if stage in t.sources]


def find_transition(*, source: str, target: str) -> Transition | None:
    return next((t for t in transitions_from(source) if t.target == target), None)


def derived_case_stage(*, case: Case, survivor_stages: list[str]) -> CaseStage:
    """The least advanced stage of the open survivors; closed when all are closed (or the case is closed)."""
    if case.closure_outcome or not survivor_stages:
        return S.CLOSED if case.closure_outcome else S.REPORTED
    open_stages = [s for s in survivor_stages if s != S.CLOSED]
    if not open_stages:
        return S.CLOSED
    return min((CaseStage(s) for s in open_stages), key=STAGE_ORDER.index)


# --- closing a case -------------------------------------------------------------------------------------


def has_conviction(case: Case) -> StrOrPromise | None:
    """At least one accused of the case was convicted."""
    if not Verdict.objects.filter(accused__case=case, result=VerdictResult.CONVICTED).exists():
        return _("A case closes with conviction only when a verdict convicts at least one accused.")
    return None


@dataclass(frozen=True, kw_only=True)
class ClosureRule:
    outcome: ClosureOutcome
    needs_reason: bool
    guard: Callable[[Case], StrOrPromise | None] | None = None


CLOSURE_RULES: dict[str, ClosureRule] = {
    ClosureOutcome.CONVICTION: ClosureRule(outcome=ClosureOutcome.CONVICTION, needs_reason=False,
                                           guard=has_conviction),
    ClosureOutcome.ACQUITTAL: ClosureRule(outcome=ClosureOutcome.ACQUITTAL, needs_reason=True),
    ClosureOutcome.NO_PROSECUTION: ClosureRule(outcome=ClosureOutcome.NO_PROSECUTION, needs_reason=True),
    ClosureOutcome.TRANSFERRED: ClosureRule(outcome=ClosureOutcome.TRANSFERRED, needs_reason=True),
    ClosureOutcome.SURVIVOR_WITHDREW: ClosureRule(outcome=ClosureOutcome.SURVIVOR_WITHDREW, needs_reason=True),
}
CLOSE_PERM = Perm.CASE_CLOSE
