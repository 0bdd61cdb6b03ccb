"""An organisation with more referred cases than are inlined as ids (an AHTU at 100,000 cases has ~10,000) sees
exactly the same cases through the subquery path as through the list of ids: lists, the case page, the API."""

from __future__ import annotations

from typing import Any

import pytest

from icmc.access import queries
from icmc.access.queries import access_case, visible_cases
from icmc.cases.models import Case
from icmc.demo.world import World
from tests.factories import person_data, report_case
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


def test_an_organisation_known_to_have_many_is_not_recounted_and_sees_new_referrals(
        world: World, api_as: Any, case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    referral_id = sent_shelter_referral(api_as, case, world)
    assert api_as("shelter.shillong").post(f"/referrals/{referral_id}/accept", {"message": "Bed."}).status_code == 200
    monkeypatch.setattr(queries, "REFERRED_IDS_INLINE", 0)
    monkeypatch.setattr(queries, "_MANY_REFERRED", {})
    actor = world.actor("shelter.shillong")
    assert set(visible_cases(actor=actor).values_list("pk", flat=True)) == {case.pk}
    assert list(queries._MANY_REFERRED) == [(world.organisations["shelter_shillong"].pk, 0)]
    later = report_case(world, survivors=[person_data("Later Survivor", estimated_age=30)],
                        source_ahtu=str(world.organisations["ahtu_ekh"].pk),
                        destination_jurisdiction="IN-ML-WEST-JAINTIA-HILLS")  # referred after "many" was found
    second_referral = sent_shelter_referral(api_as, later, world)
    assert api_as("shelter.shillong").post(f"/referrals/{second_referral}/accept", {}).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert set(visible_cases(actor=actor).values_list("pk", flat=True)) == {case.pk, later.pk}
    assert not any("DISTINCT" in q["sql"] for q in second.captured_queries)  # no list of referred cases read
