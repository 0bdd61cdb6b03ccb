"""GET /persons/{id}: a person the actor may see, with the cases the actor sees them in."""

from __future__ import annotations

import pytest

from icmc.cases.models import CaseParty


@pytest.fixture
def survivor(shillong_case):
    return CaseParty.objects.get(case=shillong_case, role="survivor").person


@pytest.mark.parametrize("username", ["cm.meghalaya", "ahtu.ekh", "nodal.meghalaya"])
def test_person_visible_through_a_visible_case(api_as, shillong_case, survivor, username):
    response = api_as(username).get(f"/persons/{survivor.id}")
    assert response.status_code == 200
    body = response.json()
    assert body["names"][0]["value"] == "Survivor Example"
    assert body["is_minor"] is True
    assert body["cases"] == [{"id": str(shillong_case.id), "reference": shillong_case.reference,
                              "role": "survivor"}]


@pytest.mark.parametrize("username", ["ahtu.wjh", "ahtu.kamrup", "cm.assam", "nodal.assam", "media.shillong",
                                      "analyst"])
def test_person_hidden_is_404(api_as, survivor, username):
    api = api_as(username)
    response = api.get(f"/persons/{survivor.id}")
    assert response.status_code == 404
    assert response.content == api.get("/persons/00000000-0000-4000-8000-000000000000").content


def test_person_unauthenticated_is_401(anonymous, survivor):
    assert anonymous.get(f"/persons/{survivor.id}").status_code == 401
