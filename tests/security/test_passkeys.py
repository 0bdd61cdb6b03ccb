"""Item 1 ★: passkeys (WebAuthn) for the roles of PASSKEY_ROLES when ICMC_PASSKEYS_REQUIRED is on: enrolment
forced right after the TOTP code, then the passkey is the second factor (a TOTP code is refused; a recovery
code still works); never passwordless; audited; `manage.py passkeys remove`. A software authenticator
(tests/security/soft_authenticator.py) answers the ceremonies; the server side is django-otp-webauthn."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp_webauthn.models import WebAuthnCredential

from icmc.audit.models import AuditEvent
from tests.security.conftest import full_login, password_step
from tests.security.mfa import totp_code
from tests.security.soft_authenticator import SoftAuthenticator

pytestmark = pytest.mark.real_login
WEBAUTHN = "/account/mfa/webauthn"
PASSKEY_PAGE = "/account/mfa/passkey/"
VERIFY = "/account/mfa/verify/"


@pytest.fixture
def required(settings):
    settings.ICMC_PASSKEYS_REQUIRED = True


def browser() -> Client:
    return Client(HTTP_HOST="localhost:8000")  # passkeys need a domain name as relying party id


def post_json(client: Client, path: str, data: dict | None = None):
    return client.post(f"{WEBAUTHN}/{path}", data=json.dumps(data or {}), content_type="application/json")


def register(client: Client, authenticator: SoftAuthenticator):
    options = post_json(client, "registration/begin/").json()
    return post_json(client, "registration/complete/", authenticator.create(options))


def assert_with(client: Client, authenticator: SoftAuthenticator, **tweaks: str):
    options = post_json(client, "authentication/begin/").json()
    return post_json(client, "authentication/complete/", authenticator.get(options, **tweaks))


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def enrolled_admin(world) -> SoftAuthenticator:
    client, authenticator = browser(), SoftAuthenticator()
    full_login(client, "admin")
    assert register(client, authenticator).status_code == 200
    return authenticator


def test_enrolment_is_forced_after_the_totp_code_then_pages_open(world, required):
    client = browser()
    full_login(client, "admin")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(PASSKEY_PAGE)
    assert client.get("/api/v1/me").status_code == 401  # the API does not take the session either
    page = client.get(PASSKEY_PAGE)
    assert page.status_code == 200 and b"passkey-registration-placeholder" in page.content
    assert register(client, SoftAuthenticator()).status_code == 200
    assert client.get("/admin/").status_code == 200
    assert client.get(PASSKEY_PAGE).status_code == 302  # nothing left to enrol
    assert WebAuthnCredential.objects.filter(user=world.users["admin"], confirmed=True).count() == 1
    [event] = events("auth.mfa_enrolled")
    assert event.details == {"factor": "passkey"} and event.actor_id == world.users["admin"].id


def test_then_the_passkey_is_the_second_factor_and_a_totp_code_is_refused(world, required):
    authenticator = enrolled_admin(world)
    client = browser()
    password_step(client, "admin")
    old_session = client.cookies["sessionid"].value
    page = client.get(VERIFY)
    assert b"passkey-verification-placeholder" in page.content
    refused = client.post(VERIFY, {"code": totp_code(steps_ahead=1)})
    assert refused.status_code == 200 and b"passkey" in refused.content
    assert client.get("/admin/").status_code == 302
    response = assert_with(client, authenticator)
    assert response.status_code == 200 and response.json()["redirect_url"] == "/"
    assert client.get("/admin/").status_code == 200
    assert client.cookies["sessionid"].value != old_session  # a new session id once the factor is proved
    assert events("auth.login_succeeded")[-1].details == {"factor": "passkey"}


def test_a_forged_or_foreign_assertion_is_refused_and_audited(world, required):
    authenticator = enrolled_admin(world)
    client = browser()
    password_step(client, "admin")
    assert assert_with(client, authenticator, origin="https://evil.example").status_code == 422
    impostor = SoftAuthenticator(credential_id=authenticator.credential_id)  # same id, another key
    assert assert_with(client, impostor).status_code == 422
    assert client.get("/admin/").status_code == 302
    failures = [e.details for e in events("auth.login_failed")]
    assert failures[-2:] == [{"reason": "second_factor", "factor": "passkey"}] * 2


def test_a_passkey_is_never_a_first_factor(world, required):
    authenticator = enrolled_admin(world)
    client = browser()  # no password step
    assert post_json(client, "authentication/begin/").status_code == 403
    assert post_json(client, "authentication/complete/", {"id": "x"}).status_code == 403
    assert client.get("/admin/").status_code == 302
    other = browser()
    full_login(other, "cm.meghalaya")  # another user's session cannot use the admin's passkey
    assert 400 <= assert_with(other, authenticator).status_code < 500


def test_roles_outside_the_policy_are_not_asked(world, required):
    client = browser()
    full_login(client, "cm.meghalaya")
    assert client.get("/").status_code == 200


def test_off_by_default_so_demo_logins_keep_working(world, settings):
    assert settings.ICMC_PASSKEYS_REQUIRED is False
    client = browser()
    full_login(client, "admin")
    assert client.get("/admin/").status_code == 200


def test_remove_command_then_the_user_enrols_again(world, required):
    enrolled_admin(world)
    out = StringIO()
    call_command("passkeys", "remove", "--user", "admin", "--reason", "security key lost", stdout=out)
    assert "removed 1" in out.getvalue()
    assert not WebAuthnCredential.objects.filter(user=world.users["admin"]).exists()
    [event] = events("auth.passkeys_removed")
    assert event.details == {"passkeys": 1, "reason": "security key lost"}
    client = browser()
    password_step(client, "admin")
    assert client.post(VERIFY, {"code": totp_code(steps_ahead=1)}).status_code == 302  # TOTP again
    assert client.get("/admin/")["Location"].startswith(PASSKEY_PAGE)
