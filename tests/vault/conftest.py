"""Personas through the API (bearer tokens) and the pages (logged-in clients)."""

from tests.api.conftest import api_as  # noqa: F401  (fixture)
from tests.web.conftest import client_as  # noqa: F401  (fixture)
