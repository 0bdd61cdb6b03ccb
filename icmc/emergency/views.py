"""Pages: ask for emergency access to one case (after a fresh second factor), and review the emergency accesses
to one's organisation's or state's cases."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.access.policy import Perm
from icmc.access.queries import require_perm
from icmc.cases.forms import TextField
from icmc.emergency.actions import (
    DEFAULT_HOURS,
    MAX_HOURS,
    do_grant_emergency_access,
    do_review_emergency_access,
    grants_to_review,
    my_grants,
    parse_request,
)
from icmc.identity.stepup import step_up_required
from icmc.web.views.common import error_summary, member_view, set_errors


class EmergencyForm(forms.Form):
    reference = TextField(max_length=40, required=True, label=gettext_lazy("Case reference"))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=True,
                             label=gettext_lazy("Why you need this case now"),
                             help_text=gettext_lazy("At least 20 characters. The owner and the state nodal "
                                                    "officer are told, and will review it."))
    hours = forms.TypedChoiceField(coerce=int, initial=DEFAULT_HOURS, label=gettext_lazy("For how long"),
                                   choices=[(h, gettext_lazy("%(n)d hours") % {"n": h})
                                            for h in range(1, MAX_HOURS + 1)])


@require_http_methods(["GET", "POST"])
@member_view
@step_up_required(methods=("POST",))  # breaking the glass needs a fresh second factor
def emergency_access(request: HttpRequest, actor: Actor) -> HttpResponse:
    require_perm(actor=actor, perm=Perm.EMERGENCY_REQUEST)
    form = EmergencyForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            reference, reason, hours = parse_request(data=request.POST.dict())
            grant = do_grant_emergency_access(actor=actor, reference=reference, reason=reason, hours=hours)
        except InvalidInput as exc:
            form.is_valid()
            set_errors(form, exc.errors)
        else:
            messages.warning(request, _("Emergency access granted until %(until)s. It is recorded and will be "
                                        "reviewed.") % {"until": grant.expires_at.strftime("%H:%M %Z")})
            return redirect(reverse("web:case_detail", kwargs={"case_id": grant.case_id}))
    return render(request, "emergency/request.html", {
        "form": form, "grants": my_grants(actor=actor)[:50],
        "error_summary": error_summary(form) if form.is_bound else [],
    })


@require_http_methods(["GET"])
@member_view
def emergency_review(request: HttpRequest, actor: Actor) -> HttpResponse:
    require_perm(actor=actor, perm=Perm.EMERGENCY_REVIEW)
    return render(request, "emergency/review.html", {"grants": grants_to_review(actor=actor)[:200]})


@require_POST
@member_view
def emergency_reviewed(request: HttpRequest, actor: Actor, grant_id: uuid.UUID) -> HttpResponse:
    do_review_emergency_access(grant_id, actor=actor, note=request.POST.get("note", ""))
    messages.success(request, _("Marked as reviewed."))
    return redirect("web:emergency_review")


urlpatterns = [
    path("emergency/", emergency_access, name="emergency_access"),
    path("emergency/review/", emergency_review, name="emergency_review"),
    path("emergency/<uuid:grant_id>/reviewed/", emergency_reviewed, name="emergency_reviewed"),
]
