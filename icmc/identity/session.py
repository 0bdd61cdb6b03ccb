"""What the session remembers about authentication: when the user logged in, when they were last seen, when
they last proved their second factor. Times are epoch seconds (the session is JSON)."""

from __future__ import annotations

import time

import django_otp
from django.conf import settings
from django.http import HttpRequest
from django_otp.models import Device

LOGIN_AT = "icmc_login_at"
SEEN_AT = "icmc_seen_at"
MFA_AT = "icmc_mfa_at"
NEXT = "icmc_mfa_next"
PENDING_TOTP_KEY = "icmc_totp_pending_key"
# last-activity is written at most this often, so that reading pages does not each cost a session write
SEEN_RESOLUTION = 60


def now() -> int:
    return int(time.time())


def idle_seconds() -> int:
    return int(settings.ICMC_SESSION_IDLE_SECONDS)


def absolute_seconds() -> int:
    return int(settings.ICMC_SESSION_ABSOLUTE_SECONDS)


def start(*, request: HttpRequest) -> None:
    """Right after the password: the absolute lifetime counts from here."""
    stamp = now()
    request.session[LOGIN_AT] = stamp
    request.session[SEEN_AT] = stamp
    request.session.set_expiry(idle_seconds())


def end_reason(*, request: HttpRequest) -> str | None:
    """'idle' or 'absolute' if the session has run out, else None."""
    stamp = now()
    login_at = request.session.get(LOGIN_AT)
    seen_at = request.session.get(SEEN_AT)
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        return None  # a session made by another login path (the admin's): start() is called for it
    if stamp - seen_at > idle_seconds():
        return "idle"
    if stamp - login_at > absolute_seconds():
        return "absolute"
    return None


def touch(*, request: HttpRequest) -> None:
    """Slide the idle timeout (in the session and in the server-side expiry of the session row)."""
    seen_at = request.session.get(SEEN_AT)
    if not isinstance(seen_at, int) or not isinstance(request.session.get(LOGIN_AT), int):
        start(request=request)
    elif now() - seen_at >= SEEN_RESOLUTION:
        request.session[SEEN_AT] = now()
        request.session.set_expiry(idle_seconds())


def is_verified(*, request: HttpRequest) -> bool:
    """Whether the logged-in user has proved their second factor in this session (django-otp's marker)."""
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def mark_verified(*, request: HttpRequest, device: Device) -> None:
    """The second factor is proved: a new session id, django-otp's device marker, the time (for step-up)."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session[MFA_AT] = now()


def mark_stepped_up(*, request: HttpRequest) -> None:
    request.session[MFA_AT] = now()


def mfa_is_fresh(*, request: HttpRequest) -> bool:
    """Whether the second factor was proved within the step-up window (5 minutes)."""
    mfa_at = request.session.get(MFA_AT)
    return (is_verified(request=request) and isinstance(mfa_at, int)
            and now() - mfa_at <= int(settings.ICMC_STEP_UP_SECONDS))
