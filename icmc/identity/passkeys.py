"""Passkeys (WebAuthn) as the second factor of privileged roles, through django-otp-webauthn.

Who must use one is data: icmc.access.policy.PASSKEY_ROLES (and superusers), when settings.ICMC_PASSKEYS_REQUIRED
is on. Such a user logs in with the password and then, the first time, the TOTP code (or a recovery code), and
is then sent to /account/mfa/passkey/ to register a passkey before anything else; from then on the second
factor is the passkey (TOTP codes are refused for them; recovery codes still work). The library's JSON views
are wrapped here so that a passkey is only ever a second factor (never passwordless), and so that enrolment,
logins, step-ups and failures are audited through icmc.identity.actions.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django_otp_webauthn import exceptions
from django_otp_webauthn import views as library
from django_otp_webauthn.models import WebAuthnCredential

from icmc.access.policy import PASSKEY_ROLES
from icmc.accounts.models import Membership, User
from icmc.identity import session
from icmc.identity.actions import Purpose, do_record_passkey_enrolled, do_record_passkey_use

# In the session once the user needs no (more) passkey enrolment, so the check costs no query per request.
PASSKEY_OK = "icmc_passkey_ok"


def relying_party_id(request: HttpRequest) -> str:
    """The passkeys' relying party id: ICMC_WEBAUTHN_RP_ID, else the request's host (validated against
    ALLOWED_HOSTS by Django) without its port."""
    configured = str(getattr(settings, "ICMC_WEBAUTHN_RP_ID", ""))
    return configured or request.get_host().rsplit(":", 1)[0]


def passkey_required(*, user: User) -> bool:
    if not settings.ICMC_PASSKEYS_REQUIRED:
        return False
    return bool(user.is_superuser) or Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True, role__in=PASSKEY_ROLES).exists()


def has_passkey(*, user_id: object) -> bool:
    return WebAuthnCredential.objects.filter(user_id=user_id, confirmed=True).exists()


def must_enrol(*, request: HttpRequest, user: User) -> bool:
    """A verified session whose user must register a passkey first (remembered in the session once not)."""
    if not settings.ICMC_PASSKEYS_REQUIRED or request.session.get(PASSKEY_OK):
        return False
    if passkey_required(user=user) and not has_passkey(user_id=user.pk):
        return True
    request.session[PASSKEY_OK] = True
    return False


def totp_refused(*, user: User) -> bool:
    """Users who must use a passkey and have one may not log in with a TOTP code instead."""
    return passkey_required(user=user) and has_passkey(user_id=user.pk)


def _actor(request: HttpRequest) -> Any:
    from icmc.identity.views import audit_actor

    return audit_actor(request=request, user=request.user)  # type: ignore[arg-type]


class CompleteRegistration(library.CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        response = super().post(*args, **kwargs)
        do_record_passkey_enrolled(actor=_actor(self.request))
        self.request.session[PASSKEY_OK] = True
        return response


class _SecondFactorOnly:
    request: HttpRequest

    def check_can_authenticate(self) -> None:
        """Never passwordless: the password step comes first."""
        if not self.request.user.is_authenticated:
            raise exceptions.NotAuthenticated()


class BeginAuthentication(_SecondFactorOnly, library.BeginCredentialAuthenticationView):
    pass


class CompleteAuthentication(_SecondFactorOnly, library.CompleteCredentialAuthenticationView):
    def _purpose(self) -> Purpose:
        return "step_up" if session.is_verified(request=self.request) else "login"

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, exceptions.OTPWebAuthnApiError) and self.request.user.is_authenticated:
            do_record_passkey_use(actor=_actor(self.request), purpose=self._purpose(), ok=False)
        return super().handle_exception(exc)

    def get_redirect_url(self) -> str:
        return super().get_redirect_url() or str(self.request.session.get(session.NEXT) or "")

    def complete_auth(self, device: Any) -> None:
        from icmc.identity.views import _finish_login

        request, user = self.request, self.request.user
        purpose = self._purpose()
        do_record_passkey_use(actor=_actor(request), purpose=purpose, ok=True)
        if purpose == "step_up":
            session.mark_stepped_up(request=request)
        else:
            session.mark_verified(request=request, device=device)
            _finish_login(request, user)  # type: ignore[arg-type]
        request.session[PASSKEY_OK] = True
