from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.security.mfa import totp_code

LOGIN = "/login/"


def password_step(client: Client, username: str = "cm.meghalaya", password: str = PASSWORD, **extra: str):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def full_login(client: Client, username: str = "cm.meghalaya") -> None:
    assert password_step(client, username).status_code == 302
    response = client.post(reverse("identity:verify"), {"code": totp_code()})
    assert response.status_code == 302 and not response["Location"].startswith(reverse("identity:verify"))


@pytest.fixture(autouse=True)
def _fresh_throttle(db: None) -> None:
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()
