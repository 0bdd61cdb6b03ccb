"""Session policy on every request (after authentication, django-otp and the actor):

- a session whose user was deactivated (Django then sees no user) is flushed;
- a session idle for more than 15 minutes, older than 10 hours, or whose chosen membership has ended is
  logged out (the request continues as anonymous, so pages send to the login page and the API answers 401);
- until the second factor is proved, every page except the MFA pages and logout redirects to the MFA step,
  and the API does not accept the session (401). API tokens are not sessions and are not affected;
- a verified session of a user who must register a passkey first (icmc.identity.passkeys, when
  ICMC_PASSKEYS_REQUIRED is on) is sent to the passkey page the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from icmc.access.membership import SESSION_KEY as MEMBERSHIP_KEY
from icmc.identity import session
from icmc.identity.passkeys import must_enrol

Handler = Callable[[HttpRequest], HttpResponse]
MFA_URL_NAMES = ("identity:verify", "identity:enrol", "web:logout", "otp_webauthn:credential-authentication-begin",
                 "otp_webauthn:credential-authentication-complete", "otp_webauthn:js-i18n-catalog")
PASSKEY_URL_NAMES = ("identity:passkey", "web:logout", "otp_webauthn:credential-registration-begin",
                     "otp_webauthn:credential-registration-complete", "otp_webauthn:js-i18n-catalog")


class SessionPolicyMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self._open_paths: frozenset[str] | None = None
        self._passkey_paths: frozenset[str] | None = None

    def open_paths(self) -> frozenset[str]:
        if self._open_paths is None:
            self._open_paths = frozenset(reverse(name) for name in MFA_URL_NAMES)
        return self._open_paths

    def passkey_paths(self) -> frozenset[str]:
        if self._passkey_paths is None:
            self._passkey_paths = frozenset(reverse(name) for name in PASSKEY_URL_NAMES)
        return self._passkey_paths

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            if request.session.get(AUTH_SESSION_KEY):
                request.session.flush()  # its user is no longer active: end the session server-side
            return self.get_response(request)
        if session.end_reason(request=request) or self._membership_ended(request):
            logout(request)
            request.actor = None  # type: ignore[attr-defined]
            return self.get_response(request)
        session.touch(request=request)
        if not session.is_verified(request=request):
            request.actor = None  # type: ignore[attr-defined]
            if request.path.startswith("/api/"):
                request.user = AnonymousUser()
            elif request.path not in self.open_paths() and not request.path.startswith(settings.STATIC_URL):
                return redirect(f"{reverse('identity:verify')}?{urlencode({'next': request.get_full_path()})}")
        elif must_enrol(request=request, user=request.user):  # type: ignore[arg-type]
            request.actor = None  # type: ignore[attr-defined]
            if request.path.startswith("/api/"):
                request.user = AnonymousUser()
            elif request.path not in self.passkey_paths() and not request.path.startswith(settings.STATIC_URL):
                return redirect(f"{reverse('identity:passkey')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _membership_ended(request: HttpRequest) -> bool:
        """The membership chosen in the session is no longer active (the actor fell back to another one)."""
        chosen = request.session.get(MEMBERSHIP_KEY)
        if not chosen:
            return False
        actor = getattr(request, "actor", None)
        return actor is None or str(actor.membership_id) != chosen
