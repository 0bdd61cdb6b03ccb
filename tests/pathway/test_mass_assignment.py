"""No mass assignment (security.md 9): a field the API does not take is refused with 422, never ignored."""

from __future__ import annotations

from icmc.api.api import api as icmc_api
from icmc.pathway.models import ShelterStay
from icmc.prosecution.models import FIR
from tests.pathway.conftest import survivors
from tests.pathway.helpers import DAY, org_ids

# Request bodies that are free JSON objects: each record kind's form decides, and the view refuses fields the form
# does not have (`parse_record(strict=True)`); tested below.
RECORD_BODIES = {
    ("post", "/api/v1/cases/{case_id}/pathway/{kind}"),
    ("put", "/api/v1/cases/{case_id}/pathway/{kind}/{record_id}"),
    ("post", "/api/v1/cases/{case_id}/prosecution/{kind}"),
    ("put", "/api/v1/cases/{case_id}/prosecution/{kind}/{record_id}"),
}


def test_every_request_body_refuses_unknown_fields() -> None:
    schema = icmc_api.get_openapi_schema()
    components = schema["components"]["schemas"]
    lax = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody")
            if not body or (method, path) in RECORD_BODIES:
                continue
            ref = body["content"]["application/json"]["schema"]["$ref"]
            if components[ref.rsplit("/", 1)[-1]].get("additionalProperties") is not False:
                lax.append(f"{method.upper()} {path}")
    assert lax == [], "request bodies that would ignore unknown fields (subclass icmc.api.schemas.Input)"


def test_a_pathway_record_with_an_unknown_field_is_refused_and_nothing_is_written(world, api_as, two_survivor_case):
    api = api_as("cm.meghalaya")
    party = str(survivors(two_survivor_case)[0].id)
    base = f"/cases/{two_survivor_case.id}/pathway/shelter_stay"
    stay = {"party": party, "shelter": org_ids(world)["shelter_shillong"], "admitted_on": DAY}
    refused = api.post(base, {**stay, "created_by": org_ids(world)["ahtu_ekh"], "case": "x"})
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"case": ["Unknown field."], "created_by": ["Unknown field."]}
    assert not ShelterStay.objects.exists()
    created = api.post(base, stay)
    assert created.status_code == 201
    correction = api.put(f"{base}/{created.json()['id']}", {**stay, "admitted_on": "2020-01-01", "id": "other"})
    assert correction.json()["errors"] == {"id": ["Unknown field."]}
    assert str(ShelterStay.objects.get().admitted_on) == DAY


def test_a_prosecution_record_and_a_stage_move_with_unknown_fields_are_refused(world, api_as, two_survivor_case):
    ahtu = api_as("ahtu.ekh")
    fir = {"police_station": org_ids(world)["ps_laitumkhrah"], "number": "FIR-1", "registered_on": DAY}
    refused = ahtu.post(f"/cases/{two_survivor_case.id}/prosecution/fir", {**fir, "law_regime": "IPC"})
    assert (refused.status_code, refused.json()["errors"]) == (422, {"law_regime": ["Unknown field."]})
    assert not FIR.objects.exists()
    party = survivors(two_survivor_case)[0].id
    move = api_as("cm.meghalaya").post(f"/cases/{two_survivor_case.id}/survivors/{party}/stage",
                                       {"to": "rescue", "guard": "skip"})
    assert (move.status_code, move.json()["errors"]) == (422, {"guard": ["Unknown field."]})
