"""What the `emergency` scope reaches (read by icmc/access/queries.py): the cases of a membership's unexpired
emergency accesses. Kept apart from the actions so the access layer imports no action code."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icmc.access.errors import InvalidInput
from icmc.access.policy import Perm
from icmc.cases.models import Case
from icmc.emergency.models import EmergencyAccess

if TYPE_CHECKING:
    from icmc.access.actor import Actor


def emergency_case_ids(*, membership_id: uuid.UUID) -> list[uuid.UUID]:
    return list(EmergencyAccess.objects.filter(membership_id=membership_id, expires_at__gt=timezone.now())
                .values_list("case_id", flat=True).distinct())


def case_for_emergency(*, actor: Actor, reference: str) -> Case:
    """The case an emergency access is asked for, by its exact reference. The one place that fetches a case the
    actor cannot see: only for a role that may break the glass, and the action records it. NotFound when there
    is no such case, InvalidInput when the actor can already see it."""
    from icmc.access.queries import require_perm, visible_cases  # the access layer imports this module

    require_perm(actor=actor, perm=Perm.EMERGENCY_REQUEST)
    case = Case.objects.select_related("owner__jurisdiction").filter(reference=reference.strip()).first()
    if case is None or not reference.strip():
        raise InvalidInput({"reference": [str(_("No case has this reference."))]})
    if visible_cases(actor=actor).filter(pk=case.pk).exists():
        raise InvalidInput({"reference": [str(_("You can already see this case: open it from your case list."))]})
    return case
