"""Logging in and out, the membership a user acts through, and users with no membership."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from icmc.access.membership import SESSION_KEY
from icmc.accounts.models import Membership, User
from icmc.accounts.reference import Role
from tests.conftest import PASSWORD
from tests.security.mfa import totp_code
from tests.web.conftest import has_text

LOGIN = reverse("web:login")
SWITCH = reverse("web:switch_membership")


def test_login_page_and_login(client, world):
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert has_text(page, '<label for="id_username">') and has_text(page, '<label for="id_password">')
    response = client.post(LOGIN, {"username": "cm.meghalaya", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("identity:verify")  # the second factor (tests/security)
    response = client.post(reverse("identity:verify"), {"code": totp_code()})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:my_cases")
    home = client.get(reverse("web:my_cases"))
    assert has_text(home, "Ibapyntngen Kharkongor")
    assert has_text(home, "Impulse Case Management Centre, Shillong · Case manager")


def test_wrong_password_shows_a_message(client, world):
    response = client.post(LOGIN, {"username": "cm.meghalaya", "password": "wrong"})
    assert response.status_code == 200
    assert has_text(response, "Please enter a correct username and password")


def test_logout_is_a_post(client_as):
    client = client_as("cm.meghalaya")
    assert client.get(reverse("web:logout")).status_code == 405
    assert client.get(reverse("web:my_cases")).status_code == 200
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert client.get(reverse("web:my_cases")).status_code == 302


def test_every_page_requires_login(client, world):
    missing = "00000000-0000-4000-8000-000000000000"
    pages = [reverse("web:my_cases"), reverse("web:case_list"), reverse("web:case_report"),
             reverse("web:api_tokens"), reverse("web:case_detail", kwargs={"case_id": missing}),
             reverse("web:case_add_person", kwargs={"case_id": missing}),
             reverse("web:case_fir", kwargs={"case_id": missing})]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(LOGIN)


def test_user_without_membership_sees_a_page_saying_so(client, db):
    user = User.objects.create_user(username="nobody", password=PASSWORD)
    client.force_login(user)
    for page in (reverse("web:my_cases"), reverse("web:case_list"), reverse("web:case_report"),
                 reverse("web:api_tokens")):
        response = client.get(page)
        assert response.status_code == 403
        assert has_text(response, "No active membership")
        assert not has_text(response, reverse("web:case_list") + '"')  # no case navigation


@pytest.fixture
def second_membership(world) -> Membership:
    now = timezone.now()
    return Membership.objects.create(user=world.users["cm.meghalaya"], organisation=world.organisations["ahtu_ekh"],
                                     role=Role.AHTU_OFFICER, created_at=now, updated_at=now)


def test_switching_membership(client_as, second_membership):
    client = client_as("cm.meghalaya")
    home = client.get(reverse("web:my_cases"))
    assert has_text(home, f'value="{second_membership.id}"')
    assert has_text(home, f'href="{reverse("web:case_report")}"')
    response = client.post(SWITCH, {"membership": str(second_membership.id)})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(second_membership.id)
    home = client.get(reverse("web:my_cases"))
    assert has_text(home, "AHTU East Khasi Hills · AHTU officer")
    assert not has_text(home, f'href="{reverse("web:case_report")}"')  # AHTU officers do not report cases
    assert client.get(reverse("web:case_report")).status_code == 403


def test_switching_to_a_membership_not_ones_own_is_404(client_as, world, second_membership):
    client = client_as("cm.meghalaya")
    for value in (str(world.memberships["cm.assam"].id), "not-a-uuid", ""):
        assert client.post(SWITCH, {"membership": value}).status_code == 404
    assert SESSION_KEY not in client.session
    assert client.get(SWITCH).status_code == 405


def test_switch_form_is_shown_only_with_several_memberships(client_as):
    assert not has_text(client_as("cm.meghalaya").get(reverse("web:my_cases")), SWITCH)


def test_unknown_address_gives_the_404_page(client_as):
    response = client_as("cm.meghalaya").get("/no/such/page/")
    assert response.status_code == 404
    assert has_text(response, "Page not found")
