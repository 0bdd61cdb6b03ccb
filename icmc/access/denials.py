"""Auditing access denials (security.md item 18): a logged-in user (page session or API token) answered 403 or
404 on a route of this application records ONE `access.denied` event: the route pattern (never the path with its
query string), the method, the status, and the ids the URL carried. Missing and forbidden give the same answer to
the user; the trail keeps both, so that a reviewer can see someone probing case ids. Unknown URLs (no route) and
anonymous requests are not recorded (nothing was decided about a person's access). If the write fails, the request
fails, like every other audit write.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from icmc.access.actor import Actor

ACTION = "access.denied"
DENIED = frozenset({403, 404})
_MAX_VALUE = 64  # URL values kept in the trail: ids and codes, never free text


def _actor(request: HttpRequest) -> Actor | None:
    """The API's authenticated actor (session or token), else the page session's actor."""
    for candidate in (getattr(request, "auth", None), getattr(request, "actor", None)):
        if isinstance(candidate, Actor) and candidate.user_id is not None and candidate.membership is not None:
            return candidate
    return None


def record_denial(*, request: HttpRequest, response: HttpResponse) -> None:
    """Record `access.denied` for a 403/404 answer to a logged-in user on a known route."""
    from icmc.audit.record import record_event

    match = getattr(request, "resolver_match", None)
    if response.status_code not in DENIED or match is None:
        return
    actor = _actor(request)
    if actor is None:
        return
    ids: dict[str, Any] = {key: str(value)[:_MAX_VALUE] for key, value in sorted(match.kwargs.items())}
    case_id = ids.get("case_id", "")
    with transaction.atomic():
        record_event(actor=actor, action=ACTION, object_type="case" if case_id else "route", object_id=case_id,
                     details={"method": request.method, "route": match.route[:200], "status": response.status_code,
                              "ids": ids})
