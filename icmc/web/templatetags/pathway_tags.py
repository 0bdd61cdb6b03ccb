"""The case page's 6R pathway and prosecution panels ({% pathway_panels case %}): gathers their read models and
the actor's permissions; the panels' template only shows them."""

from __future__ import annotations

from typing import Any

from django import template

from icmc.access.policy import Perm
from icmc.cases.models import Case
from icmc.pathway.queries import rescue_operations, survivor_views
from icmc.prosecution.queries import prosecution_view
from icmc.web.views.common import holds_on_case

register = template.Library()


@register.inclusion_tag("web/pathway_panels.html", takes_context=True)
def pathway_panels(context: dict[str, Any], case: Case) -> dict[str, Any]:
    actor = context["request"].actor
    can = {perm.name.lower(): holds_on_case(actor=actor, case=case, perm=perm)
           for perm in (Perm.RESCUE_RECORD, Perm.PATHWAY_RECORD, Perm.PROSECUTION_RECORD, Perm.CASE_CLOSE)}
    return {"case": case, "identity": context.get("identity", False), "survivors": survivor_views(case=case),
            "rescues": rescue_operations(case=case), "track": prosecution_view(case=case), "can": can,
            "csrf_token": context.get("csrf_token")}
