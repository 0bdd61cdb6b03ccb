"""Security.md item 9: media liaisons, analysts (and administrators) get no P0 from any route. Every GET route of
the pages and the API is driven for each of the seeded cases (demo cases reported through the real actions, and
the matrix's referred case), and no answer may carry any P0 value stored for them: names, aliases, phones,
place details of cases and rescues, travel permit numbers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from icmc.cases.models import CaseParty, CasePlace, PersonName, PersonPhone
from icmc.demo.directory import Directory
from icmc.demo.synth import iter_specs
from icmc.demo.world import World
from icmc.demo.write_actions import report_specs
from icmc.pathway.models import Repatriation, RescueOperation
from tests.factories import person_data, report_case
from tests.security.route_policy import GET_ROUTES
from tests.security.routes_probe import OTHER, Subject, api_headers, fill, make_subject, web_client

NEVER_P0 = ("media.shillong", "analyst", "admin")


def p0_values() -> set[bytes]:
    """Every P0 value stored for the cases (decrypted through the vault), as the bytes an answer would carry."""
    values = {n.value for n in PersonName.objects.all()} | {p.number for p in PersonPhone.objects.all()}
    values |= {place.detail for place in CasePlace.objects.all()}  # decrypted by the vault
    values |= {op.place_detail for op in RescueOperation.objects.all()}
    values |= set(Repatriation.objects.values_list("travel_permit_number", flat=True))
    return {v.encode() for v in values if v and len(v) >= 4}


@pytest.fixture
def subjects(world: World) -> list[Subject]:
    matrix = make_subject(world)
    seeded = report_specs(iter_specs(seed=5, count=4, anchor=timezone.localdate(), years=1,
                                     state_weights={"IN-ML": 1.0}), directory=Directory.load())
    seeded.append(report_case(world, survivors=[person_data("Rilang Scansurvivor", phone="+919811112222")],
                              source_detail="The blue house past the church"))
    found = [matrix]
    for case in seeded:
        survivor = CaseParty.objects.filter(case=case, role="survivor").order_by("created_at").first()
        assert survivor is not None
        found.append(Subject(case=case, survivor=survivor, referral_id=OTHER))
    return found


def scan(world: World, subjects: list[Subject], persona: str, secrets: set[bytes]) -> list[str]:
    """The GET routes whose answer to `persona` carries one of `secrets`, over every subject case."""
    client, api = web_client(world, persona), Client(headers=api_headers(world, persona))
    leaks: list[str] = []
    for key in GET_ROUTES:
        route = key.removeprefix("GET ")
        per_case = "case_id" in route or "person_id" in route or "party_id" in route
        for subject in subjects if per_case else subjects[:1]:
            path = fill(route, subject)
            response = api.get(path) if route.startswith("/api/") else client.get(path)
            leaks += [f"{key} ({response.status_code})" for secret in secrets if secret in response.content]
    return leaks


def test_the_scan_finds_identities_where_they_are_shown(world: World, subjects: list[Subject]) -> None:
    """The control: the owner's case manager does receive them (so the scan is able to see a leak)."""
    leaks = scan(world, subjects, "cm.meghalaya", p0_values())
    assert any(leak.startswith("GET /cases/<uuid:case_id>/ ") for leak in leaks)
    assert any(leak.startswith("GET /api/v1/cases/{case_id} ") for leak in leaks)


@pytest.mark.parametrize("persona", NEVER_P0)
def test_no_route_gives_p0_to_media_analysts_or_administrators(world: World, subjects: list[Subject],
                                                                persona: str) -> None:
    secrets = p0_values()
    assert len(secrets) > 10  # names, phones and place details of several cases
    leaks = scan(world, subjects, persona, secrets)
    client, api = web_client(world, persona), Client(headers=api_headers(world, persona))
    for secret in sorted(secrets)[:5]:  # person search: refused for these roles, whatever the name
        name = secret.decode()
        assert client.post("/persons/search/", {"name": name}).status_code in (403, 404)
        assert secret not in api.post("/api/v1/persons/search", {"name": name},
                                      content_type="application/json").content
    assert leaks == []
