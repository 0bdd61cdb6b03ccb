"""Item 3: throttling by username + IP (django-axes), not a permanent lock; item 4: same answer whether or not
the user exists."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from icmc.audit.models import AuditEvent
from tests.security.conftest import password_step

pytestmark = pytest.mark.real_login
ATTACKER = {"REMOTE_ADDR": "203.0.113.7"}


def hammer(client: Client, username: str, times: int = 5) -> list[int]:
    return [password_step(client, username, "wrong-password-guess", **ATTACKER).status_code for _ in range(times)]


def test_five_wrong_passwords_pause_that_username_from_that_address(world):
    client = Client()
    assert hammer(client, "cm.meghalaya") == [200, 200, 200, 200, 429]
    # Even the right password is refused now, from that address.
    assert password_step(client, **ATTACKER).status_code == 429
    # The user is not locked out everywhere: from their own address the login goes on to the second factor.
    assert password_step(Client(), REMOTE_ADDR="198.51.100.20").status_code == 302
    assert AuditEvent.objects.filter(action="auth.login_failed", details__reason="locked_out").exists()


def test_the_pause_ends_after_the_cool_off(world):
    client = Client()
    hammer(client, "cm.meghalaya")
    assert password_step(client, **ATTACKER).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert password_step(client, **ATTACKER).status_code == 302


def test_same_answer_whether_or_not_the_user_exists(world):
    known, unknown = Client(), Client()
    first_known = password_step(known, "cm.meghalaya", "wrong-password-guess", **ATTACKER)
    first_unknown = password_step(unknown, "no.such.user", "wrong-password-guess", **ATTACKER)
    assert first_known.status_code == first_unknown.status_code == 200
    assert _text(first_known) == _text(first_unknown)
    assert hammer(known, "cm.meghalaya", 4)[-1] == hammer(unknown, "no.such.user", 4)[-1] == 429
    locked_known = password_step(known, "cm.meghalaya", "x", **ATTACKER)
    locked_unknown = password_step(unknown, "no.such.user", "x", **ATTACKER)
    assert locked_known.status_code == locked_unknown.status_code == 429
    assert locked_known.content == locked_unknown.content


def _text(response) -> str:
    """The page without its per-request CSRF token and the echoed username."""
    import re

    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    return re.sub(r'name="username" value="[^"]*"', "", body)
