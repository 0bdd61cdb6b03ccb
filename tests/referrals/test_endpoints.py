"""An allowed and a denied call for every referral endpoint (API and pages)."""

from __future__ import annotations

from typing import Any

from icmc.cases.models import Case
from icmc.demo.world import World
from tests.referrals.conftest import consent_body, propose, sent_shelter_referral


def test_case_referrals_list(world: World, api_as: Any, anonymous: Any, case: Case) -> None:
    assert api_as("cm.meghalaya").get(f"/cases/{case.id}/referrals").status_code == 200
    assert api_as("cm.assam").get(f"/cases/{case.id}/referrals").status_code == 404
    assert anonymous.get(f"/cases/{case.id}/referrals").status_code == 401


def test_propose(world: World, api_as: Any, case: Case) -> None:
    assert propose(api_as("cm.meghalaya"), case, world).status_code == 201
    assert propose(api_as("cm.assam"), case, world).status_code == 404
    assert propose(api_as("nodal.meghalaya"), case, world).status_code == 403  # sees the case, may not refer
    bad = api_as("cm.meghalaya").post(f"/cases/{case.id}/referrals", {"purpose": "holiday"})
    assert bad.status_code == 422 and {"purpose", "to_organisation"} <= set(bad.json()["errors"])


def test_received_list_shows_only_ones_own_sent_referrals(world: World, api_as: Any, case: Case) -> None:
    shelter = api_as("shelter.shillong")
    propose(api_as("cm.meghalaya"), case, world)
    assert shelter.get("/referrals/received").json() == []  # proposed: not yet received
    referral_id = sent_shelter_referral(api_as, case, world)
    assert [r["id"] for r in shelter.get("/referrals/received").json()] == [referral_id]
    assert api_as("cwc.ekh").get("/referrals/received").json() == []


def test_get_referral(world: World, api_as: Any, case: Case) -> None:
    referral_id = propose(api_as("cm.meghalaya"), case, world).json()["id"]
    assert api_as("cm.meghalaya").get(f"/referrals/{referral_id}").status_code == 200
    assert api_as("shelter.shillong").get(f"/referrals/{referral_id}").status_code == 404  # not sent yet
    assert api_as("cm.assam").get(f"/referrals/{referral_id}").status_code == 404


def test_moves_by_side_and_state(world: World, api_as: Any, case: Case) -> None:
    referral_id = sent_shelter_referral(api_as, case, world)
    cm, shelter = api_as("cm.meghalaya"), api_as("shelter.shillong")
    assert cm.post(f"/referrals/{referral_id}/accept", {}).status_code == 403  # the sender cannot accept
    assert cm.post(f"/referrals/{referral_id}/send", {}).status_code == 422  # already sent
    assert shelter.post(f"/referrals/{referral_id}/withdraw", {"message": "x"}).status_code == 403
    assert shelter.post(f"/referrals/{referral_id}/accept", {}).status_code == 200
    assert shelter.post(f"/referrals/{referral_id}/decline", {"message": "x"}).status_code == 422
    assert shelter.post(f"/referrals/{referral_id}/fly", {}).status_code == 404
    assert api_as("cm.assam").post(f"/referrals/{referral_id}/complete", {}).status_code == 404
    assert cm.post(f"/referrals/{referral_id}/complete", {}).status_code == 200


def test_consents(world: World, api_as: Any, case: Case) -> None:
    cm = api_as("cm.meghalaya")
    assert cm.post(f"/cases/{case.id}/consents", consent_body(case)).status_code == 201
    assert len(cm.get(f"/cases/{case.id}/consents").json()) == 1
    assert api_as("cm.assam").post(f"/cases/{case.id}/consents", consent_body(case)).status_code == 404
    sent_shelter_referral(api_as, case, world)
    shelter = api_as("shelter.shillong")
    assert shelter.get(f"/cases/{case.id}/consents").status_code == 403
    assert shelter.post(f"/cases/{case.id}/consents", consent_body(case)).status_code == 403
    missing_prompts = cm.post(f"/cases/{case.id}/consents", consent_body(case, prompts_explained=["purpose"]))
    assert missing_prompts.status_code == 422 and "prompts_explained" in missing_prompts.json()["errors"]
