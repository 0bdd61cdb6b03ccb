"""Referral pages: propose, move (send, accept, decline, complete, withdraw) with a message, record consent,
and the list of referrals received. Thin: fetch through the access functions, parse with the shared forms,
call the actions."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput, NotFound
from icmc.access.policy import Perm
from icmc.access.queries import access_case
from icmc.identity.session import mfa_is_fresh
from icmc.identity.stepup import step_up_url
from icmc.privacy.actions import is_cross_border
from icmc.referrals.actions import do_propose_referral, do_record_consent, do_transition_referral
from icmc.referrals.codes import ReferralState
from icmc.referrals.forms import (
    ConsentForm,
    ProposeReferralForm,
    TransitionForm,
    parse_consent,
    parse_message,
    parse_propose,
)
from icmc.referrals.queries import access_referral, received_referrals, sides_of
from icmc.referrals.workflow import TRANSITIONS
from icmc.web.views.common import error_summary, html5_widgets, member_view, set_errors


def _case_url(case_id: uuid.UUID) -> str:
    return reverse("web:case_detail", kwargs={"case_id": case_id}) + "#referrals"


@require_http_methods(["GET", "POST"])
@member_view
def propose(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = access_case(actor=actor, case_id=case_id, perm=Perm.REFERRAL_SEND)
    form = ProposeReferralForm(data=request.POST if request.method == "POST" else None, case=case)
    if request.method == "POST":
        try:
            do_propose_referral(case, actor=actor, data=parse_propose(case=case, data=request.POST))
        except InvalidInput as exc:
            set_errors(form, exc.errors)
        else:
            messages.success(request, _("Referral proposed. Send it when ready."))
            return redirect(_case_url(case.id))
    return render(request, "web/referrals/propose.html", {
        "case": case, "form": form, "error_summary": error_summary(form) if form.is_bound else [],
    })


@require_http_methods(["GET", "POST"])
@member_view
def referral_detail(request: HttpRequest, actor: Actor, referral_id: uuid.UUID,
                    verb: str = "") -> HttpResponse:
    """The referral, its history, and (for `verb`) the form to move it with a message."""
    if verb and verb not in TRANSITIONS:
        raise NotFound
    referral = access_referral(actor=actor, referral_id=referral_id)
    form = TransitionForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not verb:
            raise NotFound
        stepped_up = mfa_is_fresh(request=request)
        if verb == "send" and is_cross_border(referral) and not stepped_up:
            return redirect(step_up_url(next_path=request.path))  # sending across a border needs step-up
        try:
            do_transition_referral(referral, actor=actor, verb=verb, message=parse_message(data=request.POST),
                                   stepped_up=stepped_up)
        except InvalidInput as exc:
            set_errors(form, exc.errors)
        else:
            messages.success(request, _("Referral: %(state)s.") % {
                "state": ReferralState(TRANSITIONS[verb].target).label})
            return redirect(reverse("web:referral_detail", kwargs={"referral_id": referral.id}))
    sides = sides_of(actor=actor, referral=referral)
    moves = [t for t in TRANSITIONS.values() if referral.state in t.sources and sides & t.sides]
    return render(request, "web/referrals/detail.html", {
        "referral": referral, "transitions": list(referral.transitions.select_related("actor", "organisation")),
        "moves": moves, "verb": TRANSITIONS.get(verb), "form": form,
        "cross_border": referral.state == ReferralState.PROPOSED and "send" in {m.verb for m in moves}
        and is_cross_border(referral),
        "error_summary": error_summary(form) if form.is_bound else [],
    })


@require_http_methods(["GET", "POST"])
@member_view
def record_consent(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = access_case(actor=actor, case_id=case_id, perm=Perm.CONSENT_RECORD)
    form = html5_widgets(ConsentForm(data=request.POST if request.method == "POST" else None, case=case))
    if request.method == "POST":
        try:
            do_record_consent(case, actor=actor, data=parse_consent(case=case, data=request.POST))
        except InvalidInput as exc:
            set_errors(form, exc.errors)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect(_case_url(case.id))
    return render(request, "web/referrals/consent.html", {
        "case": case, "form": form, "error_summary": error_summary(form) if form.is_bound else [],
    })


@require_GET
@member_view
def received(request: HttpRequest, actor: Actor) -> HttpResponse:
    state = request.GET.get("state") or None
    if state is not None and state not in ReferralState.values:
        state = None
    return render(request, "web/referrals/received.html", {
        "referrals": list(received_referrals(actor=actor, state=state)[:200]), "state": state,
        "states": ReferralState.choices, "current": "referrals_received",
    })


urlpatterns = [
    path("referrals/received/", received, name="referrals_received"),
    path("referrals/<uuid:referral_id>/", referral_detail, name="referral_detail"),
    path("referrals/<uuid:referral_id>/<slug:verb>/", referral_detail, name="referral_move"),
    path("cases/<uuid:case_id>/referrals/new/", propose, name="referral_propose"),
    path("cases/<uuid:case_id>/consents/new/", record_consent, name="consent_record"),
]
