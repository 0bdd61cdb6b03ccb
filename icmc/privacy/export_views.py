"""Pages of the CSV export of the case list (docs/privacy.md): choose the filters, download the CSV without
identities (after step-up), or ask for a two-person approval to export with identities."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.access.policy import Perm
from icmc.access.queries import require_perm
from icmc.identity.session import mfa_is_fresh
from icmc.identity.stepup import step_up_url
from icmc.privacy import kinds as K
from icmc.privacy.actions import do_request_approval
from icmc.privacy.export import Export, do_export_cases, filter_parameters
from icmc.web.views.cases import filter_form
from icmc.web.views.common import error_summary, member_view, set_errors


def csv_response(export: Export) -> HttpResponse:
    response = HttpResponse(export.content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.filename()}"'
    return response


def _page(request: HttpRequest, *, data: object, errors: dict[str, list[str]] | None = None,
          status: int = 200) -> HttpResponse:
    form = filter_form(data)  # type: ignore[arg-type]
    if errors:
        set_errors(form, errors)
    return render(request, "privacy/export.html", {
        "filter_form": form, "query": request.GET.urlencode(),
        "error_summary": error_summary(form) if errors else [], "reason_error": (errors or {}).get("reason"),
    }, status=status)


@require_GET
@member_view
def export_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    require_perm(actor=actor, perm=Perm.CASE_EXPORT)
    return _page(request, data=request.GET)


@require_GET
@member_view
def export_csv(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The CSV without identities; an export needs a fresh second factor (the filters survive the detour)."""
    require_perm(actor=actor, perm=Perm.CASE_EXPORT)
    if not mfa_is_fresh(request=request):
        return redirect(step_up_url(next_path=request.get_full_path()))
    try:
        export = do_export_cases(actor=actor, data=request.GET, stepped_up=True)
    except InvalidInput as exc:
        return _page(request, data=request.GET, errors=exc.errors, status=422)
    return csv_response(export)


@require_POST
@member_view
def request_identity_export(request: HttpRequest, actor: Actor) -> HttpResponse:
    require_perm(actor=actor, perm=Perm.CASE_EXPORT)
    try:
        approval = do_request_approval(actor=actor, kind=K.EXPORT_IDENTITIES, reason=request.POST.get("reason", ""),
                                       parameters=filter_parameters(request.POST))
    except InvalidInput as exc:
        return _page(request, data=request.POST, errors=exc.errors, status=422)
    messages.success(request, _("Asked. Once a state nodal officer approves it, download it once from the "
                                "approval's page."))
    return redirect(reverse("web:approval_detail", kwargs={"approval_id": approval.id}))


urlpatterns = [
    path("cases/export/", export_page, name="case_export"),
    path("cases/export.csv", export_csv, name="case_export_csv"),
    path("cases/export/identities/", request_identity_export, name="case_export_identities"),
]
