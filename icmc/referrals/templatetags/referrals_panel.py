"""{% referrals_panel case %}: the referrals section of the case page (web/referrals/_panel.html)."""

from __future__ import annotations

from typing import Any

from django import template

from icmc.access.policy import Perm
from icmc.cases.models import Case
from icmc.referrals.queries import case_referrals

register = template.Library()


@register.inclusion_tag("web/referrals/_panel.html", takes_context=True)
def referrals_panel(context: dict[str, Any], case: Case) -> dict[str, Any]:
    from icmc.web.views.common import holds_on_case

    actor = context.get("actor")
    if actor is None or actor.membership is None:
        return {"case": case, "referrals": []}
    rows = []
    for referral in case_referrals(actor=actor, case=case):
        steps = list(referral.transitions.all())
        last = next((s.message for s in reversed(steps) if s.message), "")
        rows.append({"referral": referral, "last_message": last})
    return {
        "case": case, "referrals": rows,
        "can_send": holds_on_case(actor=actor, case=case, perm=Perm.REFERRAL_SEND),
        "can_consent": holds_on_case(actor=actor, case=case, perm=Perm.CONSENT_RECORD),
    }
