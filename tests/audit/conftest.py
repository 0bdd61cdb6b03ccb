"""Personas through the pages and the API, and a Shillong case, for the audit tests."""

from tests.api.conftest import api_as  # noqa: F401  (fixture)
from tests.web.conftest import client_as, ml_case  # noqa: F401  (fixtures)
