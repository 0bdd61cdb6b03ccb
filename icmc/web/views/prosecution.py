"""Pages of the prosecution track (records through the shared record page) and closing / reopening a case."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.access.policy import Perm
from icmc.access.queries import access_case
from icmc.pathway.workflow import Refused
from icmc.prosecution.actions import do_close_case, do_reopen_case
from icmc.prosecution.forms import CloseCaseForm, ReopenCaseForm
from icmc.web.views.common import error_summary, member_view, set_errors
from icmc.web.views.pathway import case_anchor, record_page


@require_http_methods(["GET", "POST"])
@member_view
def prosecution_record(request: HttpRequest, actor: Actor, case_id: uuid.UUID, kind: str,
                       record_id: uuid.UUID | None = None) -> HttpResponse:
    return record_page(request, actor=actor, case_id=case_id, kind_key=kind, track="prosecution",
                       record_id=record_id)


@require_http_methods(["GET", "POST"])
@member_view
def close_case(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = access_case(actor=actor, case_id=case_id, perm=Perm.CASE_CLOSE)
    reopening = bool(case.closure_outcome)
    form_class = ReopenCaseForm if reopening else CloseCaseForm
    form = form_class(data=request.POST) if request.method == "POST" else form_class()
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise InvalidInput({k: [str(m) for m in v] for k, v in form.errors.items()})
            if reopening:
                do_reopen_case(case, actor=actor, reason=form.cleaned_data["reason"])
            else:
                do_close_case(case, actor=actor, outcome=form.cleaned_data["outcome"],
                              reason=form.cleaned_data["reason"])
        except InvalidInput as exc:
            set_errors(form, exc.errors)
        except Refused as exc:
            messages.error(request, str(exc.message))
            return redirect(case_anchor(case, "prosecution"))
        else:
            messages.success(request, _("Case reopened.") if reopening else _("Case closed."))
            return redirect(case_anchor(case, "prosecution"))
    return render(request, "web/pathway_close.html", {
        "case": case, "form": form, "reopening": reopening,
        "error_summary": error_summary(form) if form.is_bound else []})
