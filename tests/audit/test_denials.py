"""Access denials are audited (security.md 18): a logged-in user answered 403/404 leaves one `access.denied`
event with the route and the ids of the URL, the same for a forbidden and a missing case."""

from __future__ import annotations

import uuid

from django.urls import reverse

from icmc.access.denials import ACTION
from icmc.audit.models import AuditEvent

MISSING = "00000000-0000-4000-8000-000000000000"


def denials() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=ACTION).order_by("seq"))


def test_a_forbidden_and_a_missing_case_page_are_both_recorded(client_as, ml_case, world):
    client = client_as("ahtu.kamrup")  # another state: the Shillong case is not in her scope
    assert client.get(reverse("web:case_detail", kwargs={"case_id": ml_case.id})).status_code == 404
    assert client.get(reverse("web:case_detail", kwargs={"case_id": MISSING})).status_code == 404
    forbidden, missing = denials()
    kamrup = world.users["ahtu.kamrup"]
    assert (forbidden.actor_id, forbidden.object_type, forbidden.object_id) == (kamrup.id, "case", str(ml_case.id))
    assert forbidden.details == {"method": "GET", "route": "cases/<uuid:case_id>/", "status": 404,
                                 "ids": {"case_id": str(ml_case.id)}}
    assert missing.object_id == MISSING
    assert forbidden.case_id is None  # not on the case's timeline


def test_a_denied_api_call_with_a_token_is_recorded(api_as, ml_case):
    api = api_as("media.shillong")
    assert api.get(f"/cases/{ml_case.id}").status_code == 404
    assert api.post(f"/cases/{ml_case.id}/notes", {"body": "probe"}).status_code == 404
    got, posted = denials()
    assert got.details["method"] == "GET" and got.details["route"].startswith("api/v1/")
    assert posted.details["method"] == "POST" and posted.object_id == str(ml_case.id)


def test_allowed_reads_anonymous_requests_and_unknown_addresses_are_not_denials(client, client_as, ml_case):
    assert client_as("cm.meghalaya").get(reverse("web:case_detail", kwargs={"case_id": ml_case.id})).status_code == 200
    assert client_as("cm.meghalaya").get(f"/no-such-page/{uuid.uuid4()}/").status_code == 404
    assert client.get(reverse("web:case_detail", kwargs={"case_id": ml_case.id})).status_code == 302  # to login
    assert denials() == []
