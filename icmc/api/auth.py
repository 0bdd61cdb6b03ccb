"""Who calls the API: a bearer token (acting through its own membership) or a logged-in session (acting
through the membership chosen in the session, CSRF-checked for unsafe methods). Either way the operation
receives an Actor with via="api" as `request.auth`."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from icmc.access.actor import Actor
from icmc.access.membership import actor_for_session, client_ip
from icmc.accounts.actions import TOKEN_PREFIX, token_digest
from icmc.accounts.models import ApiToken

# last_used_at is written at most this often per token, so that reads do not each cost a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
CSRF_FAILED = _("CSRF check failed: send the X-CSRFToken header with the token of your session.")


def _touch(token: ApiToken, *, now: datetime.datetime) -> None:
    """Note when the token was last used (bookkeeping, like a login time; not an audited change)."""
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)


def actor_for_token(*, request: HttpRequest, token: str) -> Actor | None:
    """The actor of a bearer token; None if the token is unknown or revoked, or its user, membership or
    organisation is no longer active."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    api_token = (
        ApiToken.objects.select_related("membership__user", "membership__organisation__jurisdiction")
        .filter(digest=token_digest(token=token), revoked_at__isnull=True, membership__is_active=True,
                membership__user__is_active=True, membership__organisation__is_active=True)
        .first()
    )
    if api_token is None:
        return None
    _touch(api_token, now=timezone.now())
    membership = api_token.membership
    return Actor(user=membership.user, membership=membership, via="api",
                 request_id=getattr(request, "request_id", None), ip=client_ip(request=request))


class TokenAuth(HttpBearer):
    """`Authorization: Bearer icmc_...`. A token that is sent but not valid is refused at once (401)."""

    def authenticate(self, request: HttpRequest, token: str) -> Actor:
        actor = actor_for_token(request=request, token=token.strip())
        if actor is None:
            raise AuthenticationError()
        return actor


class SessionAuth(APIKeyCookie):
    """The Django session of the web pages. Unsafe methods need the CSRF token (X-CSRFToken header)."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # The CSRF check runs in authenticate(), only for a logged-in session: without one the answer is 401.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        actor = actor_for_session(request=request, via="api")
        if actor is None:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, str(CSRF_FAILED))
        return actor


AUTH = [TokenAuth(), SessionAuth()]


def actor_of(request: HttpRequest) -> Actor:
    actor = getattr(request, "auth", None)
    if not isinstance(actor, Actor):  # every operation is authenticated; this is a wiring error
        raise AuthenticationError()
    return actor


def in_actor_time_zone(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run the operation in the time zone of the actor's organisation (dates such as "today" in input
    validation are the organisation's, as on the pages)."""

    @functools.wraps(func)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        actor = getattr(request, "auth", None)
        organisation = actor.organisation if isinstance(actor, Actor) else None
        zone = organisation.time_zone if organisation is not None else None
        if not zone:
            return func(request, *args, **kwargs)
        with timezone.override(ZoneInfo(zone)):
            return func(request, *args, **kwargs)

    return wrapper
