"""Emergency access in the API: GET /emergency-access (your own grants, and those to review) and
POST /emergency-access/{id}/reviewed. Granting is on the page only: it needs a fresh second factor (step-up),
which an API token cannot give."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from icmc.api.auth import actor_of
from icmc.api.schemas import WRITE_ERRORS, ErrorOut, Input
from icmc.emergency.actions import do_review_emergency_access, grants_to_review, my_grants
from icmc.emergency.models import EmergencyAccess

router = Router(tags=["emergency access"])


class GrantOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    case_reference: str
    organisation: str
    role: str
    reason: str
    granted_at: datetime.datetime
    expires_at: datetime.datetime
    reviewed_at: datetime.datetime | None


class GrantsOut(Schema):
    mine: list[GrantOut]
    to_review: list[GrantOut]


class ReviewIn(Input):
    note: str = ""


def grant_data(grant: EmergencyAccess) -> dict[str, Any]:
    return {"id": grant.id, "case_id": grant.case_id, "case_reference": grant.case.reference,
            "organisation": grant.membership.organisation.name, "role": grant.membership.role,
            "reason": grant.reason, "granted_at": grant.granted_at, "expires_at": grant.expires_at,
            "reviewed_at": grant.reviewed_at}


@router.get("/emergency-access", response={200: GrantsOut, 401: ErrorOut}, summary="Emergency accesses",
            description="`mine`: the emergency accesses of your membership; `to_review`: those to the cases of "
                        "your organisation (case managers) or state (nodal officers). Granting is on the page "
                        "/emergency/ only (it needs a fresh second factor).")
def list_grants(request: HttpRequest) -> dict[str, Any]:
    actor = actor_of(request)
    mine = my_grants(actor=actor).select_related("membership__organisation")[:100]
    return {"mine": [grant_data(g) for g in mine],
            "to_review": [grant_data(g) for g in grants_to_review(actor=actor)[:200]]}


@router.post("/emergency-access/{grant_id}/reviewed", response={200: GrantOut, **WRITE_ERRORS},
             summary="Mark an emergency access reviewed",
             description="For the case managers of the case's owner and the state's nodal officers (404 else).")
def review_grant(request: HttpRequest, grant_id: uuid.UUID, payload: ReviewIn) -> dict[str, Any]:
    grant = do_review_emergency_access(grant_id, actor=actor_of(request), note=payload.note)
    return grant_data(grant)
