"""Item 6: a sensitive action (today: creating an API token) needs the second factor within 5 minutes."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from icmc.accounts.models import ApiToken
from icmc.audit.models import AuditEvent
from icmc.identity import session as mfa_session
from tests.security.conftest import full_login
from tests.security.mfa import totp_code

pytestmark = pytest.mark.real_login
TOKENS = "/account/tokens/"


def test_token_creation_needs_a_fresh_code(world):
    client = Client()
    full_login(client)
    assert client.post(TOKENS, {"label": "laptop"}).status_code == 200  # just logged in: fresh
    store = client.session
    store[mfa_session.MFA_AT] -= 6 * 60
    store.save()
    response = client.post(TOKENS, {"label": "script"})
    assert response.status_code == 302 and response["Location"].startswith("/account/mfa/step-up/?next=")
    assert ApiToken.objects.filter(label="script").count() == 0
    assert client.get(TOKENS).status_code == 200  # looking at the list is not guarded
    wrong = client.post(response["Location"], {"code": "12345678"})
    assert wrong.status_code == 200 and AuditEvent.objects.filter(action="auth.step_up_failed").exists()
    # django-otp throttles after a failure (1 s, doubling): let that pass
    TOTPDevice.objects.filter(user=world.users["cm.meghalaya"]).update(throttling_failure_timestamp=None)
    done = client.post(response["Location"], {"code": totp_code(steps_ahead=1)})
    assert done.status_code == 302 and done["Location"] == TOKENS
    assert AuditEvent.objects.filter(action="auth.step_up", details={"factor": "totp"}).exists()
    assert client.post(TOKENS, {"label": "script"}).status_code == 200
    assert ApiToken.objects.filter(label="script").count() == 1


def test_step_up_does_not_redirect_elsewhere(world):
    client = Client()
    full_login(client)
    response = client.post("/account/mfa/step-up/?next=https://evil.example/", {"code": totp_code(steps_ahead=1)})
    assert response.status_code == 302 and response["Location"] == "/"
