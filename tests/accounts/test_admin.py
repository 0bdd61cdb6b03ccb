"""Administrators manage users, organisations and memberships through the admin site, via the actions."""

from icmc.accounts.actions import do_create_api_token
from icmc.accounts.models import ApiToken, Membership, Organisation
from icmc.audit.models import AuditEvent


def test_administrator_creates_an_organisation_through_the_action(client, world):
    client.force_login(world.users["admin"])
    response = client.post("/admin/accounts/organisation/add/", {
        "name": "AHTU Ri-Bhoi", "kind": "ahtu", "is_government": "on", "is_approved": "on",
        "pillars": ["policing"], "jurisdiction": "IN-ML-RI-BHOI", "reference_prefix": "", "time_zone": "Asia/Kolkata",
        "is_active": "on",
    })
    assert response.status_code == 302, response.content[:2000]
    org = Organisation.objects.get(name="AHTU Ri-Bhoi")
    assert [p.code for p in org.pillars.all()] == ["policing"]
    event = AuditEvent.objects.get(action="organisation.created")
    assert event.object_id == str(org.id) and event.via == "admin"


def test_administrator_grants_and_ends_a_membership_and_tokens_die_with_it(client, world):
    client.force_login(world.users["admin"])
    user = world.users["ahtu.wjh"]
    response = client.post("/admin/accounts/membership/add/", {
        "user": str(user.id), "organisation": str(world.organisations["ahtu_ekh"].id), "role": "ahtu_officer",
    })
    assert response.status_code == 302, response.content[:2000]
    membership = Membership.objects.get(user=user, organisation=world.organisations["ahtu_ekh"])
    token, _secret = do_create_api_token(actor=world.actor("ahtu.wjh").__class__(
        user=user, membership=membership, via="cli"), label="laptop")
    response = client.post("/admin/accounts/membership/", {
        "action": "end_memberships", "_selected_action": [str(membership.id)],
    })
    assert response.status_code == 302
    membership.refresh_from_db()
    token.refresh_from_db()
    assert not membership.is_active and membership.ended_at is not None
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="membership.ended", object_id=str(membership.id)).count() == 1


def test_administrator_deactivates_a_user_and_their_tokens_are_revoked(client, world):
    client.force_login(world.users["admin"])
    token, _ = do_create_api_token(actor=world.actor("cm.assam"), label="phone")
    user = world.users["cm.assam"]
    response = client.post(f"/admin/accounts/user/{user.id}/change/", {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name, "email": "",
    })  # is_active unchecked
    assert response.status_code == 302, response.content[:2000]
    user.refresh_from_db()
    assert not user.is_active
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert AuditEvent.objects.filter(action="user.updated", object_id=str(user.id)).count() == 1


def test_nobody_else_enters_the_admin_site(client, world):
    for username in ("cm.meghalaya", "nodal.meghalaya", "ahtu.ekh", "media.shillong"):
        client.force_login(world.users[username])
        response = client.get("/admin/accounts/organisation/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_administrators_cannot_delete_anything(client, world):
    client.force_login(world.users["admin"])
    org = world.organisations["ahtu_wjh"]
    response = client.post(f"/admin/accounts/organisation/{org.id}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Organisation.objects.filter(pk=org.pk).exists()
