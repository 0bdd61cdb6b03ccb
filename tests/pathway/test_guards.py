"""Steps the workflow refuses, by page (a message, no 500) and by API (409 with the reason)."""

from __future__ import annotations

from icmc.cases.models import Case
from icmc.pathway.models import SurvivorPathway
from tests.pathway.conftest import survivors
from tests.pathway.helpers import to_rehabilitation, to_repatriation_unsafe
from tests.web.conftest import has_text


def _stage(party) -> str:
    return SurvivorPathway.objects.get(party=party).stage


def test_repatriation_without_hir_is_refused(world, api_as, client_as, two_survivor_case):
    case = two_survivor_case
    party = survivors(case)[0]
    cm = api_as("cm.meghalaya")
    to_rehabilitation(world=world, cm=cm, ahtu=api_as("ahtu.ekh"), case=case, party=str(party.id))
    response = cm.post(f"/cases/{case.id}/survivors/{party.id}/stage", {"to": "repatriation"})
    assert response.status_code == 409
    assert "home investigation report" in response.json()["detail"]
    page = client_as("cm.meghalaya").post(f"/cases/{case.id}/survivors/{party.id}/stage/",
                                          {"to": "repatriation"}, follow=True)
    assert page.status_code == 200
    assert has_text(page, "Repatriation needs a home investigation report")
    assert _stage(party) == "rehabilitation"


def test_close_as_convicted_without_conviction_is_refused(api_as, client_as, two_survivor_case):
    case = two_survivor_case
    response = api_as("cm.meghalaya").post(f"/cases/{case.id}/close", {"outcome": "closed_with_conviction"})
    assert response.status_code == 409
    assert "convicts" in response.json()["detail"]
    page = client_as("cm.meghalaya").post(f"/cases/{case.id}/closure/", {"outcome": "closed_with_conviction",
                                                                         "reason": ""}, follow=True)
    assert page.status_code == 200
    assert has_text(page, "closes with conviction only when a verdict convicts")
    assert Case.objects.get(pk=case.pk).status == "Active"


def test_other_outcomes_need_a_reason_and_reopen_is_audited(api_as, two_survivor_case):
    api = api_as("cm.meghalaya")
    base = f"/cases/{two_survivor_case.id}"
    assert api.post(f"{base}/close", {"outcome": "survivor_withdrew"}).json()["errors"] == {
        "reason": ["Give the reason for closing the case with this outcome."]}
    assert api.post(f"{base}/close", {"outcome": "survivor_withdrew", "reason": "Moved away"}).status_code == 200
    assert api.post(f"{base}/close", {"outcome": "transferred", "reason": "x"}).status_code == 409
    reopened = api.post(f"{base}/reopen", {"reason": "New evidence"})
    assert reopened.json() == {"status": "Active", "stage": "reported", "closure_outcome": None}


def test_minor_is_not_reintegrated_without_cwc_order(world, api_as, client_as, two_survivor_case):
    case = two_survivor_case
    minor = survivors(case)[0]
    cm = api_as("cm.meghalaya")
    to_repatriation_unsafe(world=world, cm=cm, ahtu=api_as("ahtu.ekh"), case=case, party=str(minor.id))
    response = cm.post(f"/cases/{case.id}/survivors/{minor.id}/stage", {"to": "reintegration"})
    assert response.status_code == 409
    assert "Child Welfare Committee" in response.json()["detail"]
    page = client_as("cm.meghalaya").post(f"/cases/{case.id}/survivors/{minor.id}/stage/",
                                          {"to": "reintegration"}, follow=True)
    assert page.status_code == 200
    assert has_text(page, "re-integrated only on an order of the Child Welfare Committee")
    assert _stage(minor) == "repatriation"


def test_adult_is_reintegrated_without_cwc_and_gets_a_follow_up_plan(world, api_as, two_survivor_case):
    case = two_survivor_case
    adult = survivors(case)[1]
    cm = api_as("cm.meghalaya")
    to_repatriation_unsafe(world=world, cm=cm, ahtu=api_as("ahtu.ekh"), case=case, party=str(adult.id))
    assert cm.post(f"/cases/{case.id}/survivors/{adult.id}/stage", {"to": "reintegration"}).status_code == 200
    survivor = cm.get(f"/cases/{case.id}/pathway").json()["survivors"][1]
    assert survivor["stage"] == "reintegration"
    assert [v["status"] for v in survivor["follow_up"]["visits"]][:2] == ["due", "planned"]
    # The least advanced open survivor (the minor, still reported) sets the case's stage.
    assert cm.get(f"/cases/{case.id}/pathway").json()["case_stage"] == "reported"
