"""People: search by name, and one person as the actor may see them, with the cases the actor sees them in."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from icmc.access.queries import access_person, visible_cases
from icmc.access.redaction import person_clearance, reader_clearance
from icmc.api import serialise
from icmc.api.auth import actor_of
from icmc.api.schemas import ErrorOut, InvalidOut, PersonDetailOut, PersonSearchIn, PersonSearchOut
from icmc.cases.actions import do_search_persons
from icmc.cases.models import CaseParty, Person
from icmc.cases.search import parse_person_search

router = Router(tags=["persons"])


# Before "/{person_id}", so that "/search" is never taken for an id.
@router.post(
    "/search", response={200: PersonSearchOut, 401: ErrorOut, 403: ErrorOut, 422: InvalidOut},
    summary="Find people by name",
    description="Among the people you may see (parties of your cases, or shared with you by a referral), those "
                "whose names or aliases best match `name`, in any script and spelling, best first. Optional "
                "filters tell namesakes apart: birth years, the state or district of a case, the role in a case. "
                "The name travels in the body, never in a URL. 403 for roles that may not see identities. Audited "
                "(`person.searched`, without the name).",
)
def search_persons(request: HttpRequest, payload: PersonSearchIn) -> dict[str, Any]:
    actor = actor_of(request)
    hits = do_search_persons(parse_person_search(data=payload.model_dump(exclude_none=True)), actor=actor)
    today = timezone.localdate()
    clearance = reader_clearance(actor=actor)
    results = []
    for hit in hits:
        data = serialise.person(hit.person, clearance=clearance, today=today, names=hit.names, phones=hit.phones)
        data["score"] = hit.score
        data["cases"] = [{"id": p.case.id, "reference": p.case.reference, "role": p.role} for p in hit.parties]
        results.append(data)
    return {"count": len(results), "results": results}


@router.get(
    "/{person_id}", response={200: PersonDetailOut, 401: ErrorOut, 404: ErrorOut},
    summary="A person, and the cases you can see them in",
    description="404 alike for a person who does not exist and one you may not see.",
)
def get_person(request: HttpRequest, person_id: uuid.UUID) -> dict[str, Any]:
    actor = actor_of(request)
    person = access_person(actor=actor, person_id=person_id)
    person = Person.objects.prefetch_related("names", "phones").get(pk=person.pk)
    parties = (CaseParty.objects.filter(person=person, case__in=visible_cases(actor=actor))
               .select_related("case").order_by("case__reported_at", "role"))
    data = serialise.person(person, clearance=person_clearance(actor=actor, person=person),
                            today=timezone.localdate())
    data["cases"] = [{"id": p.case.id, "reference": p.case.reference, "role": p.role} for p in parties]
    return data
