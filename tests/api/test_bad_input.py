"""Bad input anywhere gives a clear 4xx, never a 500, and saves nothing (on SQLite and PostgreSQL alike:
PostgreSQL refuses NUL bytes in text, so they must be stopped before any query)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from icmc.audit.models import AuditEvent
from icmc.cases.models import Case, Person
from tests.api.conftest import make_token
from tests.factories import person_data, report_data


def intake(**overrides: Any) -> dict[str, Any]:
    data = {**report_data(destination_jurisdiction=""), "survivors": [person_data()], "suspects": []}
    data.update(overrides)
    return data


BAD_INTAKE = [
    {"source_ahtu": "junk"}, {"fir_police_station": "junk"}, {"survivors": [None]}, {"survivors": "x"},
    {"survivors": [{}]}, {"exploitation_types": [1]}, {"survivors": [person_data(citizenship=[None])]},
    {"survivors": [person_data(citizenship=["XX"], languages=["xxx"])]},
    {"survivors": [person_data(estimated_age=10**20)]},
    {"survivors": [person_data(birth_date="0001-01-01", estimated_age=None)]},
    {"survivors": [person_data(birth_date="2000-01-01", estimated_age=20)]},
    {"reported_at": "junk"}, {"reported_at": ""}, {"reported_at": "2026-01-01T00:00:00+99:00"},
    {"reported_at": "9999-12-31T23:59:59+00:00"}, {"fir_date": "2026-13-45"}, {"fir_number": "1/2026"},
    {"reporter_type": "anonymous"}, {"reporter_phone": "call me"},
    {"source_jurisdiction": "IN\x00ML"}, {"source_ahtu": "8fb655ad\x00"}, {"summary": "a\x00b"},
    {"reporter_type": "fam\x00ily"}, {"reported_at": "2026\x00"}, {"exploitation_types": ["Sexual\x00"]},
    {"survivors": [person_data(citizenship=["I\x00"], languages=["k\x00a"], gender="F\x00")]},
]


@pytest.mark.parametrize("overrides", BAD_INTAKE)
def test_bad_intake_is_422_and_saves_nothing(world, client, overrides):
    headers = {"Authorization": f"Bearer {make_token(world, 'cm.meghalaya')}"}
    before = (Case.objects.count(), Person.objects.count(), AuditEvent.objects.count())
    response = client.post("/api/v1/cases", json.dumps(intake(**overrides)), content_type="application/json",
                           headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"] == "Invalid input."
    assert response.json()["errors"]
    assert (Case.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize("path,query", [
    ("/cases", "district=IN%00"), ("/cases", "state=%00"), ("/cases", "stage=%00"), ("/cases", "reported_from=%00"),
    ("/reference/jurisdictions", "parent=%00"), ("/reference/jurisdictions", "country=%00"),
    ("/reference/organisations", "kind=%00"),
])
def test_bad_query_is_422(world, client, path, query):
    headers = {"Authorization": f"Bearer {make_token(world, 'cm.meghalaya')}"}
    response = client.get(f"/api/v1{path}?{query}", headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"] == "Invalid input."


def test_page_far_beyond_the_last_is_empty(world, client):
    headers = {"Authorization": f"Bearer {make_token(world, 'cm.meghalaya')}"}
    response = client.get("/api/v1/cases?page=99999999999999999999", headers=headers)
    assert response.status_code == 200
    assert response.json()["results"] == []
