"""Suite-wide test plugins (tests/conftest.py holds the shared fixtures)."""

pytest_plugins = ["tests.security.mfa"]
