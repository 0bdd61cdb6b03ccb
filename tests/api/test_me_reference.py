"""GET /me, the directory (reference data) and the OpenAPI schema."""

from __future__ import annotations

import pytest

from icmc.access.policy import Perm


def test_me(world, api_as):
    body = api_as("ahtu.ekh").get("/me").json()
    assert body["user"] == {"id": str(world.users["ahtu.ekh"].id), "username": "ahtu.ekh",
                            "full_name": "Bankit Lyngdoh"}
    org = world.organisations["ahtu_ekh"]
    assert body["membership"] == {"id": str(world.memberships["ahtu.ekh"].id), "role": "ahtu_officer",
                                  "organisation": {"id": str(org.id), "name": org.name, "kind": "ahtu"}}
    assert Perm.CASE_VIEW in body["permissions"]
    assert Perm.CASE_REPORT not in body["permissions"]
    assert len(body["memberships"]) == 1


def test_media_has_no_case_permissions(api_as):
    assert api_as("media.shillong").get("/me").json()["permissions"] == [Perm.API_TOKEN_MANAGE]


def test_me_unauthenticated(anonymous):
    assert anonymous.get("/me").status_code == 401


@pytest.mark.parametrize("username", ["media.shillong", "partner.nepal", "cm.assam"])
def test_reference_readable_by_any_authenticated_user(api_as, username):
    api = api_as(username)
    districts = api.get("/reference/jurisdictions", {"parent": "IN-ML", "level": "district"})
    assert districts.status_code == 200
    codes = {j["code"] for j in districts.json()}
    assert "IN-ML-EAST-KHASI-HILLS" in codes
    assert all(code.startswith("IN-ML-") for code in codes)
    assert {j["country"] for j in api.get("/reference/jurisdictions", {"country": "np"}).json()} == {"NP"}
    ahtus = api.get("/reference/organisations", {"kind": "ahtu"}).json()
    assert {o["name"] for o in ahtus} >= {"AHTU East Khasi Hills", "AHTU Kamrup Metropolitan"}
    assert {o["kind"] for o in ahtus} == {"ahtu"}
    ekh = next(o for o in ahtus if o["name"] == "AHTU East Khasi Hills")
    assert ekh["pillars"] == ["policing"] and ekh["jurisdiction"] == "IN-ML-EAST-KHASI-HILLS"
    codes_body = api.get("/reference/codes").json()
    assert {"code": "SexualExploitation", "label": "Sexual exploitation"} in codes_body["exploitation_types"]
    assert {c["code"] for c in codes_body["languages"]} >= {"kha", "eng", "nep"}


def test_reference_bad_filter_is_422(api_as):
    api = api_as("cm.meghalaya")
    assert api.get("/reference/jurisdictions", {"level": "galaxy"}).json()["errors"] == {
        "level": ["Not one of the allowed values."]}
    assert api.get("/reference/organisations", {"kind": "spaceship"}).status_code == 422


@pytest.mark.parametrize("path", ["/reference/jurisdictions", "/reference/organisations", "/reference/codes"])
def test_reference_unauthenticated(anonymous, path):
    assert anonymous.get(path).status_code == 401


def test_openapi_schema_lists_the_routes(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    expected = {
        "/api/v1/me": {"get"}, "/api/v1/cases": {"get", "post"}, "/api/v1/cases/{case_id}": {"get"},
        "/api/v1/cases/{case_id}/timeline": {"get"}, "/api/v1/cases/{case_id}/coordination": {"get"},
        "/api/v1/cases/{case_id}/notes": {"post"},
        "/api/v1/cases/{case_id}/parties": {"post"}, "/api/v1/cases/{case_id}/fir": {"put"},
        "/api/v1/persons/{person_id}": {"get"}, "/api/v1/persons/search": {"post"},
        "/api/v1/reference/jurisdictions": {"get"},
        "/api/v1/reference/organisations": {"get"}, "/api/v1/reference/codes": {"get"},
        # the 6R pathway and prosecution
        "/api/v1/cases/{case_id}/pathway": {"get"}, "/api/v1/cases/{case_id}/pathway/{kind}": {"post"},
        "/api/v1/cases/{case_id}/pathway/{kind}/{record_id}": {"put"},
        "/api/v1/cases/{case_id}/survivors/{party_id}/stage": {"post"},
        "/api/v1/cases/{case_id}/prosecution": {"get"}, "/api/v1/cases/{case_id}/prosecution/{kind}": {"post"},
        "/api/v1/cases/{case_id}/prosecution/{kind}/{record_id}": {"put"},
        "/api/v1/cases/{case_id}/close": {"post"}, "/api/v1/cases/{case_id}/reopen": {"post"},
        "/api/v1/offences": {"get"},
        # referrals and consent
        "/api/v1/cases/{case_id}/referrals": {"get", "post"}, "/api/v1/cases/{case_id}/consents": {"get", "post"},
        "/api/v1/tasks": {"get"}, "/api/v1/tasks/{task_id}/complete": {"post"},
        "/api/v1/notifications": {"get"}, "/api/v1/notifications/{notification_id}/read": {"post"},
        "/api/v1/referrals/received": {"get"}, "/api/v1/referrals/{referral_id}": {"get"},
        "/api/v1/referrals/{referral_id}/{verb}": {"post"},
        # sync between nodes (signed by the node, docs/sync.md)
        "/api/v1/sync/feed": {"get"}, "/api/v1/sync/push": {"post"}, "/api/v1/sync/digest": {"get"},
        # the conflict inbox of a case (user auth like the rest)
        "/api/v1/cases/{case_id}/conflicts": {"get"}, "/api/v1/sync/conflicts/{conflict_id}/resolve": {"post"},
        # emergency access (break the glass): listing and review; granting is on the page (step-up)
        "/api/v1/emergency-access": {"get"}, "/api/v1/emergency-access/{grant_id}/reviewed": {"post"},
        "/api/v1/duplicate-candidates": {"get"}, "/api/v1/duplicate-candidates/{candidate_id}/decision": {"post"},
        # two-person approval, erasure, legal holds, what we hold (docs/privacy.md)
        "/api/v1/approvals": {"get", "post"}, "/api/v1/approvals/{approval_id}": {"get"},
        "/api/v1/approvals/{approval_id}/decide": {"post"}, "/api/v1/approvals/{approval_id}/execute": {"post"},
        "/api/v1/cases/{case_id}/persons/{person_id}/privacy": {"get"}, "/api/v1/cases/{case_id}/holds": {"post"},
        "/api/v1/holds/{hold_id}/release": {"post"}, "/api/v1/case-export": {"get"},
    }
    assert {path: set(ops) for path, ops in paths.items()} == expected
    for path, ops in paths.items():
        for method, op in ops.items():
            assert op.get("summary"), (path, method)
            assert op.get("tags"), (path, method)
            assert "401" in op["responses"], (path, method)
            if not path.startswith("/api/v1/sync/"):  # sync requests are signed by the node (docs/sync.md)
                assert {"TokenAuth": []} in op["security"]
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
    assert client.get("/api/v1/docs").status_code == 200


def test_unknown_api_path_is_a_json_404(anonymous, api_as):
    for api in (anonymous, api_as("cm.meghalaya")):
        response = api.get("/no-such-thing")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
