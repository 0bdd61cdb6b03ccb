"""Fixtures for the referral tests: API and page clients per persona (from tests/api and tests/web), and a
Meghalaya case with an adult survivor and an accused person."""

from __future__ import annotations

from typing import Any

import pytest

from icmc.cases.codes import PartyRole
from icmc.cases.models import Case, CaseParty
from icmc.demo.world import World
from tests.api.conftest import Api, anonymous, api_as  # noqa: F401  (fixtures)
from tests.factories import person_data, report_case
from tests.web.conftest import client_as  # noqa: F401  (fixture)

SURVIVOR_NAME = "Kynsai Referralsurvivor"
SUSPECT_NAME = "Bah Referralaccused"
ALL_PROMPTS = ["purpose", "uses", "access_right", "retention", "withdrawal"]


@pytest.fixture
def case(world: World) -> Case:
    """Owned by the Shillong centre; source AHTU East Khasi Hills; an adult survivor and an accused."""
    return report_case(world, survivors=[person_data(SURVIVOR_NAME, estimated_age=24)],
                       suspects=[person_data(SUSPECT_NAME, gender="Masculine", estimated_age=40)],
                       source_ahtu=str(world.organisations["ahtu_ekh"].pk),
                       destination_jurisdiction="IN-ML-WEST-JAINTIA-HILLS")


@pytest.fixture
def minor_case(world: World) -> Case:
    return report_case(world, survivors=[person_data(SURVIVOR_NAME, estimated_age=15)],
                       destination_jurisdiction="IN-ML-WEST-JAINTIA-HILLS")


def party(case: Case, role: str = PartyRole.SURVIVOR) -> CaseParty:
    return CaseParty.objects.get(case=case, role=role)


def consent_body(case: Case, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"survivor": str(party(case).id), "basis": "survivor", "response": "consented",
                            "prompts_explained": ALL_PROMPTS, "purposes": ["shelter"], "reason": "",
                            "given_on": "2025-01-10"}
    body.update(overrides)
    return body


def propose(api: Api, case: Case, world: World, *, to: str = "shelter_shillong", purpose: str = "shelter",
            whole_case: bool = False) -> Any:
    body = {"to_organisation": str(world.organisations[to].id), "purpose": purpose,
            "survivor": "" if whole_case else str(party(case).id), "message": "Needs a safe place tonight."}
    return api.post(f"/cases/{case.id}/referrals", body)


def sent_shelter_referral(api_as: Any, case: Case, world: World) -> str:  # noqa: F811
    """A shelter referral of the survivor to Shakti Sadan Shillong, with consent, sent; returns its id."""
    cm = api_as("cm.meghalaya")
    assert cm.post(f"/cases/{case.id}/consents", consent_body(case)).status_code == 201
    referral_id = propose(cm, case, world).json()["id"]
    assert cm.post(f"/referrals/{referral_id}/send", {"message": ""}).status_code == 200
    return str(referral_id)
