"""Item 1: every login needs a second factor (TOTP, or a one-time recovery code); item 18: logins audited."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from icmc.accounts.actions import do_create_api_token
from icmc.accounts.models import User
from icmc.audit.models import AuditEvent
from tests.conftest import PASSWORD
from tests.security.conftest import full_login, password_step
from tests.security.mfa import totp_code

pytestmark = pytest.mark.real_login
VERIFY = reverse("identity:verify")
ENROL = reverse("identity:enrol")


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_the_password_alone_does_not_log_in(client, world):
    response = password_step(client)
    assert response.status_code == 302 and response["Location"] == VERIFY
    for page in ("/", "/cases/", "/account/tokens/", "/admin/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(VERIFY), page
    assert client.get("/api/v1/me").status_code == 401  # the API does not take a half-logged-in session
    assert not events("auth.login_succeeded")


def test_a_wrong_code_is_refused_and_audited(client, world):
    password_step(client)
    good = totp_code()
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert client.get("/").status_code == 302
    failed = events("auth.login_failed")
    assert [e.details for e in failed] == [{"reason": "second_factor"}]
    assert failed[0].actor_id == world.users["cm.meghalaya"].id


def test_the_right_code_logs_in_and_is_audited(client, world):
    old_session = None
    password_step(client)
    old_session = client.cookies["sessionid"].value
    response = client.post(VERIFY, {"code": totp_code()})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    assert client.cookies["sessionid"].value != old_session  # a new session id once the second factor is proved
    [event] = events("auth.login_succeeded")
    assert event.actor_id == world.users["cm.meghalaya"].id and event.details == {"factor": "totp"}


def test_a_code_cannot_be_replayed(world):
    first, second = Client(), Client()
    full_login(first)
    # The code of the time step the server accepted (not "now": a step boundary may have passed meanwhile).
    device = TOTPDevice.objects.get(user=world.users["cm.meghalaya"], confirmed=True)
    totp = TOTP(device.bin_key)
    totp.time = device.last_t * 30 + 1
    code_used = f"{totp.token():06d}"
    password_step(second)
    assert second.post(VERIFY, {"code": code_used}).status_code == 200  # refused: the same time step again
    assert second.get("/").status_code == 302


def test_failed_password_is_audited_without_the_password(client, world):
    password_step(client, password="not-the-password-123")
    password_step(client, username="nobody-by-this-name", password="another-secret-456")
    failed = events("auth.login_failed")
    assert [e.details for e in failed] == [{"reason": "password", "known_user": True},
                                           {"reason": "password", "known_user": False}]
    dumped = repr([(e.details, e.object_id, e.changed_fields) for e in failed])
    assert "not-the-password" not in dumped and "another-secret" not in dumped and "nobody-by" not in dumped


def test_first_login_enrols_an_authenticator_and_shows_recovery_codes_once(client, world):
    user = User.objects.create_user(username="new.worker", password=PASSWORD)
    response = password_step(client, "new.worker")
    assert response["Location"] == ENROL
    assert client.get("/").status_code == 302
    page = client.get(ENROL)
    assert page.status_code == 200
    body = page.content.decode()
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', body).group(1).replace(" ", "")
    assert ("otpauth://totp/ICMC%3Anew.worker?secret=" + secret) in body.replace("&amp;", "&")
    assert 'src="data:image/svg+xml' in body  # the QR code is drawn here, no outside service
    from base64 import b32decode

    totp = TOTP(b32decode(secret + "=" * (-len(secret) % 8)))
    response = client.post(ENROL, {"code": f"{totp.token():06d}"})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert [e.details for e in events("auth.mfa_enrolled")] == [{"factor": "totp", "recovery_codes": 10}]
    assert client.get("/").status_code in (200, 403)  # logged in (no membership yet: the page says so)
    assert client.get(ENROL).status_code == 302  # enrolment is not offered again

    # Later, without the phone: a recovery code works once.
    client.post("/logout/")
    other = Client()
    password_step(other, "new.worker")
    assert other.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert other.get("/").status_code in (200, 403) and other.get(VERIFY).status_code == 302
    used = events("auth.recovery_code_used")
    assert [e.details for e in used] == [{"purpose": "login", "remaining": 9}]
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    third = Client()
    password_step(third, "new.worker")
    assert third.post(VERIFY, {"code": codes[0]}).status_code == 200  # used up
    assert third.get("/").status_code == 302


def test_enrolment_needs_a_correct_code(client, world):
    User.objects.create_user(username="new.worker", password=PASSWORD)
    password_step(client, "new.worker")
    client.get(ENROL)
    response = client.post(ENROL, {"code": "000000"})
    assert response.status_code == 200 and b"That code is not right" in response.content
    assert not TOTPDevice.objects.filter(user__username="new.worker").exists()
    assert not events("auth.mfa_enrolled")


def test_logout_ends_the_session_clears_site_data_and_is_audited(client, world):
    full_login(client)
    session_key = client.cookies["sessionid"].value
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert client.get("/").status_code == 302
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=session_key).exists()
    assert len(events("auth.logged_out")) == 1


def test_api_tokens_are_a_separate_credential(world):
    secret = do_create_api_token(actor=world.actor("cm.meghalaya"), label="script")[1]
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
