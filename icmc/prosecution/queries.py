"""Read model of the prosecution track of a case, for pages and API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects

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


def prosecution_view(*, case: Case, detail: dict[str, Any] | None = None) -> ProsecutionView:
    """The prosecution track in a fixed number of queries, however many FIRs, charges and accused it has.
    `detail`: the case's icmc.cases.queries.case_detail_queryset when the caller has it (the case page): its FIRs
    and parties (with names) are used instead of being fetched again."""
    fir_rows = detail["firs"] if detail is not None else list(
        m.FIR.objects.filter(case=case).select_related("police_station"))
    prefetch_related_objects(fir_rows, Prefetch("charges", queryset=m.Charge.objects.select_related("offence")))
    firs = [FirView(fir=f, regime=law_regime(registered_on=f.registered_on).value if f.registered_on else "",
                    charges=list(f.charges.all()))
            for f in fir_rows]
    rows = m.Accused.objects.filter(case=case).select_related("verdict").prefetch_related("chargesheets")
    parties = {p.pk: p for p in detail["parties"]} if detail is not None else None
    if parties is None:
        rows = rows.select_related("party__person").prefetch_related("party__person__names")
    accused = []
    for a in rows:
        if parties is not None and a.party_id in parties:
            a.party = parties[a.party_id]
        accused.append(AccusedView(accused=a, chargesheets=list(a.chargesheets.all()),
                                   verdict=getattr(a, "verdict", None)))
    results = [a.verdict.result for a in accused if a.verdict]
    return ProsecutionView(firs=firs, accused=accused,
                           hearings=list(m.Hearing.objects.filter(case=case).select_related("court")),
                           convicted=results.count("convicted"), acquitted=results.count("acquitted"))
