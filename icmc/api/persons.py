"""People: one person as the actor may see them, with the cases the actor sees them in."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from icmc.access.queries import access_person, visible_cases
from icmc.api import serialise
from icmc.api.auth import actor_of
from icmc.api.schemas import ErrorOut, PersonDetailOut
from icmc.cases.models import CaseParty, Person

router = Router(tags=["persons"])


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
    data = serialise.person(person, identity=True, today=timezone.localdate())
    data["cases"] = [{"id": p.case.id, "reference": p.case.reference, "role": p.role} for p in parties]
    return data
