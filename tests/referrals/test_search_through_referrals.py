"""Person search tests the parties one by one (icmc.access.queries.visible_parties_joined: the case's scopes on the
joined row, a referral's share by EXISTS probes): it must see exactly the parties visible_parties gives (its
`IN (...)` subqueries), for every persona, through partial and whole-case referrals."""

from __future__ import annotations

from typing import Any

from icmc.access.queries import visible_parties, visible_parties_joined
from icmc.cases.codes import PartyRole
from icmc.cases.models import Case
from icmc.demo.world import World
from tests.referrals.conftest import SURVIVOR_NAME, SUSPECT_NAME, consent_body, party, propose, sent_shelter_referral


def _same_parties(world: World) -> None:
    for username in world.users:
        actor = world.actor(username)
        if actor.membership is None:
            continue
        assert set(visible_parties_joined(actor=actor).values_list("pk", flat=True)) == set(
            visible_parties(actor=actor).values_list("pk", flat=True)), username


def _found(api: Any, name: str) -> list[str]:
    response = api.post("/persons/search", {"name": name})
    assert response.status_code == 200, response.content
    return [hit["id"] for hit in response.json()["results"]]


def test_a_survivor_referral_shares_the_survivor_only(world: World, api_as: Any, case: Case) -> None:
    referral_id = sent_shelter_referral(api_as, case, world)
    shelter = api_as("shelter.shillong")
    assert shelter.post(f"/referrals/{referral_id}/accept", {"message": "We have a bed."}).status_code == 200
    _same_parties(world)
    assert _found(shelter, SURVIVOR_NAME) == [str(party(case).person_id)]
    assert _found(shelter, SUSPECT_NAME) == []


def test_a_whole_case_referral_shares_every_party(world: World, api_as: Any, case: Case) -> None:
    cm = api_as("cm.meghalaya")
    consent = cm.post(f"/cases/{case.id}/consents", consent_body(case, purposes=["investigation"]))
    assert consent.status_code == 201, consent.content
    referral = propose(cm, case, world, to="ahtu_wjh", purpose="investigation", whole_case=True)
    assert referral.status_code == 201, referral.content
    assert cm.post(f"/referrals/{referral.json()['id']}/send", {"message": ""}).status_code == 200
    _same_parties(world)
    ahtu = api_as("ahtu.wjh")
    assert _found(ahtu, SURVIVOR_NAME) == [str(party(case).person_id)]
    assert _found(ahtu, SUSPECT_NAME) == [str(party(case, PartyRole.SUSPECT).person_id)]
    assert _found(api_as("shelter.shillong"), SURVIVOR_NAME) == []
