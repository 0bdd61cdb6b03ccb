"""The JSON API under /api/v1/: authentication, error shape, routers. Documented in docs/api.md; the OpenAPI
schema is at /api/v1/openapi.json and its browsable docs at /api/v1/docs."""

from django.http import HttpRequest
from ninja import NinjaAPI, Router

from icmc.access.errors import NotFound
from icmc.api import case_work, cases, errors, me, pathway, persons, prosecution, reference
from icmc.api import referrals as referrals_api
from icmc.api import sync as sync_api
from icmc.api import tasks as tasks_api
from icmc.api.auth import AUTH, in_actor_time_zone
from icmc.emergency import api as emergency_api
from icmc.matching import api as matching_api
from icmc.privacy import api as privacy_api

api = NinjaAPI(
    title="ICMC API",
    version="1",
    urls_namespace="api",
    auth=AUTH,
    description="Case management for the Impulse Model. Authenticate with `Authorization: Bearer icmc_...` "
                "or a logged-in session (with the CSRF token for unsafe methods). See docs/api.md.",
)
errors.install(api)
pathway.install(api)
api.add_decorator(in_actor_time_zone)
api.add_router("/me", me.router)
api.add_router("/cases", cases.router)
api.add_router("/cases", case_work.router)
api.add_router("/cases", pathway.router)
api.add_router("/cases", prosecution.router)
api.add_router("/offences", prosecution.offences_router)
api.add_router("/persons", persons.router)
api.add_router("/reference", reference.router)
api.add_router("", referrals_api.router)
api.add_router("/sync", sync_api.router)
api.add_router("", sync_api.conflicts_router)
api.add_router("", tasks_api.router)
api.add_router("", emergency_api.router)
api.add_router("", matching_api.router)
api.add_router("", privacy_api.router)

# Last: any other path under /api/v1/ is a JSON 404 like every other error (not the HTML page of the site).
fallback = Router()


@fallback.api_operation(["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None,
                        include_in_schema=False)
def unknown_route(request: HttpRequest, rest: str) -> None:
    raise NotFound


api.add_router("", fallback)
