"""The writes a field node may make offline: each page or API route that writes, mapped to the replayable
mutation (icmc.sync.replay.REPLAY) it becomes, with the mutation's args read from the request exactly as the
route's form or schema reads them. A write to any other route is refused on a field node (409).

The args are what the upstream's replay parses with the same form, so the upstream runs the same action on
the same input.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest

from icmc.api.schemas import CaseReportIn, FirIn, NoteIn, PartyIn
from icmc.cases.forms import AddPartyForm, CaseReportForm, FirForm, NoteForm, PersonForm
from icmc.cases.models import Case
from icmc.pathway.records import record_kind
from icmc.referrals.forms import ConsentForm, ProposeReferralForm

Args = dict[str, Any]


class NotReplayable(Exception):
    """This use of a registered route cannot be replayed upstream (refused offline, 409)."""


@dataclass(frozen=True, kw_only=True)
class Capture:
    action: str
    args: Callable[[HttpRequest, Mapping[str, Any]], Args]


def _form_data(form_class: type[forms.BaseForm], data: Any, *, prefix: str | None = None) -> Args:
    """The raw values the form reads from `data` (lists for multiple choices), JSON-ready."""
    form = form_class(data=data, prefix=prefix)
    return {name: form[name].data for name in form.fields}


def _json(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body or b"{}")
    except ValueError:
        return {}


def _web_case_form(form_class: type[forms.BaseForm]) -> Callable[[HttpRequest, Mapping[str, Any]], Args]:
    def build(request: HttpRequest, kwargs: Mapping[str, Any]) -> Args:
        return {"case": str(kwargs["case_id"]), **_form_data(form_class, request.POST)}
    return build


def _api_case_body(schema: Any, *, exclude: set[str] | None = None) -> Callable[[HttpRequest, Mapping[str, Any]], Args]:
    def build(request: HttpRequest, kwargs: Mapping[str, Any]) -> Args:
        body = schema.model_validate(_json(request)).model_dump(exclude=exclude or set(), exclude_none=True)
        return {"case": str(kwargs["case_id"]), **body}
    return build


def _web_report(request: HttpRequest, kwargs: Mapping[str, Any]) -> Args:
    rows: dict[str, list[Args]] = {"survivors": [], "suspects": []}
    total_key = "{}-TOTAL_FORMS"
    for kind in rows:
        try:
            count = min(int(request.POST.get(total_key.format(kind), "0")), 20)
        except ValueError:
            count = 0
        for index in range(count):
            form = PersonForm(data=request.POST, prefix=f"{kind}-{index}")
            if form.has_changed():
                rows[kind].append({name: form[name].data for name in form.fields})
    return {"data": _form_data(CaseReportForm, request.POST), **rows}


def _api_party(request: HttpRequest, kwargs: Mapping[str, Any]) -> Args:
    body = _json(request)
    if isinstance(body, dict) and body.get("person_id"):
        raise NotReplayable("Linking a person from another case needs the upstream: do it when online.")
    return _api_case_body(PartyIn, exclude={"person_id"})(request, kwargs)


def _api_report(request: HttpRequest, kwargs: Mapping[str, Any]) -> Args:
    payload = CaseReportIn.model_validate(_json(request))
    return {"data": payload.model_dump(exclude={"survivors", "suspects"}),
            "survivors": [p.model_dump() for p in payload.survivors],
            "suspects": [p.model_dump() for p in payload.suspects]}


def _case(kwargs: Mapping[str, Any]) -> Case:
    return Case.objects.get(pk=kwargs["case_id"])


def _record_form(track: str, *, edit: bool) -> Callable[[HttpRequest, Mapping[str, Any]], Args]:
    """A pathway or prosecution record page: the kind's form reads the POST (it needs the case)."""
    def build(request: HttpRequest, kwargs: Mapping[str, Any]) -> Args:
        kind = record_kind(key=str(kwargs["kind"]), track=track)
        form = kind.form(data=request.POST, case=_case(kwargs))
        args: Args = {"case": str(kwargs["case_id"]), "kind": kind.key,
                      "data": {name: form[name].data for name in form.fields}}
        if edit:
            args["record"] = str(kwargs["record_id"])
        return args
    return build


def _api_record(*, edit: bool) -> Callable[[HttpRequest, Mapping[str, Any]], Args]:
    def build(request: HttpRequest, kwargs: Mapping[str, Any]) -> Args:
        args: Args = {"case": str(kwargs["case_id"]), "kind": str(kwargs["kind"]), "data": _json(request)}
        if edit:
            args["record"] = str(kwargs["record_id"])
        return args
    return build


def _move(source: Callable[[HttpRequest], Mapping[str, Any]]) -> Callable[[HttpRequest, Mapping[str, Any]], Args]:
    def build(request: HttpRequest, kwargs: Mapping[str, Any]) -> Args:
        return {"case": str(kwargs["case_id"]), "party": str(kwargs["party_id"]), "to": source(request).get("to", "")}
    return build


def _closure(source: Callable[[HttpRequest], Mapping[str, Any]], *, action: str | None = None) -> Capture:
    """Close or reopen: on the page one route does both (the case's state after the write tells which)."""
    def build(request: HttpRequest, kwargs: Mapping[str, Any]) -> Args:
        data = source(request)
        closed = bool(_case(kwargs).closure_outcome) if action is None else action == "close_case"
        if closed:
            return {"case": str(kwargs["case_id"]), "outcome": data.get("outcome", ""),
                    "reason": data.get("reason", "")}
        return {"case": str(kwargs["case_id"]), "reason": data.get("reason", "")}
    return Capture(action=action or "close_or_reopen", args=build)


