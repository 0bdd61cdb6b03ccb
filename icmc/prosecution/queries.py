"""Read model of the prosecution track of a case, for pages and API."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from icmc.cases.models import Case
from icmc.prosecution import models as m
from icmc.prosecution.law import law_regime


@dataclass(frozen=True, kw_only=True)
class FirView:
    fir: m.FIR
    regime: str
    charges: list[m.Charge]


@dataclass(frozen=True, kw_only=True)
class AccusedView:
    accused: m.Accused
    chargesheets: list[m.Chargesheet]
    verdict: m.Verdict | None


@dataclass(frozen=True, kw_only=True)
class ProsecutionView:
    firs: list[FirView]
    accused: list[AccusedView]
    hearings: list[m.Hearing]
    convicted: int
    acquitted: int


def prosecution_view(*, case: Case) -> ProsecutionView:
    """The prosecution track in a fixed number of queries, however many FIRs, charges and accused it has."""
    firs = [FirView(fir=f, regime=law_regime(registered_on=f.registered_on).value if f.registered_on else "",
                    charges=list(f.charges.all()))
            for f in m.FIR.objects.filter(case=case).select_related("police_station").prefetch_related(
                Prefetch("charges", queryset=m.Charge.objects.select_related("offence")))]
    accused = []
    for a in m.Accused.objects.filter(case=case).select_related("party__person", "verdict").prefetch_related(
            "party__person__names", "chargesheets"):
        accused.append(AccusedView(accused=a, chargesheets=list(a.chargesheets.all()),
                                   verdict=getattr(a, "verdict", None)))
    results = [a.verdict.result for a in accused if a.verdict]
    return ProsecutionView(firs=firs, accused=accused,
                           hearings=list(m.Hearing.objects.filter(case=case).select_related("court")),
                           convicted=results.count("convicted"), acquitted=results.count("acquitted"))
