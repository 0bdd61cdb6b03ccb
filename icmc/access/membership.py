"""Choosing the membership a user acts through, and building the Actor for a request."""

from __future__ import annotations

from django.http import HttpRequest

from icmc.access.actor import Actor
from icmc.accounts.models import Membership, User
from icmc.lib.context import request_memo

SESSION_KEY = "icmc_membership_id"


def active_memberships(*, user: User) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation", "organisation__jurisdiction")
        .order_by("created_at")
    )


def client_ip(*, request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def actor_for_session(*, request: HttpRequest, via: str = "web") -> Actor | None:
    """The actor of a logged-in session: the membership chosen in the session, else the user's first."""
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return None
    assert isinstance(user, User)
    # Read once per request (the web middleware and the API's session auth both ask), again after a write.
    memberships = request_memo(("active_memberships", user.pk), lambda: active_memberships(user=user))
    request._icmc_memberships = memberships  # type: ignore[attr-defined]  # for the page header (web.context)
    chosen = request.session.get(SESSION_KEY)
    membership = next((m for m in memberships if str(m.id) == chosen), memberships[0] if memberships else None)
    return Actor(user=user, membership=membership, via=via, request_id=getattr(request, "request_id", None),
                 ip=client_ip(request=request))
