"""Authentication: bearer tokens and sessions; what makes a token stop working; CSRF for sessions."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from icmc.accounts.actions import do_create_api_token, do_revoke_api_token
from icmc.accounts.models import ApiToken, Membership, Organisation, User
from icmc.cases.models import Case
from tests.api.conftest import Api
from tests.conftest import PASSWORD
from tests.factories import person_data, report_data

UNAUTHENTICATED = {"detail": "Authentication required."}


@pytest.fixture
def token(world) -> tuple[ApiToken, str]:
    return do_create_api_token(actor=world.actor("cm.meghalaya"), label="laptop")


def test_no_credentials_is_401(anonymous):
    response = anonymous.get("/me")
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response["Cache-Control"] == "no-store"


def test_valid_token_is_accepted(token):
    response = Api(Client(), token[1]).get("/me")
    assert response.status_code == 200
    assert response.json()["user"]["username"] == "cm.meghalaya"


@pytest.mark.parametrize("value", ["icmc_not-a-real-token", "not-even-the-prefix", ""])
def test_unknown_token_is_401(world, value):
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {value}"})
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


def test_revoked_token_is_401(world, token):
    api_token, secret = token
    do_revoke_api_token(api_token, actor=world.actor("cm.meghalaya"))
    assert Api(Client(), secret).get("/me").status_code == 401


def test_token_of_deactivated_user_is_401(world, token):
    User.objects.filter(username="cm.meghalaya").update(is_active=False)
    assert Api(Client(), token[1]).get("/me").status_code == 401


def test_token_of_ended_membership_is_401(world, token):
    Membership.objects.filter(pk=token[0].membership_id).update(is_active=False)
    assert Api(Client(), token[1]).get("/me").status_code == 401


def test_token_of_deactivated_organisation_is_401(world, token):
    Organisation.objects.filter(pk=world.organisations["centre_ml"].pk).update(is_active=False)
    assert Api(Client(), token[1]).get("/me").status_code == 401


def test_invalid_token_is_refused_even_with_a_valid_session(world):
    client = Client()
    client.force_login(world.users["cm.meghalaya"])
    assert client.get("/api/v1/me").status_code == 200
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer icmc_wrong"})
    assert response.status_code == 401


def test_last_used_at_is_written_at_most_once_a_minute(token):
    api_token, secret = token
    api = Api(Client(), secret)
    assert api_token.last_used_at is None
    api.get("/me")
    api_token.refresh_from_db()
    first = api_token.last_used_at
    assert first is not None
    api.get("/me")
    api_token.refresh_from_db()
    assert api_token.last_used_at == first
    old = timezone.now() - datetime.timedelta(minutes=2)
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=old)
    api.get("/me")
    api_token.refresh_from_db()
    assert api_token.last_used_at > old + datetime.timedelta(minutes=1)


def test_token_acts_through_its_own_membership(world):
    """A user with two memberships: the token keeps acting through the one it was made for."""
    user = world.users["cm.meghalaya"]
    now = timezone.now()
    other = Membership.objects.create(user=user, organisation=world.organisations["centre_as"],
                                      role="case_manager", created_at=now, updated_at=now)
    secret = do_create_api_token(actor=world.actor("cm.meghalaya"), label="ml")[1]
    body = Api(Client(), secret).get("/me").json()
    assert body["membership"]["id"] == str(world.memberships["cm.meghalaya"].id)
    assert {m["id"] for m in body["memberships"]} == {str(world.memberships["cm.meghalaya"].id), str(other.id)}


# --- sessions -------------------------------------------------------------------------------------------------


def intake_body() -> dict:
    return {**report_data(destination_jurisdiction=""), "survivors": [person_data()], "suspects": []}


def logged_in_client(world) -> Client:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="cm.meghalaya", password=PASSWORD)
    return client


def test_session_can_read(world):
    client = logged_in_client(world)
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["membership"]["organisation"]["name"] == world.organisations["centre_ml"].name


def test_session_post_without_csrf_token_is_403_and_saves_nothing(world):
    client = logged_in_client(world)
    before = Case.objects.count()
    response = client.post("/api/v1/cases", data=intake_body(), content_type="application/json")
    assert response.status_code == 403
    assert set(response.json()) == {"detail"}
    assert Case.objects.count() == before


def test_session_post_with_csrf_token_is_accepted(world):
    client = logged_in_client(world)
    secret = "a" * 32
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    response = client.post("/api/v1/cases", data=intake_body(), content_type="application/json",
                           headers={"X-CSRFToken": secret})
    assert response.status_code == 201


def test_session_of_user_without_membership_sees_no_cases_and_may_not_report(world):
    user = User.objects.create_user(username="no.membership", password=PASSWORD)
    client = Client()
    client.force_login(user)
    me = client.get("/api/v1/me").json()
    assert me["membership"] is None and me["permissions"] == [] and me["memberships"] == []
    assert client.get("/api/v1/cases").json()["count"] == 0
    response = client.post("/api/v1/cases", data=intake_body(), content_type="application/json")
    assert response.status_code == 403
