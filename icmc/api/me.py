"""Who am I: the user, the membership the request acts through, what its role may do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from icmc.access.membership import active_memberships
from icmc.access.policy import Perm, has_perm
from icmc.api import serialise
from icmc.api.auth import actor_of
from icmc.api.schemas import ErrorOut, MeOut

router = Router(tags=["me"])


@router.get(
    "", response={200: MeOut, 401: ErrorOut}, summary="The calling user and membership",
    description="A token acts through the membership it was made for; a session through the membership "
                "chosen on the pages. `permissions` are the named permissions the role holds (in some scope).",
)
def me(request: HttpRequest) -> dict[str, Any]:
    actor = actor_of(request)
    user = actor.user
    return {
        "user": {"id": user.id, "username": user.username, "full_name": user.get_full_name()},
        "membership": serialise.membership(actor.membership) if actor.membership else None,
        "permissions": [str(perm) for perm in Perm if has_perm(role=actor.role, perm=perm)],
        "memberships": [serialise.membership(m) for m in active_memberships(user=user)],
    }
