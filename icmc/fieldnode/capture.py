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


# (url name, method) -> the mutation it becomes.
CAPTURES: dict[tuple[str, str], Capture] = {
    ("web:case_report", "POST"): Capture(action="report_case", args=_web_report),
    ("web:case_add_note", "POST"): Capture(action="add_note", args=_web_case_form(NoteForm)),
    ("web:case_add_person", "POST"): Capture(action="add_party", args=_web_case_form(AddPartyForm)),
    ("web:case_fir", "POST"): Capture(action="record_fir", args=_web_case_form(FirForm)),
    ("api:list_cases", "POST"): Capture(action="report_case", args=_api_report),
    ("api:add_note", "POST"): Capture(action="add_note", args=_api_case_body(NoteIn)),
    ("api:add_party", "POST"): Capture(action="add_party", args=_api_party),
    ("api:record_fir", "PUT"): Capture(action="record_fir", args=_api_case_body(FirIn)),
}

# Writes that stay on the node and are not synced: signing in and out, the second factor, choosing a
# membership, and the node's own sync page. The sync push endpoint answers only nodes registered here (none on
# a field node: 401), so it is left to its own signature check.
LOCAL_ONLY: frozenset[str] = frozenset({
    "web:login", "web:logout", "web:switch_membership", "identity:verify", "identity:enrol", "identity:step_up",
    "fieldnode:sync_now", "api:push",
})
