"""The person search page: the name goes by POST, results link to case pages by id, roles without identities get
403, every search is audited."""

from __future__ import annotations

import pytest

from icmc.audit.models import AuditEvent
from icmc.cases.models import CaseParty
from tests.web.conftest import SURVIVOR_NAME

URL = "/persons/search/"


def test_the_page_sends_the_name_by_post(client_as, ml_case):
    response = client_as("cm.meghalaya").get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'method="post"' in html and 'name="name"' in html
    assert "Find a person" in html


def test_a_name_in_the_query_string_is_ignored(client_as, ml_case):
    response = client_as("cm.meghalaya").get(URL, {"name": SURVIVOR_NAME})
    assert response.status_code == 200
    assert 'id="person-results"' not in response.content.decode()
    assert not AuditEvent.objects.filter(action="person.searched").exists()


def test_search_finds_a_spelling_variant_and_links_the_case(client_as, ml_case):
    response = client_as("cm.meghalaya").post(URL, {"name": "Kinsai Testsurvivor"})
    assert response.status_code == 200
    html = response.content.decode()
    assert SURVIVOR_NAME in html
    assert f'href="/cases/{ml_case.id}/"' in html and ml_case.reference in html
    person = CaseParty.objects.get(case=ml_case, role="survivor").person_id
    event = AuditEvent.objects.get(action="person.searched")
    assert event.via == "web" and event.details["persons"] == [str(person)]


@pytest.mark.parametrize("username", ["ahtu.wjh", "nodal.assam", "cm.assam"])
def test_people_of_hidden_cases_are_not_shown(client_as, ml_case, username):
    response = client_as(username).post(URL, {"name": "Kinsai Testsurvivor"})  # echoed in the form only
    assert response.status_code == 200
    assert SURVIVOR_NAME not in response.content.decode()
    assert "Nobody found" in response.content.decode()


@pytest.mark.parametrize("username", ["media.shillong", "analyst", "admin"])
def test_roles_without_identities_get_403(client_as, ml_case, username):
    client = client_as(username)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"name": SURVIVOR_NAME})
    assert response.status_code == 403
    assert SURVIVOR_NAME not in response.content.decode()
    assert "Find a person" not in client.get("/").content.decode()  # no link in the menu either


def test_bad_input_is_400_with_the_message_next_to_the_field(client_as, ml_case):
    response = client_as("cm.meghalaya").post(URL, {"name": "K"})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not AuditEvent.objects.filter(action="person.searched").exists()


def test_filters_narrow_the_search_and_bad_years_are_shown(client_as, ml_case, world):
    client = client_as("cm.meghalaya")
    html = client.get(URL).content.decode()
    assert all(f'name="{field}"' in html for field in ("born_from", "born_to", "state", "district", "role"))
    assert "<details" in html and "<details class=\"search-filters\" open" not in html
    response = client.post(URL, {"name": "Kinsai Testsurvivor", "role": "suspect"})
    assert SURVIVOR_NAME not in response.content.decode() and "Nobody found" in response.content.decode()
    assert '<details class="search-filters" open' in response.content.decode()
    response = client.post(URL, {"name": "Kinsai Testsurvivor", "role": "survivor",
                                 "district": "IN-ML-EAST-KHASI-HILLS"})
    assert SURVIVOR_NAME in response.content.decode()
    response = client.post(URL, {"name": "Kinsai Testsurvivor", "born_from": "2020", "born_to": "2010"})
    assert response.status_code == 400
    assert "The last year is before the first." in response.content.decode()
    assert AuditEvent.objects.filter(action="person.searched").count() == 2
