"""The survivor pathway of a case: read it, add and correct its records, move a survivor to the next stage.
Records are JSON objects with the fields of their kind (see docs/workflow.md); a correction sends all fields."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Body, NinjaAPI, Router, Status

from icmc.access.errors import InvalidInput, NotFound
from icmc.access.queries import access_case, sees_whole_case, visible_party_ids
from icmc.access.redaction import case_clearance
from icmc.api.auth import actor_of
from icmc.api.schemas import MOVE_ERRORS, READ_ERRORS, Input
from icmc.cases.codes import PartyRole
from icmc.cases.models import CaseParty
from icmc.pathway import serialise
from icmc.pathway.actions import do_add_record, do_correct_record, do_move_survivor
from icmc.pathway.queries import survivor_views
from icmc.pathway.records import KINDS, get_record, parse_record, record_kind
from icmc.pathway.workflow import Refused

router = Router(tags=["pathway"])
# A record's fields as a JSON object (validated by the record kind's form).
JsonBody = Annotated[dict[str, Any], Body()]


class MoveIn(Input):
    to: str


def _body(payload: Any) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise InvalidInput({"__all__": ["Send a JSON object as the request body."]})
    return payload


@router.get("/{case_id}/pathway", response={200: dict, **READ_ERRORS}, summary="The 6R pathway of each survivor")
def pathway(request: HttpRequest, case_id: uuid.UUID) -> dict[str, Any]:
    actor = actor_of(request)
    case = access_case(actor=actor, case_id=case_id)
    clearance = case_clearance(actor=actor, case=case)
    # Through a referral that shares part of the case: only the shared survivors and no rescue operations.
    whole = sees_whole_case(actor=actor, case=case)
    views = survivor_views(case=case, party_ids=None if whole else visible_party_ids(actor=actor, case=case))
    rescues = KINDS["rescue_operation"].records(case=case) if whole else []
    return {"case_stage": case.stage, "status": case.status,
            "rescue_operations": [serialise.record(r, kind=KINDS["rescue_operation"], clearance=clearance)
                                  for r in rescues],
            "survivors": [serialise.survivor(v, kinds=KINDS, clearance=clearance) for v in views]}


@router.post("/{case_id}/pathway/{kind}", response={201: dict, **MOVE_ERRORS},
             summary="Add a pathway record (rescue_operation, cwc_production, shelter_stay, ...)")
def add_record(request: HttpRequest, case_id: uuid.UUID, kind: str,
               payload: JsonBody) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    record_type = record_kind(key=kind, track="pathway")
    if not record_type.creatable:
        raise NotFound
    case = access_case(actor=actor, case_id=case_id, perm=record_type.perm)
    data = parse_record(kind=record_type, case=case, data=_body(payload), strict=True)
    obj = do_add_record(case, actor=actor, data=data)
    return Status(201, serialise.record(obj, kind=record_type, clearance=case_clearance(actor=actor, case=case)))


@router.put("/{case_id}/pathway/{kind}/{record_id}", response={200: dict, **MOVE_ERRORS},
            summary="Correct a pathway record (send every field)")
def correct_record(request: HttpRequest, case_id: uuid.UUID, kind: str, record_id: uuid.UUID,
                   payload: JsonBody) -> dict[str, Any]:
    actor = actor_of(request)
    record_type = record_kind(key=kind, track="pathway")
    case = access_case(actor=actor, case_id=case_id, perm=record_type.perm)
    obj = get_record(kind=record_type, case=case, record_id=record_id)
    data = parse_record(kind=record_type, case=case, data=_body(payload), record=obj, strict=True)
    return serialise.record(do_correct_record(obj, actor=actor, data=data), kind=record_type,
                            clearance=case_clearance(actor=actor, case=case))


@router.post("/{case_id}/survivors/{party_id}/stage", response={200: dict, **MOVE_ERRORS},
             summary="Move a survivor to the next stage",
             description="409 with the reason when the workflow does not allow it now (e.g. no HIR yet).")
def move(request: HttpRequest, case_id: uuid.UUID, party_id: uuid.UUID, payload: MoveIn) -> dict[str, Any]:
    actor = actor_of(request)
    case = access_case(actor=actor, case_id=case_id)
    party = CaseParty.objects.filter(case=case, pk=party_id, role=PartyRole.SURVIVOR).first()
    if party is None:
        raise NotFound
    stage = do_move_survivor(party, actor=actor, target=payload.to)
    case.refresh_from_db(fields=["stage"])
    return {"party_id": str(party.id), "stage": stage, "case_stage": case.stage}


def install(api: NinjaAPI) -> None:
    """A step the workflow refuses is a 409 with the reason."""

    @api.exception_handler(Refused)
    def refused(request: HttpRequest, exc: Refused) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc.message)}, status=409)

