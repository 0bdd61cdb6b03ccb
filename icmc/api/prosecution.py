"""The prosecution track of a case (FIRs, charges, accused, chargesheets, hearings, verdicts), closing and
reopening a case, and the reference table of offences."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from icmc.access.errors import InvalidInput, NotFound
from icmc.access.policy import Perm
from icmc.access.queries import access_case, sees_whole_case
from icmc.access.redaction import case_clearance
from icmc.api.auth import actor_of
from icmc.api.pathway import JsonBody, _body
from icmc.api.schemas import MOVE_ERRORS, READ_ERRORS, ErrorOut, Input
from icmc.pathway import serialise
from icmc.pathway.actions import do_add_record, do_correct_record
from icmc.pathway.formbase import form_errors
from icmc.pathway.records import KINDS, get_record, parse_record, record_kind
from icmc.prosecution.actions import do_close_case, do_reopen_case
from icmc.prosecution.forms import CloseCaseForm, ReopenCaseForm
from icmc.prosecution.models import Offence
from icmc.prosecution.queries import prosecution_view

router = Router(tags=["prosecution"])
offences_router = Router(tags=["reference"])


class CloseIn(Input):
    outcome: str
    reason: str = ""


class ReopenIn(Input):
    reason: str


@offences_router.get("", response={200: list[dict], 401: ErrorOut}, summary="The reference table of offences")
def offences(request: HttpRequest) -> list[dict[str, Any]]:
    return [{"code": o.code, "act": o.act, "section": o.section, "title": o.title,
             "min_punishment": o.min_punishment, "max_punishment": o.max_punishment, "note": o.note}
            for o in Offence.objects.all()]


@router.get("/{case_id}/prosecution", response={200: dict, **READ_ERRORS}, summary="The prosecution track")
def prosecution(request: HttpRequest, case_id: uuid.UUID) -> dict[str, Any]:
    actor = actor_of(request)
    case = access_case(actor=actor, case_id=case_id)
    if not sees_whole_case(actor=actor, case=case):
        raise NotFound  # the accused are not shared through a partial referral
    return {**serialise.prosecution(prosecution_view(case=case), kinds=KINDS,
                                  clearance=case_clearance(actor=actor, case=case)), "status": case.status,
            "closure_outcome": case.closure_outcome or None}


@router.post("/{case_id}/prosecution/{kind}", response={201: dict, **MOVE_ERRORS},
             summary="Add a prosecution record (fir, charge, accused, chargesheet, hearing, verdict)")
def add_record(request: HttpRequest, case_id: uuid.UUID, kind: str,
               payload: JsonBody) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    record_type = record_kind(key=kind, track="prosecution")
    case = access_case(actor=actor, case_id=case_id, perm=record_type.perm)
    data = parse_record(kind=record_type, case=case, data=_body(payload), strict=True)
    obj = do_add_record(case, actor=actor, data=data)
    return Status(201, serialise.record(obj, kind=record_type, clearance=case_clearance(actor=actor, case=case)))


@router.put("/{case_id}/prosecution/{kind}/{record_id}", response={200: dict, **MOVE_ERRORS},
            summary="Correct a prosecution record (send every field)")
def correct_record(request: HttpRequest, case_id: uuid.UUID, kind: str, record_id: uuid.UUID,
                   payload: JsonBody) -> dict[str, Any]:
    actor = actor_of(request)
    record_type = record_kind(key=kind, track="prosecution")
    case = access_case(actor=actor, case_id=case_id, perm=record_type.perm)
    obj = get_record(kind=record_type, case=case, record_id=record_id)
    data = parse_record(kind=record_type, case=case, data=_body(payload), record=obj, strict=True)
    return serialise.record(do_correct_record(obj, actor=actor, data=data), kind=record_type,
                            clearance=case_clearance(actor=actor, case=case))


@router.post("/{case_id}/close", response={200: dict, **MOVE_ERRORS}, summary="Close the case with an outcome",
             description="closed_with_conviction needs a conviction; the other outcomes need a reason. 409 when "
                         "refused.")
def close(request: HttpRequest, case_id: uuid.UUID, payload: CloseIn) -> dict[str, Any]:
    actor = actor_of(request)
    case = access_case(actor=actor, case_id=case_id, perm=Perm.CASE_CLOSE)
    form = CloseCaseForm(data=payload.model_dump())
    if not form.is_valid():
        raise InvalidInput(form_errors(form))
    case = do_close_case(case, actor=actor, outcome=form.cleaned_data["outcome"], reason=form.cleaned_data["reason"])
    return {"status": case.status, "stage": case.stage, "closure_outcome": case.closure_outcome}


@router.post("/{case_id}/reopen", response={200: dict, **MOVE_ERRORS}, summary="Reopen a closed case")
def reopen(request: HttpRequest, case_id: uuid.UUID, payload: ReopenIn) -> dict[str, Any]:
    actor = actor_of(request)
    case = access_case(actor=actor, case_id=case_id, perm=Perm.CASE_CLOSE)
    form = ReopenCaseForm(data=payload.model_dump())
    if not form.is_valid():
        raise InvalidInput(form_errors(form))
    case = do_reopen_case(case, actor=actor, reason=form.cleaned_data["reason"])
    return {"status": case.status, "stage": case.stage, "closure_outcome": None}
