"""Item 5: idle timeout and absolute lifetime; deactivation and an ended membership end sessions and tokens."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from icmc.accounts.actions import do_create_api_token, do_end_membership, do_update_user
from icmc.identity import session as mfa_session
from tests.security.conftest import full_login

pytestmark = pytest.mark.real_login


def shift(client: Client, key: str, seconds: int) -> None:
    store = client.session
    store[key] = store[key] - seconds
    store.save()


def test_idle_session_ends_after_15_minutes(world):
    client = Client()
    full_login(client)
    shift(client, mfa_session.SEEN_AT, 14 * 60)
    assert client.get("/").status_code == 200  # activity slides the idle timeout
    shift(client, mfa_session.SEEN_AT, 16 * 60)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/api/v1/me").status_code == 401


def test_session_ends_after_10_hours_however_active(world):
    client = Client()
    full_login(client)
    shift(client, mfa_session.LOGIN_AT, 10 * 3600 + 1)
    assert client.get("/").status_code == 302


def test_session_row_expires_server_side_with_the_idle_timeout(world):
    client = Client()
    full_login(client)
    row = Session.objects.get(session_key=client.cookies["sessionid"].value)
    from django.utils import timezone

    remaining = (row.expire_date - timezone.now()).total_seconds()
    assert 14 * 60 < remaining <= 15 * 60


def test_deactivated_user_loses_session_and_token_on_the_next_request(world):
    client = Client()
    full_login(client)
    token = do_create_api_token(actor=world.actor("cm.meghalaya"), label="laptop")[1]
    assert client.get("/api/v1/me").status_code == 200
    user = world.users["cm.meghalaya"]
    user.is_active = False
    do_update_user(user, actor=world.actor("admin"), changed_fields=["is_active"])
    session_key = client.cookies["sessionid"].value
    assert client.get("/").status_code == 302
    assert client.get("/api/v1/me").status_code == 401
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert not Session.objects.filter(session_key=session_key).exists()  # ended server-side


def test_ended_membership_ends_the_session(world):
    client = Client()
    full_login(client)
    assert client.get("/").status_code == 200
    do_end_membership(world.memberships["cm.meghalaya"], actor=world.actor("admin"))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
