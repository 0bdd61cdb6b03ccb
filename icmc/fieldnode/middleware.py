"""On a field node, every write is either a registered mutation or refused.

A registered write (icmc.fieldnode.capture) runs its page or API route as usual, through the same action, inside
one transaction that also records the outbox entry: the local effect and the mutation to push commit together
or not at all. The rows the action creates get ids derived from (node, seq), the same the upstream derives when
it replays the mutation (icmc.lib.ids). Any other write gets 409 with the reason. On a centre this does nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from icmc.fieldnode.capture import CAPTURES, LOCAL_ONLY
from icmc.fieldnode.config import is_field_node
from icmc.fieldnode.local import record_local_write

Handler = Callable[[HttpRequest], HttpResponse]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def refuse(request: HttpRequest, message: str) -> HttpResponse:
    """409: the write cannot be done on this field node (JSON for the API, a page otherwise)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=409)
    return render(request, "fieldnode/refused.html", {"message": message}, status=409)


class FieldNodeMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS or not is_field_node():
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if match.view_name in LOCAL_ONLY:
            return self.get_response(request)
        capture = CAPTURES.get((match.view_name, request.method or ""))
        if capture is None:
            return refuse(request, _("This change cannot be made on a field node: it needs the upstream centre. "
                                     "Make it there, or when this node is online through the centre's pages."))
        return record_local_write(request=request, capture=capture, kwargs=match.kwargs,
                                  get_response=self.get_response, refuse=refuse)
