"""Item 2: Argon2id hashes; at least 12 characters, long passphrases allowed; common and all-digit passwords
refused. (No rotation: there is no password-age setting or check anywhere.)"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings

from icmc.accounts.models import User


def test_passwords_are_hashed_with_argon2id():
    from config import settings as configured  # the module's value: tests swap in a fast hasher elsewhere

    with override_settings(PASSWORD_HASHERS=configured.PASSWORD_HASHERS):
        encoded = make_password("a long enough passphrase")
        assert identify_hasher(encoded).algorithm == "argon2"
        assert encoded.startswith("argon2$argon2id$")


@pytest.mark.parametrize("password", ["short-pw-11", "password1234", "1qaz2wsx3edc", "123456789012345"])
def test_short_common_and_numeric_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password, user=User(username="ahtu.ekh"))


@pytest.mark.parametrize("password", ["twelve chars", "a very long passphrase " * 6])
def test_twelve_characters_and_long_passphrases_are_accepted(password):
    validate_password(password, user=User(username="ahtu.ekh"))


def test_no_password_expiry_is_configured():
    assert not [name for name in dir(settings) if "PASSWORD" in name and ("AGE" in name or "EXPIR" in name)]
