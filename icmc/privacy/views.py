"""Pages of icmc/privacy: approvals (ask, decide, carry out), a person's privacy page (what we hold, holds,
erasure) and legal holds. Thin: fetch through the access functions, call the actions. Deciding and carrying out
need a fresh second factor (step-up)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput, NotFound
from icmc.access.policy import Perm
from icmc.access.queries import perms_on_case
from icmc.identity.session import mfa_is_fresh
from icmc.identity.stepup import step_up_required
from icmc.privacy import kinds as K
from icmc.privacy.actions import (
    do_decide_approval,
    do_erase_person,
    do_place_hold,
    do_release_hold,
    do_request_approval,
)
from icmc.privacy.approvals import access_approval, may_decide, my_requests, requests_to_decide, state_of
from icmc.privacy.export import do_export_identities
from icmc.privacy.export_views import csv_response
from icmc.privacy.export_views import urlpatterns as export_urls
from icmc.privacy.models import ApprovalState, LegalHold
from icmc.privacy.report import access_person_in_case, do_report_person_data
from icmc.referrals.queries import access_referral
from icmc.web.views.common import error_summary, member_view, set_errors


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("Reason"),
                             help_text=gettext_lazy("At least 10 characters. Never write the person's name."))


class DecisionForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           label=gettext_lazy("Note (required to refuse)"))


def _approval_url(approval_id: uuid.UUID) -> str:
    return reverse("web:approval_detail", kwargs={"approval_id": approval_id})


@require_GET
@member_view
def approvals(request: HttpRequest, actor: Actor) -> HttpResponse:
    mine = list(my_requests(actor=actor)[:100])
    to_decide = list(requests_to_decide(actor=actor)[:200])
    for row in mine + to_decide:
        row.current_state = state_of(row)  # type: ignore[attr-defined]
        row.kind_label = K.KINDS[row.kind].label  # type: ignore[attr-defined]
    return render(request, "privacy/approvals.html", {"mine": mine, "to_decide": to_decide,
                                                      "current": "approvals"})


def _detail(request: HttpRequest, actor: Actor, approval_id: uuid.UUID, *, form: DecisionForm | None = None,
            status: int = 200) -> HttpResponse:
    approval = access_approval(actor=actor, approval_id=approval_id)
    form = form or DecisionForm()
    state = state_of(approval)
    return render(request, "privacy/approval_detail.html", {
        "approval": approval, "state": state, "kind": K.KINDS[approval.kind],
        "state_label": ApprovalState(state).label, "form": form,
        "can_decide": state == ApprovalState.PENDING and approval.requested_by_id != actor.user_id
        and may_decide(actor=actor, approval=approval),
        "can_execute": state == ApprovalState.APPROVED and approval.requested_by_id == actor.user_id
        and approval.requested_membership_id == actor.membership_id,
        "error_summary": error_summary(form) if form.is_bound else [],
    }, status=status)


@require_GET
@member_view
def approval_detail(request: HttpRequest, actor: Actor, approval_id: uuid.UUID) -> HttpResponse:
    return _detail(request, actor, approval_id)


@require_POST
@member_view
@step_up_required(methods=("POST",))
def approval_decide(request: HttpRequest, actor: Actor, approval_id: uuid.UUID) -> HttpResponse:
    form = DecisionForm(data=request.POST)
    approve = request.POST.get("decision") == "approve"
    if request.POST.get("decision") not in ("approve", "refuse"):
        form.is_valid()
        set_errors(form, {"note": [_("Choose to approve or to refuse.")]})
        return _detail(request, actor, approval_id, form=form, status=422)
    try:
        do_decide_approval(approval_id, actor=actor, approve=approve, note=request.POST.get("note", ""),
                           stepped_up=mfa_is_fresh(request=request))
    except InvalidInput as exc:
        form.is_valid()
        set_errors(form, exc.errors)
        return _detail(request, actor, approval_id, form=form, status=422)
    messages.success(request, _("Approved. The person who asked may now carry it out.") if approve
                     else _("Refused."))
    return redirect(_approval_url(approval_id))


@require_POST
@member_view
@step_up_required(methods=("POST",))
def approval_execute(request: HttpRequest, actor: Actor, approval_id: uuid.UUID) -> HttpResponse:
    approval = access_approval(actor=actor, approval_id=approval_id)
    if approval.kind == K.CROSS_BORDER_REFERRAL and approval.referral_id:  # carried out by sending it
        return redirect(reverse("web:referral_move", kwargs={"referral_id": approval.referral_id, "verb": "send"}))
    if approval.kind not in (K.ERASE_PERSON, K.EXPORT_IDENTITIES):
        raise NotFound
    try:
        if approval.kind == K.EXPORT_IDENTITIES:  # the download, once
            return csv_response(do_export_identities(approval_id, actor=actor,
                                                     stepped_up=mfa_is_fresh(request=request)))
        do_erase_person(approval_id, actor=actor, stepped_up=mfa_is_fresh(request=request))
    except InvalidInput as exc:
        form = DecisionForm(data={})
        form.is_valid()
        set_errors(form, exc.errors)
        return _detail(request, actor, approval_id, form=form, status=422)
    messages.success(request, _("The person's key is destroyed: their names and phones now read [erased]."))
    return redirect(_approval_url(approval_id))


# --- a person's privacy page ------------------------------------------------------------------------------


def _person_page(request: HttpRequest, actor: Actor, case_id: uuid.UUID, person_id: uuid.UUID, *,
                 erase_form: ReasonForm | None = None, hold_form: ReasonForm | None = None,
                 status: int = 200) -> HttpResponse:
    report = do_report_person_data(actor=actor, case_id=case_id, person_id=person_id)
    held = perms_on_case(actor=actor, case=report.case)
    erase_form = erase_form or ReasonForm(prefix="erase")
    hold_form = hold_form or ReasonForm(prefix="hold")
    summary = [*(error_summary(erase_form) if erase_form.is_bound else []),
               *(error_summary(hold_form) if hold_form.is_bound else [])]
    return render(request, "privacy/person.html", {
        "report": report, "case": report.case, "erase_form": erase_form, "hold_form": hold_form,
        "can_request_erasure": Perm.PERSON_ERASE_REQUEST in held and not report.erased,
        "can_manage_holds": Perm.HOLD_MANAGE in held, "error_summary": summary,
        "approval_kinds": {k: v.label for k, v in K.KINDS.items()},
    }, status=status)


@require_GET
@member_view
def person_privacy(request: HttpRequest, actor: Actor, case_id: uuid.UUID, person_id: uuid.UUID) -> HttpResponse:
    return _person_page(request, actor, case_id, person_id)


@require_POST
@member_view
def request_erasure(request: HttpRequest, actor: Actor, case_id: uuid.UUID, person_id: uuid.UUID) -> HttpResponse:
    case, person = access_person_in_case(actor=actor, case_id=case_id, person_id=person_id,
                                         perm=Perm.PERSON_ERASE_REQUEST)
    form = ReasonForm(prefix="erase", data=request.POST)
    try:
        approval = do_request_approval(actor=actor, kind=K.ERASE_PERSON, case=case, person=person,
                                       reason=request.POST.get("erase-reason", ""))
    except InvalidInput as exc:
        form.is_valid()
        set_errors(form, exc.errors)
        return _person_page(request, actor, case_id, person_id, erase_form=form, status=422)
    messages.success(request, _("Erasure requested. A state nodal officer or an administrator must approve it; "
                                "then you carry it out."))
    return redirect(_approval_url(approval.id))


@require_POST
@member_view
def place_hold(request: HttpRequest, actor: Actor, case_id: uuid.UUID, person_id: uuid.UUID) -> HttpResponse:
    case, person = access_person_in_case(actor=actor, case_id=case_id, person_id=person_id,
                                         perm=Perm.HOLD_MANAGE)
    form = ReasonForm(prefix="hold", data=request.POST)
    on_case = request.POST.get("hold-scope") == "case"
    try:
        do_place_hold(case, actor=actor, person=None if on_case else person,
                      reason=request.POST.get("hold-reason", ""))
    except InvalidInput as exc:
        form.is_valid()
        set_errors(form, exc.errors)
        return _person_page(request, actor, case_id, person_id, hold_form=form, status=422)
    messages.success(request, _("Legal hold placed."))
    return redirect(reverse("web:person_privacy", kwargs={"case_id": case.id, "person_id": person.id}))


@require_POST
@member_view
def release_hold(request: HttpRequest, actor: Actor, hold_id: uuid.UUID) -> HttpResponse:
    try:
        hold = do_release_hold(hold_id, actor=actor, reason=request.POST.get("reason", ""))
    except InvalidInput as exc:
        messages.error(request, " ".join(str(m) for ms in exc.errors.values() for m in ms))
        hold = LegalHold.objects.get(pk=hold_id)
    else:
        messages.success(request, _("Legal hold released."))
    back: dict[str, Any] = {"case_id": hold.case_id, "person_id": request.POST.get("person_id") or hold.person_id}
    if back["person_id"] is None:
        return redirect(reverse("web:case_detail", kwargs={"case_id": hold.case_id}))
    return redirect(reverse("web:person_privacy", kwargs=back))


@require_POST
@member_view
def request_cross_border(request: HttpRequest, actor: Actor, referral_id: uuid.UUID) -> HttpResponse:
    referral = access_referral(actor=actor, referral_id=referral_id)
    try:
        approval = do_request_approval(actor=actor, kind=K.CROSS_BORDER_REFERRAL, referral=referral,
                                       reason=request.POST.get("reason", ""))
    except InvalidInput as exc:
        messages.error(request, " ".join(str(m) for ms in exc.errors.values() for m in ms))
        return redirect(reverse("web:referral_detail", kwargs={"referral_id": referral.id}))
    messages.success(request, _("Approval requested. Send the referral once a state nodal officer approves it."))
    return redirect(_approval_url(approval.id))


urlpatterns = [
    *export_urls,
    path("approvals/", approvals, name="approvals"),
    path("approvals/<uuid:approval_id>/", approval_detail, name="approval_detail"),
    path("approvals/<uuid:approval_id>/decide/", approval_decide, name="approval_decide"),
    path("approvals/<uuid:approval_id>/execute/", approval_execute, name="approval_execute"),
    path("approvals/new/referral/<uuid:referral_id>/", request_cross_border, name="approval_cross_border"),
    path("cases/<uuid:case_id>/persons/<uuid:person_id>/privacy/", person_privacy, name="person_privacy"),
    path("cases/<uuid:case_id>/persons/<uuid:person_id>/erase/", request_erasure, name="person_erase"),
    path("cases/<uuid:case_id>/persons/<uuid:person_id>/holds/", place_hold, name="person_hold"),
    path("holds/<uuid:hold_id>/release/", release_hold, name="hold_release"),
]
