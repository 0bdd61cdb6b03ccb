"""Cases: list, intake, detail, timeline. Thin: parse with the shared forms, call actions, serialise."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from icmc.access.actor import Actor
from icmc.access.errors import NotFound
from icmc.access.queries import access_case, visible_cases
from icmc.access.redaction import case_clearance
from icmc.api import serialise
from icmc.api.auth import actor_of
from icmc.api.schemas import (
    CaseDetailOut,
    CaseListQuery,
    CasePageOut,
    CaseReportIn,
    ErrorOut,
    InvalidOut,
    TimelineEntryOut,
)
from icmc.cases.actions import do_report_case
from icmc.cases.forms import parse_report
from icmc.cases.models import Case
from icmc.cases.queries import case_detail_queryset, case_list, page_rows, parse_filters
from icmc.cases.timeline import case_timeline
from icmc.referrals.coordination import who_does_what
from icmc.referrals.queries import shared_detail

router = Router(tags=["cases"])

NOT_FOUND = {404: ErrorOut}
UNAUTHENTICATED = {401: ErrorOut}


def detail_data(*, actor: Actor, case: Case) -> dict[str, Any]:
    related = shared_detail(actor=actor, case=case, detail=case_detail_queryset(case=case))
    return serialise.case_detail(case, related=related, clearance=case_clearance(actor=actor, case=case))


@router.get(
    "", response={200: CasePageOut, **UNAUTHENTICATED, 422: InvalidOut},
    summary="List the cases you can see",
    description="Newest first, filtered and paginated. Rows carry no names and no place details. "
                "Filters are those of the case list page; an unknown filter value gives 422.",
)
def list_cases(request: HttpRequest, query: Query[CaseListQuery]) -> dict[str, Any]:
    actor = actor_of(request)
    filters = parse_filters(data=query.model_dump(exclude={"page", "page_size"}, exclude_none=True))
    size = query.page_size
    rows, count = page_rows(queryset=case_list(actor=actor, filters=filters), start=(query.page - 1) * size,
                            size=size)
    return {"count": count, "page": query.page, "page_size": size, "pages": -(-count // size),
            "results": [serialise.case_summary(case) for case in rows]}


@router.post(
    "", response={201: CaseDetailOut, 400: ErrorOut, **UNAUTHENTICATED, 403: ErrorOut, 422: InvalidOut},
    summary="Report a case (intake)",
    description="Validated like the intake page, with the same messages. At least one survivor. "
                "Unknown fields are refused. Nothing is saved unless everything is valid.",
)
def report_case(request: HttpRequest, payload: CaseReportIn) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    data = payload.model_dump(exclude={"survivors", "suspects"})
    parsed = parse_report(data=data, survivors=[p.model_dump() for p in payload.survivors],
                          suspects=[p.model_dump() for p in payload.suspects])
    case = do_report_case(parsed, actor=actor)
    case = access_case(actor=actor, case_id=case.id, related=("source_ahtu", "destination_ahtu"))
    return Status(201, detail_data(actor=actor, case=case))


@router.get(
    "/{case_id}", response={200: CaseDetailOut, **UNAUTHENTICATED, **NOT_FOUND},
    summary="A case, with its places, FIRs, people and notes",
    description="404 alike for a case that does not exist and one you may not see.",
)
def get_case(request: HttpRequest, case_id: uuid.UUID) -> dict[str, Any]:
    actor = actor_of(request)
    case = access_case(actor=actor, case_id=case_id, related=("source_ahtu", "destination_ahtu"))
    return detail_data(actor=actor, case=case)


@router.get(
    "/{case_id}/timeline", response={200: list[TimelineEntryOut], **UNAUTHENTICATED, **NOT_FOUND},
    summary="What happened to a case, oldest first",
)
def case_timeline_view(request: HttpRequest, case_id: uuid.UUID) -> list[dict[str, Any]]:
    case = access_case(actor=actor_of(request), case_id=case_id)
    return [{"at": e.at, "action": e.action, "label": e.label, "actor_name": e.actor_name,
             "organisation_name": e.organisation_name} for e in case_timeline(case=case)]


@router.get(
    "/{case_id}/coordination", response={200: dict, **UNAUTHENTICATED, **NOT_FOUND},
    summary="Who does what: organisations active on the case, overlap and gap flags",
    description="For those who see the whole case; through a referral's partial share the answer is 404.",
)
def case_coordination(request: HttpRequest, case_id: uuid.UUID) -> dict[str, Any]:
    actor = actor_of(request)
    access_case(actor=actor, case_id=case_id)
    case = visible_cases(actor=actor, referred=False).filter(pk=case_id).first()
    if case is None:
        raise NotFound
    organisations, flags = who_does_what(case=case, today=timezone.localdate())
    return {
        "organisations": [{"id": str(a.organisation.id), "name": a.organisation.name,
                           "kind": a.organisation.kind, "pillars": a.pillars, "roles": a.roles,
                           "open_tasks": a.open_tasks} for a in organisations],
        "flags": [{"kind": f.kind, "survivor": f.survivor, "message": f.message} for f in flags],
    }
