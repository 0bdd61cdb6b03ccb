"""Read model of the prosecution track of a case, for pages and API."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects

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


@functools.cache
def party_presence() -> dict[str, Exists]:
    """Annotations for the query of a case's parties (icmc.cases.queries.case_detail_queryset): whether the party's
    case has accused (`has_accused`) and hearings (`has_hearing`). prosecution_view then queries neither when
    none exists (most cases have no accused and no hearing yet). Built once per process, like
    icmc.pathway.queries.party_presence."""
    return {"has_accused": Exists(m.Accused._base_manager.filter(case_id=OuterRef("case_id"))),
            "has_hearing": Exists(m.Hearing._base_manager.filter(case_id=OuterRef("case_id")))}


def _present(detail: dict[str, Any] | None, key: str) -> bool:
    """Whether the case has rows of `key` (party_presence on the detail's parties); True when not known."""
    parties = detail["parties"] if detail is not None else []
    return not parties or any(getattr(party, f"has_{key}", True) for party in parties)


def prosecution_view(*, case: Case, detail: dict[str, Any] | None = None) -> ProsecutionView:
    """The prosecution track in a fixed number of queries, however many FIRs, charges and accused it has.
    `detail`: the case's icmc.cases.queries.case_detail_queryset when the caller has it (the case page): its FIRs
    and parties (with names) are used instead of being fetched again, and the accused and hearings are queried only
    if its parties say there are some (party_presence)."""
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
    for a in (rows if _present(detail, "accused") else []):
        if parties is not None and a.party_id in parties:
            a.party = parties[a.party_id]
        accused.append(AccusedView(accused=a, chargesheets=list(a.chargesheets.all()),
                                   verdict=getattr(a, "verdict", None)))
    results = [a.verdict.result for a in accused if a.verdict]
    return ProsecutionView(firs=firs, accused=accused,
                           hearings=list(m.Hearing.objects.filter(case=case).select_related("court"))
                           if _present(detail, "hearing") else [],
                           convicted=results.count("convicted"), acquitted=results.count("acquitted"))
