"""Duplicate candidates in the API: GET /duplicate-candidates (the open ones of which you may see a case) and
POST /duplicate-candidates/{id}/decision (same_person or not_same). Names only through redaction."""

from __future__ import annotations

import datetime
import uuid
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema

from icmc.api.auth import actor_of
from icmc.api.schemas import WRITE_ERRORS, ErrorOut, Input
from icmc.matching.actions import (
    CandidateView,
    access_candidate,
    candidate_views,
    do_decide_duplicate_candidate,
    open_candidates,
)

router = Router(tags=["duplicate candidates"])
LIST_LIMIT = 200


class SideOut(Schema):
    organisation: str
    case_id: uuid.UUID | None
    case_reference: str
    names: list[str]


class CandidateOut(Schema):
    id: uuid.UUID
    role: str
    basis: list[str]
    status: str
    found_at: datetime.datetime
    decided_at: datetime.datetime | None
    sides: list[SideOut]


class DecisionIn(Input):
    status: Literal["same_person", "not_same"]


def candidate_data(view: CandidateView) -> dict[str, Any]:
    c = view.candidate
    return {"id": c.id, "role": c.role, "basis": c.basis, "status": c.status, "found_at": c.found_at,
            "decided_at": c.decided_at, "sides": [vars(side) for side in view.sides]}


@router.get("/duplicate-candidates", response={200: list[CandidateOut], 401: ErrorOut, 403: ErrorOut},
            summary="Open duplicate candidates",
            description="Survivors or suspects of two cases who may be the same person (decision record 0008), "
                        "of which at least one case is yours (case managers) or of your state (nodal "
                        "officers); newest first, at most 200. A side shows its case and names only if you may "
                        "see them.")
def list_candidates(request: HttpRequest) -> list[dict[str, Any]]:
    actor = actor_of(request)
    rows = open_candidates(actor=actor, limit=LIST_LIMIT)
    return [candidate_data(view) for view in candidate_views(actor=actor, candidates=rows)]


@router.post("/duplicate-candidates/{candidate_id}/decision", response={200: CandidateOut, **WRITE_ERRORS},
             summary="Decide a duplicate candidate",
             description="`same_person` or `not_same`. Nothing is merged or linked either way. 404 if neither "
                         "case is in your scope.")
def decide_candidate(request: HttpRequest, candidate_id: uuid.UUID, payload: DecisionIn) -> dict[str, Any]:
    actor = actor_of(request)
    do_decide_duplicate_candidate(candidate_id, actor=actor, status=payload.status)
    candidate = access_candidate(actor=actor, candidate_id=candidate_id)
    return candidate_data(candidate_views(actor=actor, candidates=[candidate])[0])
