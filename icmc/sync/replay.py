"""Replay of pushed mutations: one function per action name, each parsing its args with the same form as the
pages and the API and calling the same do_* action, with the acting user's permissions as they are now.
Declared with their payload schemas in icmc.sync.registry."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput, NotFound
from icmc.access.policy import Perm
from icmc.access.queries import access_case
from icmc.cases.actions import do_add_note, do_add_party, do_report_case
from icmc.cases.codes import PartyRole
from icmc.cases.forms import parse_add_party, parse_fir, parse_note, parse_report
from icmc.cases.models import Case, CaseParty
from icmc.deadlines.actions import do_complete_task
from icmc.deadlines.queries import access_task
from icmc.pathway.actions import do_add_record, do_correct_record, do_move_survivor
from icmc.pathway.formbase import validated
from icmc.pathway.records import get_record, parse_record, record_kind
from icmc.prosecution.actions import do_close_case, do_record_fir, do_reopen_case
from icmc.prosecution.forms import CloseCaseForm, ReopenCaseForm
from icmc.prosecution.models import FIR
from icmc.referrals.actions import do_propose_referral, do_record_consent, do_transition_referral
from icmc.referrals.forms import parse_consent, parse_message, parse_propose
from icmc.referrals.queries import access_referral
from icmc.sync.versions import field_value

Result = dict[str, Any]


def _case(args: Mapping[str, Any], *, actor: Actor, perm: Perm = Perm.CASE_VIEW) -> Case:
    return access_case(actor=actor, case_id=str(args.get("case", "")), perm=perm)


def report_case(*, actor: Actor, args: Mapping[str, Any]) -> Result:
    parsed = parse_report(data=args["data"], survivors=args.get("survivors", []), suspects=args.get("suspects", []))
    case = do_report_case(parsed, actor=actor)
    return {"type": "cases.case", "id": str(case.id), "reference": case.reference}


def add_note(*, actor: Actor, args: Mapping[str, Any]) -> Result:
    case = _case(args, actor=actor)
    note = do_add_note(case, actor=actor, body=parse_note(data=args))
    return {"type": "cases.note", "id": str(note.id)}


def add_party(*, actor: Actor, args: Mapping[str, Any]) -> Result:
    case = _case(args, actor=actor)
    party = do_add_party(case, actor=actor, data=parse_add_party(data=args))
    return {"type": "cases.caseparty", "id": str(party.id)}


FIR_FIELDS = ("police_station", "police_station_name", "number", "registered_on")


def record_fir(*, actor: Actor, args: Mapping[str, Any]) -> Result:
    """Fields not sent (null) keep their upstream values, so that only what the node changed is written."""
    case = _case(args, actor=actor)
    current = FIR.objects.filter(case=case).order_by("created_at").first()
    data = {f: field_value(current, f) if current else None for f in FIR_FIELDS}
    data |= {f: args[f] for f in FIR_FIELDS if args.get(f) is not None}
    fir = do_record_fir(case, actor=actor, data=parse_fir(data={k: v for k, v in data.items() if v is not None}))
    return {"type": "prosecution.fir", "id": str(fir.id), "version": fir.version}


def _type_of(record: Any) -> str:
    return f"{record._meta.app_label}.{record._meta.model_name}"


def add_record(*, actor: Actor, args: Mapping[str, Any]) -> Result:
    kind = record_kind(key=str(args["kind"]))
    if not kind.creatable:
        raise NotFound
    case = _case(args, actor=actor, perm=kind.perm)
    record = do_add_record(case, actor=actor, data=parse_record(kind=kind, case=case, data=args["data"]))
    return {"type": _type_of(record), "id": str(record.id), "version": record.version}


def current_form_data(*, kind_key: str, case: Case, record: Any) -> dict[str, Any]:
    """The record's current values as its form would show them (so a correction may send only what changed)."""
    kind = record_kind(key=kind_key)
    form = kind.form(case=case, instance=record)
    return {name: form[name].value() for name in form.fields}


