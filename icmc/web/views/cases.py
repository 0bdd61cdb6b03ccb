"""The case lists: "My cases" and "All cases" (with filters). No person names in a list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.accounts.reference import JurisdictionLevel, Role
from icmc.cases.codes import ExploitationType, PlaceKind
from icmc.cases.models import Case
from icmc.cases.queries import CaseFilterForm, CaseFilters, case_list, paginate, parse_filters
from icmc.web.views.choices import jurisdiction_choices
from icmc.web.views.common import error_summary, html5_widgets, member_view, set_errors
from icmc.web.widgets import FastSelect


def exploitation_label(code: str) -> str:
    try:
        return str(ExploitationType(code).label)
    except ValueError:
        return code


@dataclass(frozen=True, kw_only=True)
class CaseRow:
    """One line of a case list: jurisdiction names only, never the free-text place details."""

    case: Case
    exploitation: list[str]
    sources: list[str]
    destinations: list[str]


def case_rows(*, page: Page) -> list[CaseRow]:
    rows = []
    for case in page.object_list:
        places = list(case.places.all())
        rows.append(CaseRow(
            case=case,
            exploitation=sorted(exploitation_label(ref.code) for ref in case.exploitation_types.all()),
            sources=[p.jurisdiction.name for p in places if p.kind == PlaceKind.RECRUITMENT and p.jurisdiction],
            destinations=[p.jurisdiction.name for p in places
                          if p.kind == PlaceKind.EXPLOITATION and p.jurisdiction],
        ))
    return rows


def _page(request: HttpRequest, *, actor: Actor, filters: CaseFilters) -> Page:
    return paginate(queryset=case_list(actor=actor, filters=filters), page=request.GET.get("page"),
                    page_size=settings.ICMC_PAGE_SIZE)


@member_view
def my_cases(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Case managers: the cases they manage. Everyone else: the cases they may see."""
    mine = actor.role == Role.CASE_MANAGER
    page = _page(request, actor=actor, filters=CaseFilters(mine=mine))
    return render(request, "web/case_list.html", {
        "title": _("My cases"), "page": page, "rows": case_rows(page=page), "filter_form": None,
        "intro": _("The cases you manage.") if mine else _("The cases you may see."),
    })


def filter_form(data: Mapping[str, Any]) -> CaseFilterForm:
    form = CaseFilterForm(data=data)
    del form.fields["mine"]
    for field, level, blank in (("state", JurisdictionLevel.STATE, _("Any state")),
                                ("district", JurisdictionLevel.DISTRICT, _("Any district"))):
        choices = jurisdiction_choices(levels={level}, blank=str(blank))
        form.fields[field].widget = FastSelect(choices=choices, memo=choices)
    html5_widgets(form)
    return form


@member_view
def all_cases(request: HttpRequest, actor: Actor) -> HttpResponse:
    data = request.GET.copy()
    data.pop("mine", None)  # "My cases" is its own page
    form = filter_form(data)
    context: dict[str, object] = {"title": _("All cases"), "filter_form": form, "page": None, "rows": []}
    try:
        filters = parse_filters(data=data)
    except InvalidInput as exc:
        set_errors(form, exc.errors)
        context["error_summary"] = error_summary(form)
        return render(request, "web/case_list.html", context, status=400)
    page = _page(request, actor=actor, filters=filters)
    context.update(page=page, rows=case_rows(page=page))
    return render(request, "web/case_list.html", context)
