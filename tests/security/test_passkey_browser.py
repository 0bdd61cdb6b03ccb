"""Item 1 ★ in a real browser: an administrator registers a passkey with Chromium's virtual authenticator
(DevTools protocol `WebAuthn.addVirtualAuthenticator`) right after the TOTP code, then logs in with it."""

from __future__ import annotations

import os

import pytest
from django.db import connections

from icmc.demo.world import build_world
from tests.conftest import PASSWORD
from tests.security.mfa import totp_code
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (make browser-deps)"),
]


@pytest.fixture
def chromium_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()
            connections.close_all()


def _password(page, base: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.django_db(transaction=True)
def test_register_a_passkey_after_the_code_then_log_in_with_it(live_server, chromium_page, settings):
    settings.ICMC_PASSKEYS_REQUIRED = True
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]  # http://localhost:<port>: a secure context
    build_world(password=PASSWORD)
    page = chromium_page
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator_id = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "usb", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})["authenticatorId"]

    _password(page, live_server.url)
    page.get_by_role("heading", name="Enter your code").wait_for()
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Register a passkey").wait_for()  # forced before anything else
    page.wait_for_load_state("networkidle")  # the library's scripts (module + async i18n catalog) are ready
    page.get_by_role("button", name="Register a passkey").click()
    page.wait_for_url(lambda url: "/account/mfa/" not in url)
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]) == 1

    page.locator("form[action='/logout/'] button").first.click()
    _password(page, live_server.url)
    page.get_by_role("heading", name="Use your passkey").wait_for()
    page.wait_for_load_state("networkidle")  # the library's scripts (module + async i18n catalog) are ready
    page.get_by_role("button", name="Use your passkey").click()
    page.wait_for_url(lambda url: "/account/mfa/" not in url and "/login/" not in url)
    from icmc.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="auth.login_succeeded", details__factor="passkey").count() == 1

