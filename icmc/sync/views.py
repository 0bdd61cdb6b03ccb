"""The conflict inbox of a case: the values not in effect after concurrent offline edits, for the case's owner
to keep or apply (docs/sync.md, "Conflicts")."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.access.queries import access_case
from icmc.pathway.workflow import Refused
from icmc.sync.actions import access_conflict, case_conflicts, do_resolve_conflict
from icmc.sync.conflicts import values_of
from icmc.sync.models import ConflictRecord
from icmc.web.views.common import member_view


def _row(conflict: ConflictRecord) -> dict[str, Any]:
    return {"conflict": conflict, "values": sorted(values_of(conflict).items())}


@require_GET
@member_view
def conflicts(request: HttpRequest, actor: Actor, case_id: uuid.UUID) -> HttpResponse:
    case = access_case(actor=actor, case_id=case_id)
    rows = case_conflicts(actor=actor, case=case, open_only=False)
    return render(request, "sync/conflicts.html", {
        "case": case, "open": [_row(c) for c in rows if c.status == "open"],
        "resolved": [_row(c) for c in rows if c.status != "open"][-50:]})


@require_POST
@member_view
def resolve(request: HttpRequest, actor: Actor, case_id: uuid.UUID, conflict_id: uuid.UUID) -> HttpResponse:
    conflict = access_conflict(actor=actor, conflict_id=conflict_id)
    if conflict.case_id != case_id:
        return redirect("web:case_conflicts", case_id=case_id)
    try:
        do_resolve_conflict(conflict, actor=actor, choice=request.POST.get("choice", ""))
    except InvalidInput as exc:
        messages.error(request, " ".join(str(m) for msgs in exc.errors.values() for m in msgs))
    except Refused as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Conflict resolved."))
    return redirect("web:case_conflicts", case_id=case_id)


urlpatterns = [
    path("cases/<uuid:case_id>/conflicts/", conflicts, name="case_conflicts"),
    path("cases/<uuid:case_id>/conflicts/<uuid:conflict_id>/resolve/", resolve, name="case_conflict_resolve"),
]
