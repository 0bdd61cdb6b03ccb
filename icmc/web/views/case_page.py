"""The case page, and the forms that add to a case: a note, a person, the FIR."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.access.policy import Perm, has_perm
from icmc.access.queries import access_case, in_own_scopes
from icmc.access.redaction import case_clearance
from icmc.cases.actions import do_add_note, do_add_party
from icmc.cases.forms import AddPartyForm, FirForm, NoteForm, parse_add_party, parse_fir, parse_note
from icmc.cases.models import Case
from icmc.cases.queries import case_detail_queryset
from icmc.cases.timeline import case_timeline
from icmc.prosecution.actions import do_record_fir
from icmc.prosecution.models import FIR
from icmc.referrals.coordination import who_does_what
from icmc.referrals.queries import case_referral_rows, shared_detail
from icmc.sync.queries import open_conflicts_of_case
from icmc.web.views.cases import exploitation_label
from icmc.web.views.choices import person_widgets
from icmc.web.views.common import error_summary, holds_on_case, html5_widgets, member_view, set_errors
from icmc.web.views.pathway_panel import pathway_panel
from icmc.web.views.present import fir_view, note_view, people_by_role, place_view, report_view, timeline_row


def _case_context(*, actor: Actor, case: Case, note_form: forms.Form | None = None) -> dict[str, Any]:
    detail = shared_detail(actor=actor, case=case, detail=case_detail_queryset(case=case))
    # What the reader receives of each field: decided here, server-side, once (icmc.access.redaction).
    clearance = case_clearance(actor=actor, case=case)
    can_note = holds_on_case(actor=actor, case=case, perm=Perm.CASE_ADD_NOTE)
    return {
        "case": case,
        "clearance": clearance,
        "report": report_view(case=case, clearance=clearance),
        "places": [place_view(place=p, clearance=clearance) for p in detail["places"]],
        "exploitation": sorted(exploitation_label(code) for code in detail["exploitation_types"]),
        "groups": people_by_role(parties=detail["parties"], clearance=clearance, today=timezone.localdate()),
        "identity_withheld": not clearance.identity,
        "firs": [fir_view(fir=f, clearance=clearance) for f in detail["firs"]],
        "notes": [note_view(note=n, clearance=clearance) for n in detail["notes"]],
        "timeline": [timeline_row(entry=entry) for entry in case_timeline(case=case)],
        "coordination": _coordination(actor=actor, case=case),
        # The referrals panel (web/referrals/_panel.html) and the pathway and prosecution panels.
        "referrals": case_referral_rows(actor=actor, case=case),
        "can_send": holds_on_case(actor=actor, case=case, perm=Perm.REFERRAL_SEND),
        "can_consent": holds_on_case(actor=actor, case=case, perm=Perm.CONSENT_RECORD),
        "pathway": pathway_panel(actor=actor, case=case),
        "can_note": can_note,
        "can_add_person": holds_on_case(actor=actor, case=case, perm=Perm.CASE_ADD_PERSON),
        "can_privacy_report": holds_on_case(actor=actor, case=case, perm=Perm.PRIVACY_REPORT),
        "can_record_fir": holds_on_case(actor=actor, case=case, perm=Perm.CASE_RECORD_FIR),
        # Counted in the query of the case (_get_case) for a role that may resolve conflicts somewhere.
        "open_conflicts": case.open_conflicts  # type: ignore[attr-defined]
        if holds_on_case(actor=actor, case=case, perm=Perm.CONFLICT_RESOLVE) else None,
        "note_form": note_form or (NoteForm() if can_note else None),
        "error_summary": error_summary(note_form) if note_form is not None and note_form.errors else [],
    }


def _coordination(*, actor: Actor, case: Case) -> dict[str, Any] | None:
    """The who-does-what panel, for those who see the whole case (not through a referral's partial share)."""
    if not in_own_scopes(actor=actor, case=case):
        return None
    # Seen through its own scopes, the actor sees every referral of the case: the referrals panel's rows.
    organisations, flags = who_does_what(case=case, today=timezone.localdate(),
                                         referrals=case_referral_rows(actor=actor, case=case))
    return {"organisations": organisations, "flags": flags}


def case_url(case: Case) -> str:
    return reverse("web:case_detail", kwargs={"case_id": case.id})


def _get_case(*, actor: Actor, case_id: uuid.UUID) -> Case:
    conflicts = {"open_conflicts": open_conflicts_of_case()} \
        if has_perm(role=actor.role, perm=Perm.CONFLICT_RESOLVE) else None
    return access_case(actor=actor, case_id=case_id, related=("source_ahtu", "destination_ahtu"),
                       annotations=conflicts)


@require_GET
@member_view
def case_detail(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = _get_case(actor=actor, case_id=case_id)
    return render(request, "web/case_detail.html", _case_context(actor=actor, case=case))


@require_POST
@member_view
def add_note(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = access_case(actor=actor, case_id=case_id, perm=Perm.CASE_ADD_NOTE)
    try:
        body = parse_note(data=request.POST)
    except InvalidInput as exc:
        form = set_errors(NoteForm(data=request.POST), exc.errors)
        case = _get_case(actor=actor, case_id=case_id)
        return render(request, "web/case_detail.html", _case_context(actor=actor, case=case, note_form=form))
    do_add_note(case, actor=actor, body=body)
    messages.success(request, _("Note added."))
    return redirect(f"{case_url(case)}#notes")


@require_http_methods(["GET", "POST"])
@member_view
def add_person(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = access_case(actor=actor, case_id=case_id, perm=Perm.CASE_ADD_PERSON)
    form = person_widgets(html5_widgets(AddPartyForm(data=request.POST) if request.method == "POST"
                                        else AddPartyForm()))
    if request.method == "POST":
        try:
            do_add_party(case, actor=actor, data=parse_add_party(data=request.POST))
        except InvalidInput as exc:
            set_errors(form, exc.errors)
        else:
            messages.success(request, _("Person added to the case."))
            return redirect(f"{case_url(case)}#people")
    return render(request, "web/case_add_person.html", {
        "case": case, "form": form, "error_summary": error_summary(form) if form.is_bound else [],
    })


def _fir_initial(case: Case) -> dict[str, Any]:
    fir = FIR.objects.filter(case=case).order_by("created_at").first()
    if fir is None:
        return {}
    return {"police_station": fir.police_station, "police_station_name": fir.police_station_name,
            "number": fir.number, "registered_on": fir.registered_on}


@require_http_methods(["GET", "POST"])
@member_view
def record_fir(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = access_case(actor=actor, case_id=case_id, perm=Perm.CASE_RECORD_FIR)
    if request.method == "POST":
        form = html5_widgets(FirForm(data=request.POST))
        try:
            do_record_fir(case, actor=actor, data=parse_fir(data=request.POST))
        except InvalidInput as exc:
            set_errors(form, exc.errors)
        else:
            messages.success(request, _("FIR details saved."))
            return redirect(f"{case_url(case)}#fir")
    else:
        form = html5_widgets(FirForm(initial=_fir_initial(case)))
    return render(request, "web/case_fir.html", {
        "case": case, "form": form, "error_summary": error_summary(form) if form.is_bound else [],
    })
