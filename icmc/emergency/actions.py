"""Breaking the glass and reviewing it afterwards. Every grant is audited (`access.emergency_granted`) and
tells the owner organisation's case managers and the state's nodal officers; every review is audited
(`access.emergency_reviewed`). Texts carry the case reference and organisation names only."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput, NotFound
from icmc.access.policy import Perm, has_perm
from icmc.access.queries import require_perm
from icmc.accounts.models import Membership
from icmc.accounts.reference import Role
from icmc.audit.record import record_event
from icmc.deadlines.notify import notify
from icmc.emergency.models import EmergencyAccess
from icmc.emergency.scope import case_for_emergency

MIN_REASON = 20
DEFAULT_HOURS = 4
MAX_HOURS = 8


def parse_request(*, data: Mapping[str, object]) -> tuple[str, str, int]:
    """(reference, reason, hours) from a page's or the API's input; InvalidInput with field messages."""
    errors: dict[str, list[str]] = {}
    reference = str(data.get("reference") or "").strip()
    reason = str(data.get("reason") or "").strip()
    raw_hours = data.get("hours")
    if not reference:
        errors["reference"] = [str(_("Enter the case reference."))]
    if len(reason) < MIN_REASON:
        errors["reason"] = [str(_("Write why you need this case now (at least %(n)d characters).")
                                % {"n": MIN_REASON})]
    try:
        hours = DEFAULT_HOURS if raw_hours in (None, "") else int(str(raw_hours))
    except ValueError:
        hours = 0
    if not 1 <= hours <= MAX_HOURS:
        errors["hours"] = [str(_("Choose between 1 and %(n)d hours.") % {"n": MAX_HOURS})]
    if errors:
        raise InvalidInput(errors)
    return reference, reason, hours


@transaction.atomic
def do_grant_emergency_access(*, actor: Actor, reference: str, reason: str, hours: int = DEFAULT_HOURS
                              ) -> EmergencyAccess:
    """Read-only access to one case the actor cannot see, for `hours` (at most 8), for a written reason. The
    page asks for a fresh second factor first (step-up)."""
    require_perm(actor=actor, perm=Perm.EMERGENCY_REQUEST)
    reason = reason.strip()
    if len(reason) < MIN_REASON or not 1 <= hours <= MAX_HOURS:
        parse_request(data={"reference": reference, "reason": reason, "hours": hours})
    case = case_for_emergency(actor=actor, reference=reference)
    assert actor.membership is not None
    now = timezone.now()
    grant = EmergencyAccess(case=case, membership=actor.membership, reason=reason, granted_at=now,
                            expires_at=now + datetime.timedelta(hours=hours))
    grant.save()
    record_event(actor=actor, action="access.emergency_granted", object_type="emergency_access",
                 object_id=grant.id, case_id=case.id,
                 details={"hours": hours, "expires_at": grant.expires_at.isoformat()})
    values = {"case": case.reference, "organisation": actor.membership.organisation.name,
              "role": actor.membership.get_role_display(), "hours": hours}
    text = gettext("Emergency access to case %(case)s for %(hours)d hours by a %(role)s of %(organisation)s: "
                   "review it.") % values
    reviewers = _reviewer_user_ids(case_owner_id=case.owner_id, state_id=case.owner.jurisdiction.state_id)
    for user in get_user_model().objects.filter(pk__in=reviewers):
        notify(kind="emergency_access", case=case, user=user, text=text)
    return grant


def _reviewer_user_ids(*, case_owner_id: uuid.UUID, state_id: object) -> list[object]:
    """The active case managers of the owner and the active nodal officers of its state."""
    q = Q(organisation_id=case_owner_id, role=Role.CASE_MANAGER)
    if state_id is not None:
        q |= Q(organisation__jurisdiction__state_id=state_id, role=Role.STATE_NODAL_OFFICER)
    return list(Membership.objects.filter(q, is_active=True, user__is_active=True)
                .values_list("user_id", flat=True).distinct())


def grants_to_review(*, actor: Actor) -> QuerySet[EmergencyAccess]:
    """Emergency accesses to the cases of the actor's organisation (case managers) or state (nodal officers)."""
    if actor.membership is None or not has_perm(role=actor.role, perm=Perm.EMERGENCY_REVIEW):
        return EmergencyAccess.objects.none()
    org = actor.membership.organisation
    if actor.role == Role.STATE_NODAL_OFFICER:
        q = Q(case__owner__jurisdiction__state_id=org.jurisdiction.state_id)
    else:
        q = Q(case__owner_id=org.id)
    return (EmergencyAccess.objects.filter(q)
            .select_related("case", "membership__organisation", "membership__user", "reviewed_by"))


def my_grants(*, actor: Actor) -> QuerySet[EmergencyAccess]:
    return EmergencyAccess.objects.filter(membership=actor.membership).select_related("case")


@transaction.atomic
def do_review_emergency_access(grant_id: uuid.UUID | str, *, actor: Actor, note: str = "") -> EmergencyAccess:
    require_perm(actor=actor, perm=Perm.EMERGENCY_REVIEW)
    try:
        grant = grants_to_review(actor=actor).select_for_update(of=("self",)).get(pk=grant_id)
    except (EmergencyAccess.DoesNotExist, ValueError) as exc:
        raise NotFound from exc
    if grant.reviewed_at is None:
        grant.reviewed_at, grant.reviewed_by, grant.review_note = timezone.now(), actor.user, note.strip()[:1000]
        grant.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
        record_event(actor=actor, action="access.emergency_reviewed", object_type="emergency_access",
                     object_id=grant.id, case_id=grant.case_id)
    return grant
