"""Reading cases through the API: who sees which case (scopes), what the list and detail carry."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from icmc.cases.models import Case
from tests.api.conftest import make_token
from tests.factories import person_data, report_case

NOT_FOUND = {"detail": "Not found."}


@pytest.mark.parametrize("username", ["cm.meghalaya", "ahtu.ekh", "nodal.meghalaya"])
def test_case_visible_to_owner_assigned_ahtu_and_state_nodal(api_as, shillong_case, username):
    api = api_as(username)
    detail = api.get(f"/cases/{shillong_case.id}")
    assert detail.status_code == 200
    assert detail.json()["reference"] == shillong_case.reference
    listed = api.get("/cases").json()
    assert [row["id"] for row in listed["results"]] == [str(shillong_case.id)]


@pytest.mark.parametrize("username", ["ahtu.wjh", "ahtu.kamrup", "nodal.assam", "cm.assam", "media.shillong",
                                      "analyst", "admin", "partner.nepal"])
def test_case_hidden_from_other_district_state_and_roles_without_case_access(api_as, shillong_case, username):
    api = api_as(username)
    detail = api.get(f"/cases/{shillong_case.id}")
    assert detail.status_code == 404
    assert detail.json() == NOT_FOUND
    listed = api.get("/cases").json()
    assert listed["count"] == 0
    assert listed["results"] == []
    assert api.get(f"/cases/{shillong_case.id}/timeline").status_code == 404


def test_missing_and_forbidden_case_give_the_same_answer(api_as, shillong_case):
    api = api_as("ahtu.wjh")
    forbidden = api.get(f"/cases/{shillong_case.id}")
    missing = api.get("/cases/00000000-0000-4000-8000-000000000000")
    malformed = api.get("/cases/not-a-uuid")
    assert forbidden.status_code == missing.status_code == malformed.status_code == 404
    assert forbidden.content == missing.content == malformed.content


def test_state_nodal_officer_sees_case_with_a_place_in_the_state(world, api_as):
    case = report_case(world, "cm.meghalaya", destination_jurisdiction="IN-AS-KAMRUP-METROPOLITAN")
    assert api_as("nodal.assam").get(f"/cases/{case.id}").status_code == 200
    assert api_as("ahtu.kamrup").get(f"/cases/{case.id}").status_code == 404


def test_list_rows_carry_no_names_and_no_place_details(world, api_as):
    report_case(world, "cm.meghalaya", summary="Plain summary.", source_detail="Secret-Village-Detail",
                survivors=[person_data("Zyxwv Example")], source_ahtu=str(world.organisations["ahtu_ekh"].id))
    response = api_as("cm.meghalaya").get("/cases")
    body = response.content.decode()
    assert "Zyxwv" not in body
    assert "Secret-Village-Detail" not in body
    assert "Reporter Example" not in body
    row = response.json()["results"][0]
    assert set(row) == {"id", "reference", "reported_at", "stage", "status", "exploitation_types", "places",
                        "survivor_count", "owner"}
    assert row["survivor_count"] == 1
    assert row["exploitation_types"] == ["SexualExploitation"]
    assert row["places"][0] == {"kind": "recruitment",
                                "jurisdiction": {"code": "IN-ML-EAST-KHASI-HILLS", "name": "East Khasi Hills"}}
    assert row["owner"]["name"] == world.organisations["centre_ml"].name


def test_case_detail_shape(world, api_as, shillong_case):
    body = api_as("ahtu.ekh").get(f"/cases/{shillong_case.id}").json()
    assert body["status"] == "Active"
    assert body["stage"] == "reported"
    assert body["reporter_type"] == "family"
    assert body["source_ahtu"] == {"id": str(world.organisations["ahtu_ekh"].id), "name": "AHTU East Khasi Hills"}
    assert body["destination_ahtu"] is None
    assert body["version"] == 1
    roles = sorted(p["role"] for p in body["parties"])
    assert roles == ["reporter", "survivor"]
    survivor = next(p for p in body["parties"] if p["role"] == "survivor")["person"]
    assert survivor["names"] == [{"value": "Survivor Example", "script": "Latn", "is_alias": False}]
    assert survivor["estimated_age"] == 15
    assert survivor["is_minor"] is True
    assert body["places"] == [{"kind": "recruitment", "detail": "",
                               "jurisdiction": {"code": "IN-ML-EAST-KHASI-HILLS", "name": "East Khasi Hills"}}]
    assert body["firs"] == []
    assert body["notes"] == []


def test_timeline_lists_the_report(api_as, shillong_case):
    response = api_as("cm.meghalaya").get(f"/cases/{shillong_case.id}/timeline")
    assert response.status_code == 200
    [entry] = response.json()
    assert entry["action"] == "case.reported"
    assert entry["label"] == "Case reported"
    assert entry["organisation_name"] == "Impulse Case Management Centre, Shillong"
    assert entry["actor_name"] == "Ibapyntngen Kharkongor"


def test_filters_narrow_the_list(world, api_as):
    ekh = report_case(world, "cm.meghalaya", destination_jurisdiction="")
    wjh = report_case(world, "cm.meghalaya", source_jurisdiction="IN-ML-WEST-JAINTIA-HILLS",
                      destination_jurisdiction="", exploitation_types=["ForcedLabour"])
    api = api_as("cm.meghalaya")

    def ids(**params):
        response = api.get("/cases", params)
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {str(ekh.id), str(wjh.id)}
    assert ids(district="IN-ML-WEST-JAINTIA-HILLS") == {str(wjh.id)}
    assert ids(exploitation_type="ForcedLabour") == {str(wjh.id)}
    assert ids(state="IN-ML") == {str(ekh.id), str(wjh.id)}
    assert ids(state="IN-AS") == set()
    assert ids(mine="true") == {str(ekh.id), str(wjh.id)}
    assert ids(stage="rescued") == set()


def test_invalid_filters_give_422_with_the_page_messages(api_as, shillong_case):
    response = api_as("cm.meghalaya").get("/cases", {"district": "XX-NOWHERE", "stage": "nope",
                                                     "reported_from": "2026-02-01", "reported_to": "2026-01-01"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Invalid input."
    assert body["errors"]["district"] == ["Unknown district code."]
    assert set(body["errors"]) == {"district", "stage", "reported_to"}


def test_page_size_over_100_is_refused(api_as, shillong_case):
    response = api_as("cm.meghalaya").get("/cases", {"page_size": 101})
    assert response.status_code == 422
    assert response.json()["errors"] == {"page_size": ["Ensure this value is less than or equal to 100."]}
    assert api_as("cm.meghalaya").get("/cases", {"page": "x"}).json()["errors"] == {"page": ["Enter a whole number."]}


def test_pagination(world, api_as):
    for _ in range(7):
        report_case(world, "cm.meghalaya")
    api = api_as("cm.meghalaya")
    first = api.get("/cases", {"page_size": 3}).json()
    assert (first["count"], first["page"], first["page_size"], first["pages"]) == (7, 1, 3, 3)
    last = api.get("/cases", {"page_size": 3, "page": 3}).json()
    assert len(last["results"]) == 1
    beyond = api.get("/cases", {"page_size": 3, "page": 4}).json()
    assert beyond["results"] == [] and beyond["count"] == 7
    seen = [row["id"] for page in (1, 2, 3) for row in api.get("/cases", {"page_size": 3, "page": page}).json()
            ["results"]]
    # Page 3 is read backwards from the end (icmc.cases.queries.page_rows): the same order all the same.
    assert seen == [str(pk) for pk in Case.objects.order_by("-reported_at", "-id").values_list("pk", flat=True)]


def test_list_query_count_does_not_grow_with_page_size(world, client):
    for _ in range(60):
        report_case(world, "cm.meghalaya")
    assert Case.objects.count() == 60
    headers = {"Authorization": f"Bearer {make_token(world, 'cm.meghalaya')}"}
    client.get("/api/v1/me", headers=headers)  # the token's first use notes last_used_at (one write)
    counts = {}
    for size in (5, 50):
        cache.clear()  # both counted afresh (a count is remembered between pages: icmc.cases.queries)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/api/v1/cases", {"page_size": size}, headers=headers)
        assert response.status_code == 200
        assert len(response.json()["results"]) == size
        counts[size] = len(ctx.captured_queries)
    assert counts[5] == counts[50]
    assert counts[50] <= 10


def test_case_detail_leaves_out_identities_for_a_role_without_identity_access(world, api_as, monkeypatch):
    """Fail closed: a role that may see the case but not identities gets no names, phones, birth dates or
    place details (today every case-viewing role also holds the identity permission)."""
    from icmc.access.policy import POLICY, Perm
    from icmc.accounts.reference import Role

    monkeypatch.delitem(POLICY[Role.STATE_NODAL_OFFICER], Perm.PERSON_VIEW_IDENTITY)
    case = report_case(world, "cm.meghalaya", destination_jurisdiction="", source_detail="Hamlet Example",
                       survivors=[person_data(phone="+919800000003", estimated_age=None, birth_date="2010-01-01")])
    response = api_as("nodal.meghalaya").get(f"/cases/{case.id}")
    assert response.status_code == 200
    body = response.content.decode()
    for secret in ("Survivor Example", "Reporter Example", "+919800000003", "2010-01-01", "Hamlet Example"):
        assert secret not in body
    survivor = next(p for p in response.json()["parties"] if p["role"] == "survivor")["person"]
    assert survivor["names"] == [] and survivor["phones"] == [] and survivor["birth_date"] is None
    assert survivor["is_minor"] is True
    full = api_as("cm.meghalaya").get(f"/cases/{case.id}").content.decode()
    assert "Hamlet Example" in full and "+919800000003" in full
