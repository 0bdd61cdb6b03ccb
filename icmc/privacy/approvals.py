"""Reading approval requests: who may see and decide which (docs/privacy.md). Fails closed: a request is visible
to the user who asked for it and to those who may decide it, and is NotFound for everyone else."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.utils import timezone

from icmc.access.actor import Actor
from icmc.access.errors import NotFound
from icmc.access.policy import Perm, Scope, scopes_for
from icmc.access.queries import visible_cases
from icmc.privacy.kinds import KINDS
from icmc.privacy.models import ApprovalRequest, ApprovalState

LIVE_STATES = (ApprovalState.PENDING, ApprovalState.APPROVED)


def state_of(approval: ApprovalRequest) -> str:
    """The state as read now: a pending or approved request past its time reads as expired."""
    if approval.state in LIVE_STATES and approval.expires_at <= timezone.now():
        return ApprovalState.EXPIRED
    return approval.state


def _active(actor: Actor) -> bool:
    return actor.membership is not None and actor.membership.is_active and actor.user.is_active


def decidable_q(*, actor: Actor) -> Q | None:
    """A filter on ApprovalRequest: the requests of kinds the actor's role decides, in the actor's scope."""
    if not _active(actor):
        return None
    scopes = scopes_for(role=actor.role, perm=Perm.APPROVAL_DECIDE)
    kinds = [key for key, kind in KINDS.items() if actor.role in kind.decider_roles]
    if not scopes or not kinds:
        return None
    q = Q(kind__in=kinds)
    if Scope.INSTALLATION in scopes:
        return q
    assert actor.membership is not None
    parts = Q(case__in=visible_cases(actor=actor, perm=Perm.APPROVAL_DECIDE, referred=False))
    state_id = actor.membership.organisation.jurisdiction.state_id
    if state_id is not None:  # requests about no case (exports): the requester's organisation is in the state
        parts |= Q(case__isnull=True, requested_organisation__jurisdiction__state_id=state_id)
    return q & parts


def requests_to_decide(*, actor: Actor) -> QuerySet[ApprovalRequest]:
    """Requests the actor may decide (another user's), newest first."""
    q = decidable_q(actor=actor)
    if q is None:
        return ApprovalRequest.objects.none()
    return (ApprovalRequest.objects.filter(q).exclude(requested_by_id=actor.user_id)
            .select_related("case", "requested_organisation", "requested_by"))


def my_requests(*, actor: Actor) -> QuerySet[ApprovalRequest]:
    return (ApprovalRequest.objects.filter(requested_by_id=actor.user_id)
            .select_related("case", "requested_organisation", "decided_by"))


def may_decide(*, actor: Actor, approval: ApprovalRequest) -> bool:
    q = decidable_q(actor=actor)
    return q is not None and ApprovalRequest.objects.filter(q, pk=approval.pk).exists()


def access_approval(*, actor: Actor, approval_id: uuid.UUID | str, lock: bool = False) -> ApprovalRequest:
    """The request, for its requester or someone who may decide it; NotFound for anyone else."""
    try:
        approval_uuid = approval_id if isinstance(approval_id, uuid.UUID) else uuid.UUID(str(approval_id))
    except ValueError as exc:
        raise NotFound from exc
    if not _active(actor):
        raise NotFound
    visible = Q(requested_by_id=actor.user_id)
    decidable = decidable_q(actor=actor)
    if decidable is not None:
        visible |= decidable
    qs = ApprovalRequest.objects.filter(visible, pk=approval_uuid)
    if lock:
        # Lock the row itself only (a join of the scope filter cannot be locked on PostgreSQL).
        if not qs.exists():
            raise NotFound
        qs = ApprovalRequest.objects.select_for_update(of=("self",)).filter(pk=approval_uuid)
    found = qs.select_related("case", "requested_organisation", "requested_by", "decided_by").first()
    if found is None:
        raise NotFound
    return found
