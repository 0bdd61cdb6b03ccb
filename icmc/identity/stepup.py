"""Step-up re-authentication: a sensitive action needs the second factor proved within the last 5 minutes.

Use `@step_up_required()` on a view (after the login/member decorators). Today it guards creating an API token;
it is meant for exports of identities, emergency access ("break the glass"), sharing a case across a border and
publishing an alert when those exist (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from icmc.identity.session import mfa_is_fresh

View = Callable[..., HttpResponse]


def step_up_url(*, next_path: str) -> str:
    return f"{reverse('identity:step_up')}?{urlencode({'next': next_path})}"


def step_up_required(*, methods: Iterable[str] | None = ("POST",)) -> Callable[[View], View]:
    """Send the user to re-enter their code first unless it was entered within the step-up window. With the
    default, only POSTs (the action itself) are guarded; `methods=None` guards every request."""
    guarded = None if methods is None else {m.upper() for m in methods}

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if (guarded is None or request.method in guarded) and not mfa_is_fresh(request=request):
                messages.info(request, _("Confirm it is you: enter a code from your authenticator app."))
                return redirect(step_up_url(next_path=request.path))
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def request_is_stepped_up(*, request: HttpRequest) -> bool:
    """For actions that need step-up outside a decorated page (the API): True only for a logged-in session
    whose second factor is fresh. A bearer-token call can never step up, even if it also carries a cookie."""
    if request.headers.get("Authorization"):
        return False
    return mfa_is_fresh(request=request)
