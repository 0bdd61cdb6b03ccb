"""Work on a case: notes, people, the FIR. Each operation first fetches the case with the permission it needs
(404 if not visible, 403 if visible but not allowed), then parses with the shared forms, then calls the action."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput, NotFound
from icmc.access.policy import Perm
from icmc.access.queries import access_case, access_person
from icmc.access.redaction import case_clearance
from icmc.api import serialise
from icmc.api.auth import actor_of
from icmc.api.schemas import WRITE_ERRORS, FirIn, FirOut, NoteIn, NoteOut, PartyIn, PartyOut
from icmc.cases.actions import do_add_note, do_add_party
from icmc.cases.forms import AddPartyForm, parse_add_party, parse_fir, parse_note
from icmc.cases.inputs import AddPartyInput
from icmc.cases.models import CaseParty, Note
from icmc.prosecution.actions import do_record_fir

router = Router(tags=["cases"])

UNKNOWN_PERSON = _("Unknown person.")
EITHER_PERSON = _("Give either person_id or the person's details, not both.")


@router.post(
    "/{case_id}/notes", response={201: NoteOut, **WRITE_ERRORS},
    summary="Add a note to a case", description="Notes are append-only: they are never edited or deleted.",
)
def add_note(request: HttpRequest, case_id: uuid.UUID, payload: NoteIn) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    case = access_case(actor=actor, case_id=case_id, perm=Perm.CASE_ADD_NOTE)
    body = parse_note(data=payload.model_dump())
    note = do_add_note(case, actor=actor, body=body)
    note = Note.objects.select_related("author", "organisation").get(pk=note.pk)
    return Status(201, serialise.note(note, clearance=case_clearance(actor=actor, case=case)))


def _party_input(*, actor: Actor, payload: PartyIn) -> AddPartyInput:
    data = payload.model_dump()
    person_id = data.pop("person_id")
    if person_id is None:
        return parse_add_party(data=data)
    sent = payload.model_dump(exclude_unset=True)
    if any(value not in (None, "", []) for key, value in sent.items() if key not in ("role", "person_id")):
        raise InvalidInput({"person_id": [str(EITHER_PERSON)]})
    try:
        role = AddPartyForm.base_fields["role"].clean(data["role"])
    except forms.ValidationError as exc:
        raise InvalidInput({"role": list(exc.messages)}) from exc
    try:
        person = access_person(actor=actor, person_id=person_id)
    except NotFound as exc:
        raise InvalidInput({"person_id": [str(UNKNOWN_PERSON)]}) from exc
    return AddPartyInput(role=role, existing_person_id=person.id)


@router.post(
    "/{case_id}/parties", response={201: PartyOut, **WRITE_ERRORS},
    summary="Add a person to a case",
    description="Either a new person (`role` and the person's fields, `name` required) or a person you can "
                "see in another case (`role` and `person_id`).",
)
def add_party(request: HttpRequest, case_id: uuid.UUID, payload: PartyIn) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    case = access_case(actor=actor, case_id=case_id, perm=Perm.CASE_ADD_PERSON)
    party = do_add_party(case, actor=actor, data=_party_input(actor=actor, payload=payload))
    party = (CaseParty.objects.filter(case=case).select_related("person")
             .prefetch_related("person__names", "person__phones").get(pk=party.pk))
    return Status(201, serialise.party(party, clearance=case_clearance(actor=actor, case=case)))


@router.put(
    "/{case_id}/fir", response={200: FirOut, **WRITE_ERRORS},
    summary="Record or complete the case's FIR",
    description="Sets the details of the case's first FIR (created if the case has none yet).",
)
def record_fir(request: HttpRequest, case_id: uuid.UUID, payload: FirIn) -> dict[str, Any]:
    actor = actor_of(request)
    case = access_case(actor=actor, case_id=case_id, perm=Perm.CASE_RECORD_FIR)
    fir = do_record_fir(case, actor=actor, data=parse_fir(data=payload.model_dump()))
    return serialise.fir(fir, clearance=case_clearance(actor=actor, case=case))
