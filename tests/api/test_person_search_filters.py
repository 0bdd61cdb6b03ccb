"""POST /persons/search with filters that tell namesakes apart: birth years, the state or district of a case, the
role in a case. They only ever narrow what the actor may see; bad values are 422 and nothing is audited; the audit
names the filters given, never their values or the name."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from icmc.audit.models import AuditEvent
from icmc.cases.models import Case, CaseParty
from icmc.demo.world import World
from tests.factories import person_data, report_case

NAME = "Kynsai Lyngdoh"
# Places of the cases below: all in Meghalaya, except the destination of `assam` (Kamrup Metropolitan).
EAST_KHASI = {"source_jurisdiction": "IN-ML-EAST-KHASI-HILLS", "destination_jurisdiction": "IN-ML-EAST-KHASI-HILLS"}
RI_BHOI = {"source_jurisdiction": "IN-ML-RI-BHOI", "destination_jurisdiction": "IN-ML-RI-BHOI"}


def _case(world: World, *, survivors: list[dict[str, object]], suspects: list[dict[str, object]] | None = None,
          **places: object) -> Case:
    return report_case(world, survivors=survivors, suspects=suspects or [], **places)


def _people(case: Case, role: str) -> list[str]:
    return [str(p) for p in CaseParty.objects.filter(case=case, role=role).order_by("created_at")
            .values_list("person_id", flat=True)]


def _found(api, **body: object) -> list[str]:
    response = api.post("/persons/search", {"name": NAME, **body})
    assert response.status_code == 200, response.content
    return [hit["id"] for hit in response.json()["results"]]


@pytest.fixture
def namesakes(world: World) -> dict[str, str]:
    """Five people called Kynsai Lyngdoh the Shillong centre may see, told apart only by the filters."""
    year = timezone.localdate().year
    east = _case(world, survivors=[person_data(NAME, estimated_age=None, birth_date=f"{year - 16}-05-01")],
                 suspects=[person_data(NAME, estimated_age=30)], **EAST_KHASI)
    ri_bhoi = _case(world, survivors=[person_data(NAME, estimated_age=15)], **RI_BHOI)
    assam = _case(world, survivors=[person_data(NAME, estimated_age=None)],
                  source_jurisdiction="IN-ML-RI-BHOI", destination_jurisdiction="IN-AS-KAMRUP-METROPOLITAN")
    return {"born_16_years_ago": _people(east, "survivor")[0], "suspect_aged_30": _people(east, "suspect")[0],
            "aged_15": _people(ri_bhoi, "survivor")[0], "age_unknown": _people(assam, "survivor")[0]}


def test_without_filters_every_namesake_is_found(api_as, namesakes):
    assert sorted(_found(api_as("cm.meghalaya"))) == sorted(namesakes.values())


def test_role(api_as, namesakes):
    api = api_as("cm.meghalaya")
    assert _found(api, role="suspect") == [namesakes["suspect_aged_30"]]
    assert namesakes["suspect_aged_30"] not in _found(api, role="survivor")
    assert _found(api, role="witness") == []


def test_district_and_state_of_a_case(api_as, namesakes):
    api = api_as("cm.meghalaya")
    assert sorted(_found(api, district="IN-ML-EAST-KHASI-HILLS")) == sorted(
        [namesakes["born_16_years_ago"], namesakes["suspect_aged_30"]])
    assert sorted(_found(api, district="IN-ML-RI-BHOI", role="survivor")) == sorted(
        [namesakes["aged_15"], namesakes["age_unknown"]])
    assert _found(api, state="IN-AS") == [namesakes["age_unknown"]]
    assert sorted(_found(api, state="IN-ML")) == sorted(namesakes.values())


def test_birth_years_from_the_birth_date_or_the_estimated_age(api_as, namesakes):
    """Aged 15 today: born this year minus 15 or minus 16. Nobody of unknown age is kept."""
    api = api_as("cm.meghalaya")
    year = timezone.localdate().year
    assert sorted(_found(api, born_from=year - 16, born_to=year - 16)) == sorted(
        [namesakes["born_16_years_ago"], namesakes["aged_15"]])
    assert _found(api, born_from=year - 15) == [namesakes["aged_15"]]
    assert _found(api, born_to=year - 17) == [namesakes["suspect_aged_30"]]
    assert _found(api, born_from=year - 31, born_to=year - 30) == [namesakes["suspect_aged_30"]]
    assert _found(api, born_to=year - 32) == []
    assert namesakes["age_unknown"] not in _found(api, born_from=1900)


def test_the_result_lists_only_the_cases_that_pass(api_as, namesakes):
    """The Ri Bhoi survivor also witnesses the East Khasi Hills case: with role=witness only that case is listed."""
    person = namesakes["aged_15"]
    api = api_as("cm.meghalaya")
    east = Case.objects.get(parties__person_id=namesakes["born_16_years_ago"])
    response = api.post(f"/cases/{east.id}/parties", {"person_id": person, "role": "witness"})
    assert response.status_code == 201, response.content
    hits = {hit["id"]: hit for hit in api.post("/persons/search", {"name": NAME}).json()["results"]}
    assert len(hits[person]["cases"]) == 2
    hits = {hit["id"]: hit for hit in api.post("/persons/search", {"name": NAME, "role": "witness"}).json()["results"]}
    assert list(hits) == [person]
    assert [(c["reference"], c["role"]) for c in hits[person]["cases"]] == [(east.reference, "witness")]


@pytest.mark.parametrize("username", ["cm.assam", "ahtu.wjh", "partner.nepal"])
def test_filters_never_reach_cases_one_may_not_see(api_as, namesakes, username):
    assert _found(api_as(username), state="IN-AS") == []
    assert _found(api_as(username), district="IN-ML-RI-BHOI", role="survivor") == []


@pytest.mark.parametrize("body", [
    {"born_from": 2012, "born_to": 2010}, {"born_from": 1800}, {"born_to": 9999}, {"born_from": "soon"},
    {"state": "IN-XX"}, {"state": "IN-ML-RI-BHOI"}, {"district": "IN-ML"}, {"role": "boss"}, {"age": 15},
])
def test_bad_filters_are_422_and_not_audited(api_as, namesakes, body):
    response = api_as("cm.meghalaya").post("/persons/search", {"name": NAME, **body})
    assert response.status_code == 422
    assert response.json()["errors"]
    assert "Lyngdoh" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="person.searched").exists()


def test_the_audit_names_the_filters_not_their_values(api_as, namesakes):
    found = _found(api_as("cm.meghalaya"), district="IN-ML-EAST-KHASI-HILLS", role="suspect")
    event = AuditEvent.objects.get(action="person.searched")
    assert event.details["filters"] == ["district", "role"]
    assert event.details["persons"] == found
    row = json.dumps(AuditEvent.objects.filter(pk=event.pk).values().first(), default=str)
    assert "EAST-KHASI" not in row and "Lyngdoh" not in row and "Kynsai" not in row
