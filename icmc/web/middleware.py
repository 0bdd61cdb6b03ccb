"""Request id, the acting membership, the organisation's time zone, and no-store on authenticated pages."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from icmc.access import identity_reads
from icmc.access.denials import record_denial
from icmc.access.membership import actor_for_session
from icmc.lib.context import end_request_memo, new_request_id, reset_request_id, set_request_id, start_request_memo

Handler = Callable[[HttpRequest], HttpResponse]


class RequestIdMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_id(request_id)
        memo = start_request_memo()
        reads = identity_reads.start()
        try:
            response = self.get_response(request)
            if response.status_code < 500:  # one audit event if the answer reveals P0; no answer if it fails
                identity_reads.record_collected()
                record_denial(request=request, response=response)  # 403/404 to a logged-in user: access.denied
        finally:
            identity_reads.end(reads)
            end_request_memo(memo)
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response


class ActorMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        actor = actor_for_session(request=request)
        request.actor = actor  # type: ignore[attr-defined]
        zone = actor.membership.organisation.time_zone if actor and actor.membership else None
        if zone:
            timezone.activate(ZoneInfo(zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class NoStoreMiddleware:
    """Pages for a logged-in user and every API answer must not be kept by browsers or proxies."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
        return response
