"""Test-only: sessions made by `Client.force_login` / `Client.login` count as having proved the second factor,
the way django-otp marks a verified session (`django_otp.login(request, device)` puts the device's persistent
id in the session). Production code has no such shortcut: the real login (password, then the code) is tested
in tests/security and tests/web/test_browser.py.

Registered for the whole suite by /work/main/conftest.py (`pytest_plugins`).
"""

from __future__ import annotations

import time
from base64 import b32decode
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpRequest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from icmc.demo import DEMO_TOTP_SECRET
from icmc.demo.world import demo_totp_key
from icmc.identity import session as mfa_session


def totp_code(*, steps_ahead: int = 0, secret: str = DEMO_TOTP_SECRET) -> str:
    """The code an authenticator app shows now (or `steps_ahead` 30-second steps later; the server accepts
    one step of skew, and refuses a step it has already accepted)."""
    totp = TOTP(b32decode(secret))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def mark_session_verified(client: Client, user: Any) -> None:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="tests", key=demo_totp_key(), confirmed=True)
    store = client.session
    stamp = mfa_session.now()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store[mfa_session.LOGIN_AT] = stamp
    store[mfa_session.SEEN_AT] = stamp
    store[mfa_session.MFA_AT] = stamp
    store.save()


@pytest.fixture(autouse=True)
def _force_login_counts_as_mfa_verified(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[None]:
    if "real_login" in request.keywords:
        yield
        return
    original_force_login = Client.force_login
    original_login = Client.login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original_force_login(self, user, backend)
        mark_session_verified(self, user)

    def login(self: Client, **credentials: Any) -> bool:
        # django-axes needs the request to authenticate; the test client's login() passes none.
        credentials.setdefault("request", HttpRequest())
        if not original_login(self, **credentials):
            return False
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(pk=self.session["_auth_user_id"])
        mark_session_verified(self, user)
        return True

    monkeypatch.setattr(Client, "force_login", force_login)
    monkeypatch.setattr(Client, "login", login)
    yield


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "real_login: force_login does not mark the session MFA-verified")
