"""Reporting a case: one page with the report, its survivors and its suspects. Blank person rows are
ignored; nothing is saved unless everything is valid."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.forms import BaseFormSet, formset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.access.policy import Perm
from icmc.access.queries import require_perm
from icmc.cases.actions import do_report_case
from icmc.cases.forms import CaseReportForm, PersonForm, parse_report
from icmc.web.views.case_page import case_url
from icmc.web.views.choices import jurisdiction_choices, person_widgets
from icmc.web.views.common import SummaryItem, error_summary, html5_widgets, member_view, set_errors

MAX_ROWS = 20
SurvivorFormSet = formset_factory(PersonForm, extra=3, max_num=MAX_ROWS, absolute_max=MAX_ROWS)
SuspectFormSet = formset_factory(PersonForm, extra=2, max_num=MAX_ROWS, absolute_max=MAX_ROWS)
_ROW_KEY = re.compile(r"^(survivors|suspects)(?:\[(\d+)\](?:\.(\w+))?)?$")
JURISDICTION_FIELDS = ("source_jurisdiction", "transit_jurisdiction", "destination_jurisdiction")


def _report_form(data: Any = None) -> CaseReportForm:
    initial = {"reported_at": timezone.localtime().replace(second=0, microsecond=0)}
    form = CaseReportForm(data=data, initial=initial)
    choices = jurisdiction_choices()
    for name in JURISDICTION_FIELDS:
        form.fields[name].widget.choices = choices
    html5_widgets(form)
    return form


def _formsets(data: Any = None) -> dict[str, BaseFormSet]:
    formsets = {"survivors": SurvivorFormSet(data=data, prefix="survivors"),
                "suspects": SuspectFormSet(data=data, prefix="suspects")}
    for formset in formsets.values():
        for form in formset.forms:
            person_widgets(html5_widgets(form))
    return formsets


def _filled(formset: BaseFormSet) -> tuple[list[dict[str, Any]], list[int]]:
    """The rows someone wrote in (as the unprefixed data parse_report takes), and their row numbers."""
    rows, positions = [], []
    for index, form in enumerate(formset.forms):
        if form.has_changed():
            rows.append({name: form[name].data for name in form.fields})
            positions.append(index)
    return rows, positions


def _show_errors(*, errors: dict[str, list[str]], form: CaseReportForm, formsets: dict[str, BaseFormSet],
                 positions: dict[str, list[int]]) -> dict[str, list[str]]:
    """Put each message next to its field: "survivors[0].name" goes to the first filled survivor row.
    Returns the messages about a whole list of people (e.g. no survivor named)."""
    form_errors: dict[str, list[str]] = {}
    row_errors: dict[tuple[str, int], dict[str, list[str]]] = defaultdict(dict)
    list_errors: dict[str, list[str]] = {}
    for key, msgs in errors.items():
        match = _ROW_KEY.match(key)
        if match is None:
            form_errors[key] = msgs
        elif match.group(2) is None:
            list_errors[match.group(1)] = msgs
        else:
            kind, filled_index, field = match.group(1), int(match.group(2)), match.group(3) or "__all__"
            row = positions[kind][filled_index] if filled_index < len(positions[kind]) else 0
            row_errors[(kind, row)][field] = msgs
    set_errors(form, form_errors)
    for kind, formset in formsets.items():
        for index, row_form in enumerate(formset.forms):
            set_errors(row_form, row_errors.get((kind, index), {}))
    return list_errors


def _summary(*, form: CaseReportForm, formsets: dict[str, BaseFormSet],
             list_errors: dict[str, list[str]]) -> list[SummaryItem]:
    items = error_summary(form)
    for kind, formset in formsets.items():
        for message in list_errors.get(kind, []):
            items.append(SummaryItem(label="", message=str(message), anchor=f"{kind}-section"))
        for index, row_form in enumerate(formset.forms):
            items.extend(error_summary(row_form, heading=_row_heading(kind, index)))
    return items


def _row_heading(kind: str, index: int) -> str:
    headings = {"survivors": _("Survivor %(number)d"), "suspects": _("Suspect %(number)d")}
    return headings[kind] % {"number": index + 1}


def _rows(formsets: dict[str, BaseFormSet]) -> dict[str, list[tuple[Any, bool, str]]]:
    """Each person row with whether it starts unfolded (the first survivor, and any row written in) and its
    heading."""
    return {kind: [(form, (kind == "survivors" and index == 0) or (form.is_bound and form.has_changed()),
                    _row_heading(kind, index))
                   for index, form in enumerate(formset.forms)]
            for kind, formset in formsets.items()}


@require_http_methods(["GET", "POST"])
@member_view
def report_case(request: HttpRequest, actor: Actor) -> HttpResponse:
    require_perm(actor=actor, perm=Perm.CASE_REPORT)
    if request.method != "POST":
        formsets = _formsets()
        return render(request, "web/case_report.html", {"form": _report_form(), "formsets": formsets,
                                                        "rows": _rows(formsets)})
    form, formsets = _report_form(request.POST), _formsets(request.POST)
    survivors, survivor_rows = _filled(formsets["survivors"])
    suspects, suspect_rows = _filled(formsets["suspects"])
    try:
        parsed = parse_report(data=request.POST, survivors=survivors, suspects=suspects)
    except InvalidInput as exc:
        list_errors = _show_errors(errors=exc.errors, form=form, formsets=formsets,
                                   positions={"survivors": survivor_rows, "suspects": suspect_rows})
        return render(request, "web/case_report.html", {
            "form": form, "formsets": formsets, "rows": _rows(formsets), "list_errors": list_errors,
            "error_summary": _summary(form=form, formsets=formsets, list_errors=list_errors),
        })
    case = do_report_case(parsed, actor=actor)
    messages.success(request, _("Case %(reference)s reported.") % {"reference": case.reference})
    return redirect(case_url(case))
