"""Item 5: deactivating a user or ending a membership ends, on the very next request, their web session, their
API tokens and the field nodes that sync for them (a pull is refused; pushed work is kept, rejected, not applied).
"""

from __future__ import annotations

import pytest
from django.test import Client

from icmc.accounts.actions import do_create_api_token, do_end_membership, do_update_user
from icmc.cases.models import Note
from icmc.sync.models import Mutation
from tests.security.conftest import full_login
from tests.sync.conftest import register, upstream_for
from tests.sync.test_push import ekh_case, note, push

pytestmark = pytest.mark.real_login


def _deactivate(world, username: str) -> None:
    user = world.users[username]
    user.is_active = False
    do_update_user(user, actor=world.actor("admin"), changed_fields=["is_active"])


def test_a_deactivated_users_field_node_is_refused_at_its_next_sync(world):
    node, key = register(world, "ahtu.ekh", name="EKH field kit")
    case = ekh_case(world)
    assert upstream_for(node, key).call(method="GET", endpoint="/feed")[0] == 200
    _deactivate(world, "ahtu.ekh")
    status, body = upstream_for(node, key).call(method="GET", endpoint="/feed")
    assert status == 403 and "deactivated" in body["detail"]
    status, body = push(node, key, [note(world, 1, case, body="Written offline before deactivation.")])
    [result] = body["results"]
    assert result["status"] == "rejected" and result["reason"] == "actor_not_allowed"
    assert Mutation.objects.get(node=node, seq=1).status == "rejected"  # kept, with its reason: nothing lost
    assert not Note.objects.filter(case=case).exists()  # and not applied


def test_an_ended_membership_ends_the_field_node_of_its_only_user(world):
    node, key = register(world, "ahtu.ekh")
    do_end_membership(world.memberships["ahtu.ekh"], actor=world.actor("admin"))
    assert upstream_for(node, key).call(method="GET", endpoint="/feed")[0] == 403


def test_a_node_shared_by_two_users_keeps_syncing_for_the_one_still_active(world):
    node, key = register(world, "ahtu.ekh", "cm.meghalaya")
    _deactivate(world, "ahtu.ekh")
    assert upstream_for(node, key).call(method="GET", endpoint="/feed")[0] == 200


def test_an_ended_membership_ends_its_api_tokens_and_session_on_the_next_request(world):
    case = ekh_case(world)
    client = Client()
    full_login(client)
    token = do_create_api_token(actor=world.actor("cm.meghalaya"), label="laptop")[1]
    bearer = {"Authorization": f"Bearer {token}"}
    assert Client().get("/api/v1/me", headers=bearer).status_code == 200
    do_end_membership(world.memberships["cm.meghalaya"], actor=world.actor("admin"))
    assert Client().get("/api/v1/me", headers=bearer).status_code == 401
    assert client.get("/api/v1/me").status_code == 401
    assert client.get(f"/cases/{case.id}/").status_code == 302  # to the login page
