"""The route policy matrix (tests/security/route_policy.py) drives requests as every persona (items 7 and 8)."""

from __future__ import annotations

import pytest
from django.test import Client

from icmc.cases.models import Case, CaseParty
from icmc.demo.world import World
from icmc.pathway.stages import current_stage
from tests.security.route_policy import API_WRITES, GET_ROUTES, expected
from tests.security.routes_probe import (
    PERSONAS,
    SURVIVOR_NAME,
    Subject,
    api_headers,
    api_operations,
    fill,
    make_subject,
    outcome,
    web_client,
    web_patterns,
)

# Personas who may not see the subject case: its survivor's name must never reach them, from any route.
NO_CASE_ACCESS = ("media.shillong", "analyst", "ahtu.wjh", "ahtu.kamrup", "nodal.assam", "partner.nepal", "admin")


@pytest.fixture
def subject(world: World) -> Subject:
    return make_subject(world)


def test_every_route_and_api_operation_is_classified() -> None:
    listed = set(GET_ROUTES) | API_WRITES
    present = {f"GET /{route}" for route in web_patterns()} | set(api_operations())
    assert sorted(present - listed) == [], "routes missing from tests/security/route_policy.py"
    assert sorted(listed - present) == [], "routes in tests/security/route_policy.py that no longer exist"


def test_the_subject_case_covers_every_scope(world: World, subject: Subject) -> None:
    case = Case.objects.get(pk=subject.case.pk)
    assert case.owner_id == world.organisations["centre_ml"].pk
    assert case.source_ahtu_id == world.organisations["ahtu_ekh"].pk
    assert not case.places.exclude(jurisdiction__code__startswith="IN-ML").exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_get_routes_give_the_expected_outcome(world: World, subject: Subject, persona: str) -> None:
    client, headers = web_client(world, persona), api_headers(world, persona)
    wrong: list[str] = []
    for key in GET_ROUTES:
        path = fill(key.removeprefix("GET "), subject)
        response = Client().get(path, headers=headers) if key.startswith("GET /api/") else client.get(path)
        got = outcome(response.status_code)
        if got != expected(key)[persona]:
            wrong.append(f"{key}: expected {expected(key)[persona]}, got {got}")
        if persona in NO_CASE_ACCESS and response.status_code == 200:
            assert SURVIVOR_NAME.encode() not in response.content, f"{key} shows the survivor's name to {persona}"
    assert wrong == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_writes_with_empty_bodies_are_refused_never_500(world: World, subject: Subject, persona: str) -> None:
    headers = api_headers(world, persona)
    wrong: list[str] = []
    for op in sorted(API_WRITES):
        method, path = op.split(" ", 1)
        call = getattr(Client(), method.lower())
        response = call(fill(path, subject), data="{}", content_type="application/json", headers=headers)
        if not 400 <= response.status_code < 500:
            wrong.append(f"{op}: {response.status_code}")
    assert wrong == []


CASE_POSTS = [route for route in web_patterns() if route.startswith("cases/<uuid:case_id>/")
              or route.startswith("referrals/<uuid:referral_id>/<slug:verb>/")]
# Pages that answer a refused move with a redirect and a message (the stage is checked unchanged instead).
REDIRECT_ON_REFUSAL = {"cases/<uuid:case_id>/survivors/<uuid:party_id>/stage/"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_case_page_posts_with_empty_forms_never_500_nor_leak(world: World, subject: Subject, persona: str) -> None:
    client = web_client(world, persona)
    case_hidden = expected("GET /cases/<uuid:case_id>/")[persona] == "404"
    stage = current_stage(subject.survivor)
    wrong: list[str] = []
    for route in CASE_POSTS:
        response = client.post(fill(route, subject), {})
        status = response.status_code
        get_outcome = expected(f"GET /{route}")[persona]
        if status >= 500 or (300 <= status < 400 and route not in REDIRECT_ON_REFUSAL):
            wrong.append(f"{route}: {status}")  # a redirect after a POST is a success
        elif case_hidden and status not in (404, 405):
            wrong.append(f"{route}: the case is hidden, POST {status}")
        elif get_outcome in ("404", "403") and status not in (int(get_outcome), 405):
            wrong.append(f"{route}: GET {get_outcome}, POST {status}")
        if persona in NO_CASE_ACCESS and status == 200:
            assert SURVIVOR_NAME.encode() not in response.content
    assert wrong == []
    assert current_stage(CaseParty.objects.get(pk=subject.survivor.pk)) == stage
