"""Referrals and consent: propose, send, accept, decline, complete, withdraw; record consent; lists.
Thin: fetch through the access functions, parse with icmc.referrals.forms, call the actions."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from icmc.access.errors import NotFound
from icmc.access.policy import Perm
from icmc.access.queries import access_case
from icmc.api.auth import actor_of
from icmc.api.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, Input
from icmc.api.serialise import ref
from icmc.identity.stepup import request_is_stepped_up
from icmc.referrals.actions import do_propose_referral, do_record_consent, do_transition_referral
from icmc.referrals.forms import parse_consent, parse_message, parse_propose
from icmc.referrals.models import Consent, Referral
from icmc.referrals.queries import access_referral, case_referrals, received_referrals
from icmc.referrals.workflow import TRANSITIONS

router = Router(tags=["referrals"])



class RefOut(Schema):
    id: uuid.UUID
    name: str


class TransitionOut(Schema):
    from_state: str
    to_state: str
    at: datetime.datetime
    actor: RefOut | None
    organisation: RefOut | None
    message: str


class ReferralOut(Schema):
    id: uuid.UUID
    case: RefOut = Field(description="The case: its id, and its public reference as `name`.")
    survivor_party_id: uuid.UUID | None = Field(description="The referred survivor (a party); null: the case.")
    from_organisation: RefOut
    to_organisation: RefOut
    purpose: str
    state: str
    automatic: bool
    transitions: list[TransitionOut]
    version: int


class ReferralIn(Input):
    to_organisation: str | None = None
    purpose: str | None = None
    survivor: str | None = Field(None, description="A survivor's party id; empty for the whole case.")
    message: str | None = None


class MessageIn(Input):
    message: str | None = None


class ConsentIn(Input):
    survivor: str | None = Field(None, description="The survivor's party id.")
    basis: str | None = Field(None, description="survivor, guardian, cwc_decision or override.")
    response: str | None = Field(None, description="consented, assented or refused; empty for an override.")
    prompts_explained: list[str] = Field([], description="Keys of the HTCDS consent prompts explained.")
    purposes: list[str] = Field([], description="The referral purposes consented to.")
    reason: str | None = None
    given_on: str | None = Field(None, description="YYYY-MM-DD")


class ConsentOut(Schema):
    id: uuid.UUID
    survivor_party_id: uuid.UUID
    basis: str
    response: str
    prompts_explained: list[str]
    purposes: list[str]
    reason: str
    given_on: datetime.date
    recorded_by: RefOut | None
    organisation: RefOut | None


class ReceivedQuery(Schema):
    state: str | None = None


def referral_data(row: Referral) -> dict[str, Any]:
    return {
        "id": row.id, "case": {"id": row.case_id, "name": row.case.reference}, "survivor_party_id": row.party_id,
        "from_organisation": ref(row.from_organisation), "to_organisation": ref(row.to_organisation),
        "purpose": row.purpose, "state": row.state, "automatic": row.automatic, "version": row.version,
        "transitions": [{"from_state": t.from_state, "to_state": t.to_state, "at": t.created_at,
                         "actor": ref(t.actor), "organisation": ref(t.organisation), "message": t.message}
                        for t in row.transitions.all()],
    }


def consent_data(row: Consent) -> dict[str, Any]:
    return {"id": row.id, "survivor_party_id": row.party_id, "basis": row.basis, "response": row.response,
            "prompts_explained": row.prompts_explained, "purposes": row.purposes, "reason": row.reason,
            "given_on": row.given_on, "recorded_by": ref(row.recorded_by), "organisation": ref(row.organisation)}


@router.get("/cases/{case_id}/referrals", response={200: list[ReferralOut], **READ_ERRORS},
            summary="The case's referrals you can see",
            description="All of them for the case's own organisation (and assigned/state scopes); for an "
                        "organisation the case is referred to, only its own referrals.")
def list_case_referrals(request: HttpRequest, case_id: uuid.UUID) -> list[dict[str, Any]]:
    actor = actor_of(request)
    case = access_case(actor=actor, case_id=case_id)
    return [referral_data(r) for r in case_referrals(actor=actor, case=case)]


@router.post("/cases/{case_id}/referrals", response={201: ReferralOut, **WRITE_ERRORS},
             summary="Propose a referral of the case or one survivor",
             description="Created in state `proposed`; send it with POST /referrals/{id}/send.")
def propose_referral(request: HttpRequest, case_id: uuid.UUID, payload: ReferralIn) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    case = access_case(actor=actor, case_id=case_id, perm=Perm.REFERRAL_SEND)
    referral = do_propose_referral(case, actor=actor,
                                   data=parse_propose(case=case, data=payload.model_dump(exclude_none=True)))
    return Status(201, referral_data(access_referral(actor=actor, referral_id=referral.id)))


@router.get("/referrals/received", response={200: list[ReferralOut], 401: ErrorOut},
            summary="Referrals to your organisation", description="Newest change first; filter by `state`.")
def list_received(request: HttpRequest, query: Query[ReceivedQuery]) -> list[dict[str, Any]]:
    actor = actor_of(request)
    return [referral_data(r) for r in received_referrals(actor=actor, state=query.state)]


@router.get("/referrals/{referral_id}", response={200: ReferralOut, **READ_ERRORS}, summary="A referral")
def get_referral(request: HttpRequest, referral_id: uuid.UUID) -> dict[str, Any]:
    return referral_data(access_referral(actor=actor_of(request), referral_id=referral_id))


@router.post("/referrals/{referral_id}/{verb}", response={200: ReferralOut, **WRITE_ERRORS},
             summary="Move a referral: send, accept, decline, complete or withdraw",
             description="`decline` and `withdraw` need a message. Sending a referral that shares a survivor's "
                         "identity without consent gives 422 with the message under `consent`; a move the "
                         "state does not allow gives 422 under `state`; the wrong side gives 403. Sending to an "
                         "organisation in another country needs your approved request (`POST /approvals`, kind "
                         "`cross_border_referral`; else 422 under `approval`) and a session with a fresh second "
                         "factor (403 for a token).")
def move_referral(request: HttpRequest, referral_id: uuid.UUID, verb: str, payload: MessageIn) -> dict[str, Any]:
    if verb not in TRANSITIONS:
        raise NotFound
    actor = actor_of(request)
    referral = access_referral(actor=actor, referral_id=referral_id)
    message = parse_message(data=payload.model_dump(exclude_none=True))
    do_transition_referral(referral, actor=actor, verb=verb, message=message,
                           stepped_up=request_is_stepped_up(request=request))
    return referral_data(access_referral(actor=actor, referral_id=referral_id))


@router.get("/cases/{case_id}/consents", response={200: list[ConsentOut], 401: ErrorOut, 403: ErrorOut,
                                                    404: ErrorOut},
            summary="Consent records of the case's survivors")
def list_consents(request: HttpRequest, case_id: uuid.UUID) -> list[dict[str, Any]]:
    actor = actor_of(request)
    case = access_case(actor=actor, case_id=case_id, perm=Perm.CONSENT_RECORD)
    rows = Consent.objects.filter(case=case).select_related("recorded_by", "organisation").order_by("created_at")
    return [consent_data(c) for c in rows]


@router.post("/cases/{case_id}/consents", response={201: ConsentOut, **WRITE_ERRORS},
             summary="Record a survivor's consent, a guardian's, a CWC decision, or an override")
def record_consent(request: HttpRequest, case_id: uuid.UUID, payload: ConsentIn) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    case = access_case(actor=actor, case_id=case_id, perm=Perm.CONSENT_RECORD)
    consent = do_record_consent(case, actor=actor,
                                data=parse_consent(case=case, data=payload.model_dump(exclude_none=True)))
    consent = Consent.objects.select_related("recorded_by", "organisation").get(pk=consent.pk)
    return Status(201, consent_data(consent))
