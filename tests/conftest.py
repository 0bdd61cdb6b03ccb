from __future__ import annotations

import pytest

from icmc.demo.world import World, build_world

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    # Argon2 is the production hasher (see config/settings.py); tests use a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fresh_jurisdiction_choices() -> None:
    # The pages cache the jurisdiction choices per process; a test may load other jurisdictions.
    from icmc.web.views.choices import forget_jurisdiction_choices

    forget_jurisdiction_choices()


@pytest.fixture
def world(db: None) -> World:
    return build_world(password=PASSWORD)
