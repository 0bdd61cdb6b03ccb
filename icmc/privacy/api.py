"""Privacy in the API: approvals (ask, decide, carry out an erasure), a person's privacy report, legal holds.

Deciding and carrying out need a fresh second factor: only a logged-in session that stepped up within the last
minutes can (a bearer token cannot: 403 with the reason)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from icmc.access.errors import InvalidInput, NotFound
from icmc.access.policy import Perm
from icmc.api.auth import actor_of
from icmc.api.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, Input
from icmc.cases.models import Case
from icmc.identity.stepup import request_is_stepped_up
from icmc.privacy import kinds as K
from icmc.privacy.actions import (
    do_decide_approval,
    do_erase_person,
    do_place_hold,
    do_release_hold,
    do_request_approval,
)
from icmc.privacy.approvals import access_approval, my_requests, requests_to_decide, state_of
from icmc.privacy.export import do_export_cases, do_export_identities, filter_parameters
from icmc.privacy.export_views import csv_response
from icmc.privacy.models import ApprovalRequest, LegalHold
from icmc.privacy.report import access_person_in_case, do_report_person_data
from icmc.referrals.queries import access_referral

router = Router(tags=["privacy"])


class ApprovalOut(Schema):
    id: uuid.UUID
    kind: str
    state: str
    case_id: uuid.UUID | None
    case_reference: str | None
    person_id: uuid.UUID | None
    referral_id: uuid.UUID | None
    parameters: dict[str, Any]
    reason: str
    requested_by: str
    requested_organisation: str
    requested_at: datetime.datetime
    expires_at: datetime.datetime
    decided_by: str | None
    decided_at: datetime.datetime | None
    decision_note: str
    executed_at: datetime.datetime | None


class ApprovalsOut(Schema):
    mine: list[ApprovalOut]
    to_decide: list[ApprovalOut]


class ApprovalIn(Input):
    kind: str = Field(description="One of " + ", ".join(f"`{k}`" for k, v in K.KINDS.items() if v.available))
    reason: str = Field(max_length=2000, description="Why (at least 10 characters; never a person's name)")
    case_id: uuid.UUID | None = Field(None, description="`erase_person`: the case the person is in")
    person_id: uuid.UUID | None = Field(None, description="`erase_person`: the person")
    referral_id: uuid.UUID | None = Field(None, description="`cross_border_referral`: the referral to send")
    filters: dict[str, str] | None = Field(None, description="`export_identities`: the case-list filters "
                                                             "(stage, status, state, district, exploitation_type, "
                                                             "reported_from, reported_to)")


class DecisionIn(Input):
    approve: bool
    note: str = Field("", max_length=2000, description="Required to refuse")


class ReasonIn(Input):
    reason: str = Field(max_length=2000)


class HoldIn(Input):
    reason: str = Field(max_length=2000)
    person_id: uuid.UUID | None = Field(None, description="Hold one person of the case; omit to hold the case")


class HoldOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    person_id: uuid.UUID | None
    reason: str
    placed_at: datetime.datetime
    released_at: datetime.datetime | None
    release_reason: str


class HoldReasonOut(Schema):
    case_id: uuid.UUID
    case_reference: str
    kind: str
    reason: str
    hold_id: uuid.UUID | None


class PersonCaseOut(Schema):
    id: uuid.UUID
    reference: str
    role: str


class DisclosureOut(Schema):
    at: datetime.datetime
    organisation_id: uuid.UUID
    organisation: str
    channel: str
    purpose: str
    categories: list[str]
    case_reference: str
    ended_at: datetime.datetime | None = None  # when it stopped giving access (referral withdrawn or declined)
    end_reason: str = ""


class ConsentSummaryOut(Schema):
    case_reference: str
    basis: str
    response: str
    purposes: list[str]
    given_on: datetime.date


class PersonReportOut(Schema):
    person_id: uuid.UUID
    erased: bool
    held: dict[str, int]
    cases: list[PersonCaseOut]
    holds: list[HoldReasonOut]
    explicit_holds: list[HoldOut]
    approvals: list[dict[str, Any]]
    consents: list[ConsentSummaryOut]
    disclosures: list[DisclosureOut]


def approval_data(a: ApprovalRequest) -> dict[str, Any]:
    return {"id": a.id, "kind": a.kind, "state": state_of(a), "case_id": a.case_id,
            "case_reference": a.case.reference if a.case is not None else None, "person_id": a.person_id,
            "referral_id": a.referral_id, "parameters": a.parameters, "reason": a.reason,
            "requested_by": a.requested_by.get_full_name(), "requested_organisation": a.requested_organisation.name,
            "requested_at": a.created_at, "expires_at": a.expires_at,
            "decided_by": a.decided_by.get_full_name() if a.decided_by is not None else None,
            "decided_at": a.decided_at,
            "decision_note": a.decision_note, "executed_at": a.executed_at}


def hold_data(h: LegalHold) -> dict[str, Any]:
    return {"id": h.id, "case_id": h.case_id, "person_id": h.person_id, "reason": h.reason,
            "placed_at": h.created_at, "released_at": h.released_at, "release_reason": h.release_reason}


@router.get("/approvals", response={200: ApprovalsOut, **READ_ERRORS}, summary="Approvals",
            description="`mine`: what you asked for; `to_decide`: other users' requests you may decide.")
def list_approvals(request: HttpRequest) -> dict[str, Any]:
    actor = actor_of(request)
    return {"mine": [approval_data(a) for a in my_requests(actor=actor)[:100]],
            "to_decide": [approval_data(a) for a in requests_to_decide(actor=actor)[:200]]}


@router.post("/approvals", response={201: ApprovalOut, **WRITE_ERRORS}, summary="Ask for a two-person approval",
             description="`erase_person` (with case_id and person_id; 422 under `hold` while a legal hold "
                         "applies), `cross_border_referral` (with referral_id of a proposed referral to another "
                         "country), `export_identities` (with the case-list filters).")
def request_approval(request: HttpRequest, payload: ApprovalIn) -> tuple[int, dict[str, Any]]:
    actor = actor_of(request)
    spec = K.kind_of(payload.kind)
    if spec is None or not spec.available:
        raise InvalidInput({"kind": ["Not a kind of approval that can be asked for."]})
    case = person = referral = None
    parameters = None
    if spec.subject == K.Subject.PERSON:
        if payload.case_id is None or payload.person_id is None:
            raise InvalidInput({"person_id": ["Give case_id and person_id."]})
        case, person = access_person_in_case(actor=actor, case_id=payload.case_id, person_id=payload.person_id,
                                             perm=spec.request_perm)  # type: ignore[arg-type]
    elif spec.subject == K.Subject.REFERRAL:
        if payload.referral_id is None:
            raise InvalidInput({"referral_id": ["Give referral_id."]})
        referral = access_referral(actor=actor, referral_id=payload.referral_id)
    elif spec.subject == K.Subject.EXPORT:
        parameters = filter_parameters(payload.filters or {})
    approval = do_request_approval(actor=actor, kind=payload.kind, reason=payload.reason, case=case,
                                   person=person, referral=referral, parameters=parameters)
    return 201, approval_data(access_approval(actor=actor, approval_id=approval.id))


@router.get("/approvals/{approval_id}", response={200: ApprovalOut, **READ_ERRORS}, summary="One approval",
            description="For the user who asked and those who may decide it (404 for anyone else).")
def get_approval(request: HttpRequest, approval_id: uuid.UUID) -> dict[str, Any]:
    return approval_data(access_approval(actor=actor_of(request), approval_id=approval_id))


@router.post("/approvals/{approval_id}/decide", response={200: ApprovalOut, **WRITE_ERRORS},
             summary="Approve or refuse another user's request",
             description="Needs a session with a fresh second factor (403 for a token or a stale session); your "
                         "own request gives 403; an already decided or lapsed one 422 under `state`.")
def decide_approval(request: HttpRequest, approval_id: uuid.UUID, payload: DecisionIn) -> dict[str, Any]:
    actor = actor_of(request)
    do_decide_approval(approval_id, actor=actor, approve=payload.approve, note=payload.note,
                       stepped_up=request_is_stepped_up(request=request))
    return approval_data(access_approval(actor=actor, approval_id=approval_id))


@router.post("/approvals/{approval_id}/execute", response={200: ApprovalOut, **WRITE_ERRORS},
             summary="Carry out an approved erasure, or download an approved identity export",
             description="For the user who asked, in the same role, once, before it lapses, with a fresh second "
                         "factor (session only). An erasure answers with the approval (a legal hold gives 422 "
                         "under `hold`); an identity export answers with the CSV file (text/csv). Cross-border "
                         "referrals are carried out by sending the referral.")
def execute_approval(request: HttpRequest, approval_id: uuid.UUID) -> Any:
    actor = actor_of(request)
    approval = access_approval(actor=actor, approval_id=approval_id)
    stepped_up = request_is_stepped_up(request=request)
    if approval.kind == K.EXPORT_IDENTITIES:
        return csv_response(do_export_identities(approval_id, actor=actor, stepped_up=stepped_up))
    if approval.kind != K.ERASE_PERSON:
        raise InvalidInput({"kind": ["This kind is carried out by sending the referral."]})
    do_erase_person(approval_id, actor=actor, stepped_up=stepped_up)
    return approval_data(access_approval(actor=actor, approval_id=approval_id))


@router.get("/case-export", response={200: str, **READ_ERRORS, 403: ErrorOut}, summary="The case list as CSV",
            description="Without identities; the case-list filters as query parameters. Needs a session with a "
                        "fresh second factor (403 for a token). Every cell that starts like a formula is written "
                        "with a leading quote.")
def export_cases(request: HttpRequest, stage: str = "", status: str = "", state: str = "", district: str = "",
                 exploitation_type: str = "", reported_from: str = "", reported_to: str = "") -> Any:
    data = {"stage": stage, "status": status, "state": state, "district": district,
            "exploitation_type": exploitation_type, "reported_from": reported_from, "reported_to": reported_to}
    return csv_response(do_export_cases(actor=actor_of(request), data=data,
                                        stepped_up=request_is_stepped_up(request=request)))


@router.get("/cases/{case_id}/persons/{person_id}/privacy",
            response={200: PersonReportOut, **READ_ERRORS, 403: ErrorOut},
            summary="What we hold about a person and with whom it was shared",
            description="For the owner's case managers and the state's nodal officers; reading it is audited "
                         "(`person.data_reported`). Categories and counts, never the values.")
def person_report(request: HttpRequest, case_id: uuid.UUID, person_id: uuid.UUID) -> dict[str, Any]:
    report = do_report_person_data(actor=actor_of(request), case_id=case_id, person_id=person_id)
    return {
        "person_id": report.person.id, "erased": report.erased, "held": report.held, "cases": report.cases,
        "holds": [{"case_id": h.case_id, "case_reference": h.case_reference, "kind": h.kind, "reason": h.reason,
                   "hold_id": h.hold_id} for h in report.holds],
        "explicit_holds": [hold_data(h) for h in report.explicit_holds],
        "approvals": [{**a, "id": str(a["id"])} for a in report.approvals],
        "consents": [{"case_reference": c.case.reference, "basis": c.basis, "response": c.response,
                      "purposes": c.purposes, "given_on": c.given_on} for c in report.consents],
        "disclosures": [{"at": d.disclosed_at, "organisation_id": d.to_organisation_id,
                         "organisation": d.to_organisation.name, "channel": d.channel, "purpose": d.purpose,
                         "categories": d.categories, "case_reference": d.case.reference,
                         "ended_at": d.ended_at, "end_reason": d.end_reason}
                        for d in report.disclosures],
    }


@router.post("/cases/{case_id}/holds", response={201: HoldOut, **WRITE_ERRORS}, summary="Place a legal hold",
             description="On the case (everyone in it) or one person of it, with a reason. Case managers of the "
                         "owner and the state's nodal officers.")
def place_hold(request: HttpRequest, case_id: uuid.UUID, payload: HoldIn) -> tuple[int, dict[str, Any]]:
    actor = actor_of(request)
    person = None
    if payload.person_id is not None:
        _case, person = access_person_in_case(actor=actor, case_id=case_id, person_id=payload.person_id,
                                              perm=Perm.HOLD_MANAGE)
    try:
        case = Case.objects.get(pk=case_id)
    except Case.DoesNotExist as exc:
        raise NotFound from exc
    hold = do_place_hold(case, actor=actor, reason=payload.reason, person=person)
    return 201, hold_data(hold)


@router.post("/holds/{hold_id}/release", response={200: HoldOut, **WRITE_ERRORS}, summary="Release a legal hold",
             description="With a reason.")
def release_hold(request: HttpRequest, hold_id: uuid.UUID, payload: ReasonIn) -> dict[str, Any]:
    return hold_data(do_release_hold(hold_id, actor=actor_of(request), reason=payload.reason))

