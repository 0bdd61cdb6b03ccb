"""Pages of the survivor pathway: add or correct a record of any kind (one page, the kind's form), and move a
survivor to the next stage (a refusal is shown as a message with the reason)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput, NotFound
from icmc.access.queries import access_case
from icmc.access.redaction import case_clearance
from icmc.cases.codes import PartyRole
from icmc.cases.models import Case, CaseParty
from icmc.pathway.actions import do_add_record, do_correct_record, do_move_survivor
from icmc.pathway.records import get_record, parse_record, record_kind
from icmc.pathway.workflow import Refused
from icmc.web.views.common import error_summary, html5_widgets, member_view, set_errors

ANCHORS = {"pathway": "pathway", "prosecution": "prosecution"}


def case_anchor(case: Case, anchor: str) -> str:
    return f"{reverse('web:case_detail', kwargs={'case_id': case.id})}#{anchor}"


def record_page(request: HttpRequest, *, actor: Actor, case_id: uuid.UUID, kind_key: str, track: str,
                record_id: uuid.UUID | None) -> HttpResponse:
    kind = record_kind(key=kind_key, track=track)
    case = access_case(actor=actor, case_id=case_id, perm=kind.perm)
    record = get_record(kind=kind, case=case, record_id=record_id) if record_id else None
    if record is None and not kind.creatable:
        raise NotFound
    # Persons in the form's choices are named only as the one redaction function allows for this reader.
    clearance = case_clearance(actor=actor, case=case)
    if request.method == "POST":
        try:
            data = parse_record(kind=kind, case=case, data=request.POST, record=record)
            if record is None:
                do_add_record(case, actor=actor, data=data)
            else:
                do_correct_record(record, actor=actor, data=data)
        except InvalidInput as exc:
            form = set_errors(kind.form(data=request.POST, case=case, instance=record, clearance=clearance),
                              exc.errors)
        except Refused as exc:
            messages.error(request, str(exc.message))
            return redirect(case_anchor(case, ANCHORS[track]))
        else:
            messages.success(request, _("%(record)s saved.") % {"record": kind.label})
            return redirect(case_anchor(case, ANCHORS[track]))
    else:
        initial: dict[str, Any] = {}
        if record is None and request.GET.get("party"):
            initial["party"] = request.GET["party"]
        form = kind.form(case=case, instance=record, initial=initial, clearance=clearance)
    return render(request, "web/pathway_record.html", {
        "case": case, "kind": kind, "record": record, "form": html5_widgets(form),
        "error_summary": error_summary(form) if form.is_bound else [],
    })


@require_http_methods(["GET", "POST"])
@member_view
def pathway_record(request: HttpRequest, actor: Actor, case_id: uuid.UUID, kind: str,
                   record_id: uuid.UUID | None = None) -> HttpResponse:
    return record_page(request, actor=actor, case_id=case_id, kind_key=kind, track="pathway", record_id=record_id)


@require_POST
@member_view
def move_survivor(request: HttpRequest, actor: Actor, case_id: uuid.UUID, party_id: uuid.UUID) -> HttpResponse:
    case = access_case(actor=actor, case_id=case_id)
    party = CaseParty.objects.filter(case=case, pk=party_id, role=PartyRole.SURVIVOR).first()
    if party is None:
        raise NotFound
    try:
        do_move_survivor(party, actor=actor, target=request.POST.get("to", ""))
    except Refused as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Survivor moved to the next stage."))
    return redirect(case_anchor(case, f"survivor-{party.id}"))