def _post(request: HttpRequest) -> Mapping[str, Any]:
    return request.POST


def _body(request: HttpRequest) -> Mapping[str, Any]:
    body = _json(request)
    return body if isinstance(body, dict) else {}


def _case_fields(form_class: Any, source: Callable[[HttpRequest], Mapping[str, Any]], *, form: bool
                 ) -> Callable[[HttpRequest, Mapping[str, Any]], Args]:
    """A case-bound form (referral proposal, consent): the form's fields, read as the form reads them."""
    def build(request: HttpRequest, kwargs: Mapping[str, Any]) -> Args:
        if form:
            bound = form_class(data=request.POST, case=_case(kwargs))
            data = {name: bound[name].data for name in bound.fields}
        else:
            data = {k: v for k, v in source(request).items() if v is not None}
        return {"case": str(kwargs["case_id"]), **data}
    return build


Source = Callable[[HttpRequest], Mapping[str, Any]]


def _referral_move(source: Source) -> Callable[[HttpRequest, Mapping[str, Any]], Args]:
    def build(request: HttpRequest, kwargs: Mapping[str, Any]) -> Args:
        return {"referral": str(kwargs["referral_id"]), "message": source(request).get("message") or ""}
    return build


def _task(source: Callable[[HttpRequest], Mapping[str, Any]]) -> Callable[[HttpRequest, Mapping[str, Any]], Args]:
    def build(request: HttpRequest, kwargs: Mapping[str, Any]) -> Args:
        return {"task": str(kwargs["task_id"]), "note": source(request).get("note") or ""}
    return build


def referral_action(kwargs: Mapping[str, Any]) -> str:
    return f"{kwargs.get('verb', '')}_referral"


# (url name, method) -> the mutation it becomes. The action of "close_or_reopen" and of a referral move is
# settled after the write (see icmc.fieldnode.local.action_of).
CAPTURES: dict[tuple[str, str], Capture] = {
    ("web:case_report", "POST"): Capture(action="report_case", args=_web_report),
    ("web:case_add_note", "POST"): Capture(action="add_note", args=_web_case_form(NoteForm)),
    ("web:case_add_person", "POST"): Capture(action="add_party", args=_web_case_form(AddPartyForm)),
    ("web:case_fir", "POST"): Capture(action="record_fir", args=_web_case_form(FirForm)),
    ("web:pathway_add", "POST"): Capture(action="add_record", args=_record_form("pathway", edit=False)),
    ("web:pathway_edit", "POST"): Capture(action="correct_record", args=_record_form("pathway", edit=True)),
    ("web:prosecution_add", "POST"): Capture(action="add_record", args=_record_form("prosecution", edit=False)),
    ("web:prosecution_edit", "POST"): Capture(action="correct_record",
                                              args=_record_form("prosecution", edit=True)),
    ("web:pathway_move", "POST"): Capture(action="move_survivor", args=_move(_post)),
    ("web:case_closure", "POST"): _closure(_post),
    ("web:referral_propose", "POST"): Capture(action="propose_referral",
                                              args=_case_fields(ProposeReferralForm, _post, form=True)),
    ("web:referral_move", "POST"): Capture(action="referral_move", args=_referral_move(_post)),
    ("web:consent_record", "POST"): Capture(action="record_consent",
                                            args=_case_fields(ConsentForm, _post, form=True)),
    ("web:task_complete", "POST"): Capture(action="complete_task", args=_task(_post)),
    ("api:list_cases", "POST"): Capture(action="report_case", args=_api_report),
    ("api:add_note", "POST"): Capture(action="add_note", args=_api_case_body(NoteIn)),
    ("api:add_party", "POST"): Capture(action="add_party", args=_api_party),
    ("api:record_fir", "PUT"): Capture(action="record_fir", args=_api_case_body(FirIn)),
    ("api:add_record", "POST"): Capture(action="add_record", args=_api_record(edit=False)),
    ("api:correct_record", "PUT"): Capture(action="correct_record", args=_api_record(edit=True)),
    ("api:move", "POST"): Capture(action="move_survivor", args=_move(_body)),
    ("api:close", "POST"): _closure(_body, action="close_case"),
    ("api:reopen", "POST"): _closure(_body, action="reopen_case"),
    ("api:list_case_referrals", "POST"): Capture(action="propose_referral",
                                                 args=_case_fields(None, _body, form=False)),
    ("api:move_referral", "POST"): Capture(action="referral_move", args=_referral_move(_body)),
    ("api:list_consents", "POST"): Capture(action="record_consent", args=_case_fields(None, _body, form=False)),
    ("api:complete_task", "POST"): Capture(action="complete_task", args=_task(_body)),
}

# Writes that stay on the node and are not synced: signing in and out, the second factor, choosing a
# membership, and the node's own sync page. The sync push endpoint answers only nodes registered here (none on
# a field node: 401), so it is left to its own signature check.
LOCAL_ONLY: frozenset[str] = frozenset({
    "web:login", "web:logout", "web:switch_membership", "identity:verify", "identity:enrol", "identity:step_up",
    "fieldnode:sync_now", "api:push",
    # Reads sent by POST (the name searched must not be in a URL), and a user's own reading state.
    "web:person_search", "api:search_persons", "web:notification_read", "api:read_notification",
})
