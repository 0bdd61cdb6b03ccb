"""The page of duplicate candidates (/duplicates/): the open ones of which the reader may see a case, each side as
the reader may see it, and a decision (same person / not the same) per candidate."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.matching.actions import candidate_views, do_decide_duplicate_candidate, open_candidates
from icmc.web.views.common import member_view

PAGE_LIMIT = 200


@require_http_methods(["GET"])
@member_view
def duplicate_candidates(request: HttpRequest, actor: Actor) -> HttpResponse:
    rows = open_candidates(actor=actor, limit=PAGE_LIMIT)
    return render(request, "matching/candidates.html", {"views": candidate_views(actor=actor, candidates=rows)})


@require_POST
@member_view
def decide(request: HttpRequest, actor: Actor, candidate_id: uuid.UUID) -> HttpResponse:
    try:
        do_decide_duplicate_candidate(candidate_id, actor=actor, status=request.POST.get("status", ""))
    except InvalidInput as exc:
        messages.error(request, " ".join(str(m) for msgs in exc.errors.values() for m in msgs))
    else:
        messages.success(request, _("Decision recorded. Nothing was merged."))
    return redirect("web:duplicate_candidates")


urlpatterns = [
    path("duplicates/", duplicate_candidates, name="duplicate_candidates"),
    path("duplicates/<uuid:candidate_id>/decide/", decide, name="duplicate_decide"),
]
