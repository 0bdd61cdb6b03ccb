"""An organisation with more referred cases than are inlined as ids (an AHTU at 100,000 cases has ~10,000) sees
exactly the same cases through the subquery path as through the list of ids: lists, the case page, the API."""

from __future__ import annotations

from typing import Any

import pytest

from icmc.access import queries
from icmc.access.queries import access_case, visible_cases
from icmc.cases.models import Case
from icmc.demo.world import World
from tests.factories import report_case
from tests.referrals.conftest import sent_shelter_referral


@pytest.mark.parametrize("inline", [2000, 0], ids=["ids-inline", "subquery"])
def test_referred_cases_are_seen_the_same_through_either_path(world: World, api_as: Any, case: Case, inline: int,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    other = report_case(world)  # never referred to the shelter
    referral_id = sent_shelter_referral(api_as, case, world)
    shelter = api_as("shelter.shillong")
    assert shelter.post(f"/referrals/{referral_id}/accept", {"message": "We have a bed."}).status_code == 200
    monkeypatch.setattr(queries, "REFERRED_IDS_INLINE", inline)
    actor = world.actor("shelter.shillong")
    assert set(visible_cases(actor=actor).values_list("pk", flat=True)) == {case.pk}
    assert access_case(actor=actor, case_id=case.id) == case
    assert shelter.get(f"/cases/{case.id}").status_code == 200
    assert shelter.get(f"/cases/{other.id}").status_code == 404
    assert [c["id"] for c in shelter.get("/cases").json()["results"]] == [str(case.id)]
