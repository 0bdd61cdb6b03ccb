from tests.api.conftest import anonymous, api_as  # noqa: F401  (fixtures)
from tests.pathway.conftest import two_survivor_case  # noqa: F401  (fixture)
from tests.web.conftest import client_as  # noqa: F401  (fixture)