def correct_record(*, actor: Actor, args: Mapping[str, Any]) -> Result:
    kind = record_kind(key=str(args["kind"]))
    case = _case(args, actor=actor, perm=kind.perm)
    record = get_record(kind=kind, case=case, record_id=args["record"])
    data = current_form_data(kind_key=kind.key, case=case, record=record) | dict(args["data"])
    record = do_correct_record(record, actor=actor, data=parse_record(kind=kind, case=case, data=data, record=record))
    return {"type": _type_of(record), "id": str(record.id), "version": record.version}


def move_survivor(*, actor: Actor, args: Mapping[str, Any]) -> Result:
    case = _case(args, actor=actor)
    party = CaseParty.objects.filter(case=case, pk=_uuid(args["party"]), role=PartyRole.SURVIVOR).first()
    if party is None:
        raise NotFound
    stage = do_move_survivor(party, actor=actor, target=str(args["to"]))
    return {"type": "cases.caseparty", "id": str(party.id), "stage": stage}


def close_case(*, actor: Actor, args: Mapping[str, Any]) -> Result:
    case = _case(args, actor=actor, perm=Perm.CASE_CLOSE)
    form = validated(CloseCaseForm(data=args))
    case = do_close_case(case, actor=actor, outcome=form.cleaned_data["outcome"], reason=form.cleaned_data["reason"])
    return {"type": "cases.case", "id": str(case.id), "version": case.version}


def reopen_case(*, actor: Actor, args: Mapping[str, Any]) -> Result:
    case = _case(args, actor=actor, perm=Perm.CASE_CLOSE)
    form = validated(ReopenCaseForm(data=args))
    case = do_reopen_case(case, actor=actor, reason=form.cleaned_data["reason"])
    return {"type": "cases.case", "id": str(case.id), "version": case.version}


def propose_referral(*, actor: Actor, args: Mapping[str, Any]) -> Result:
    case = _case(args, actor=actor, perm=Perm.REFERRAL_SEND)
    data = {k: v for k, v in args.items() if k != "case" and v is not None}
    referral = do_propose_referral(case, actor=actor, data=parse_propose(case=case, data=data))
    return {"type": "referrals.referral", "id": str(referral.id), "version": referral.version}


def _referral_move(verb: str) -> Any:
    def move(*, actor: Actor, args: Mapping[str, Any]) -> Result:
        referral = access_referral(actor=actor, referral_id=str(args["referral"]))
        message = parse_message(data={"message": args.get("message") or ""})
        referral = do_transition_referral(referral, actor=actor, verb=verb, message=message)
        return {"type": "referrals.referral", "id": str(referral.id), "state": referral.state,
                "version": referral.version}

    move.__name__ = f"{verb}_referral"
    return move


def record_consent(*, actor: Actor, args: Mapping[str, Any]) -> Result:
    case = _case(args, actor=actor, perm=Perm.CONSENT_RECORD)
    data = {k: v for k, v in args.items() if k != "case" and v is not None}
    consent = do_record_consent(case, actor=actor, data=parse_consent(case=case, data=data))
    return {"type": "referrals.consent", "id": str(consent.id)}


def complete_task(*, actor: Actor, args: Mapping[str, Any]) -> Result:
    task = do_complete_task(access_task(actor=actor, task_id=str(args["task"])), actor=actor,
                            note=str(args.get("note") or ""))
    return {"type": "deadlines.task", "id": str(task.id), "version": task.version}


def _uuid(value: Any) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError as exc:
        raise InvalidInput({"args": ["Not a valid id."]}) from exc


send_referral = _referral_move("send")
accept_referral = _referral_move("accept")
decline_referral = _referral_move("decline")
complete_referral = _referral_move("complete")
withdraw_referral = _referral_move("withdraw")
