"""API tokens: list, create (secret shown once), revoke."""

from __future__ import annotations

import re

from django.urls import reverse

from icmc.accounts.actions import do_create_api_token, token_digest
from icmc.accounts.models import ApiToken
from tests.web.conftest import has_text

TOKENS = reverse("web:api_tokens")


def revoke_url(token: ApiToken) -> str:
    return reverse("web:revoke_api_token", kwargs={"token_id": token.id})


def test_create_a_token_shows_the_secret_once(client_as, world):
    client = client_as("ahtu.ekh")
    assert client.get(TOKENS).status_code == 200
    response = client.post(TOKENS, {"label": "Field laptop"})
    assert response.status_code == 200
    secret = re.search(r'value="(icmc_[^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get(membership=world.memberships["ahtu.ekh"])
    assert token.digest == token_digest(token=secret)
    assert token.label == "Field laptop"
    assert response["Cache-Control"] == "no-store"
    again = client.get(TOKENS)
    assert has_text(again, "Field laptop") and not has_text(again, secret)


def test_a_token_needs_a_label(client_as):
    response = client_as("ahtu.ekh").post(TOKENS, {"label": ""})
    assert response.status_code == 200
    assert has_text(response, 'id="id_label_errors"')
    assert not ApiToken.objects.exists()


def test_tokens_of_others_are_not_listed(client_as, world):
    do_create_api_token(actor=world.actor("cm.assam"), label="Assam script")
    response = client_as("ahtu.ekh").get(TOKENS)
    assert not has_text(response, "Assam script")
    assert has_text(response, "You have no tokens for this membership.")


def test_revoke_own_token(client_as, world):
    token, _secret = do_create_api_token(actor=world.actor("ahtu.ekh"), label="Old script")
    client = client_as("ahtu.ekh")
    assert has_text(client.get(TOKENS), revoke_url(token))
    response = client.post(revoke_url(token))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not has_text(client.get(TOKENS), revoke_url(token))  # no revoke button for a revoked token


def test_revoking_another_users_token_is_404(client_as, world):
    token, _secret = do_create_api_token(actor=world.actor("cm.assam"), label="Assam script")
    client = client_as("ahtu.ekh")
    assert client.post(revoke_url(token)).status_code == 404
    assert client.get(revoke_url(token)).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_tokens_page_requires_login(client, world):
    assert client.get(TOKENS).status_code == 302
