"""The case page's 6R pathway and prosecution panels ({% pathway_panels case %}): gathers their read models and
the actor's permissions; the panels' template only shows them."""

from __future__ import annotations

from typing import Any

from django import template

from icmc.access.policy import Perm
from icmc.access.queries import sees_whole_case, visible_party_ids
from icmc.access.redaction import case_clearance
from icmc.cases.models import Case
from icmc.cases.queries import case_detail_queryset
from icmc.pathway.queries import rescue_operations, survivor_views
from icmc.prosecution.queries import prosecution_view
from icmc.web.views.common import holds_on_case
from icmc.web.views.present import display_name, rescue_place

register = template.Library()


@register.inclusion_tag("web/pathway_panels.html", takes_context=True)
def pathway_panels(context: dict[str, Any], case: Case) -> dict[str, Any]:
    actor = context["request"].actor
    can = {perm.name.lower(): holds_on_case(actor=actor, case=case, perm=perm)
           for perm in (Perm.RESCUE_RECORD, Perm.PATHWAY_RECORD, Perm.PROSECUTION_RECORD, Perm.CASE_CLOSE)}
    # Through a referral that shares part of the case: only the shared survivors, no rescues, no prosecution.
    whole = sees_whole_case(actor=actor, case=case)
    survivors = survivor_views(case=case, party_ids=None if whole else visible_party_ids(actor=actor, case=case))
    # Names are cut down here, server-side, by the one redaction function; the template only shows them.
    clearance = case_clearance(actor=actor, case=case)
    track = prosecution_view(case=case, detail=case_detail_queryset(case=case)) if whole else None
    return {"case": case, "can": can, "csrf_token": context.get("csrf_token"),
            "survivors": [(s, display_name(party=s.party, clearance=clearance)) for s in survivors],
            "rescues": [(op, rescue_place(op=op, clearance=clearance))
                        for op in (rescue_operations(case=case) if whole else [])], "track": track,
            "accused": [(a, display_name(party=a.accused.party, clearance=clearance))
                        for a in track.accused] if track else []}
