"""Who does what: the organisations active on a case, and overlap and gap flags (issue 4), by API and page."""

from tests.pathway.conftest import survivors
from tests.pathway.helpers import DAY, expect, org_ids


def _coordination(api, case):
    return expect(api.get(f"/cases/{case.id}/coordination"), 200)


def test_rescued_survivors_without_shelter_or_cwc_are_gaps(world, api_as, two_survivor_case):
    case = two_survivor_case
    minor, adult = (str(p.id) for p in survivors(case))
    org = org_ids(world)
    ahtu = api_as("ahtu.ekh")
    expect(ahtu.post(f"/cases/{case.id}/pathway/rescue_operation", {
        "rescued_on": DAY, "jurisdiction": "IN-ML-EAST-KHASI-HILLS", "lead_ahtu": org["ahtu_ekh"],
        "survivors": [minor, adult]}), 201)
    data = _coordination(api_as("cm.meghalaya"), case)
    gaps = sorted(f["message"] for f in data["flags"] if f["kind"] == "gap")
    assert gaps == [
        "Survivor 1 is (or may be) a child and has not been produced before the Child Welfare Committee.",
        "Survivor 1 was rescued and has no shelter.",
        "Survivor 2 was rescued and has no shelter.",
    ]
    roles = {o["name"]: o["roles"] for o in data["organisations"]}
    assert roles["Impulse Case Management Centre, Shillong"] == ["Owns the case"]
    assert roles["AHTU East Khasi Hills"] == ["AHTU of the source", "Led a rescue"]
    assert "Policing" in next(o["pillars"] for o in data["organisations"] if o["name"] == "AHTU East Khasi Hills")

    cm = api_as("cm.meghalaya")
    expect(cm.post(f"/cases/{case.id}/pathway/shelter_stay", {"party": adult, "shelter": org["shelter_shillong"],
                                                               "admitted_on": DAY}), 201)
    expect(cm.post(f"/cases/{case.id}/pathway/cwc_production", {
        "party": minor, "produced_at": f"{DAY}T10:00:00+05:30", "cwc": org["cwc_ekh"], "outcome": "pending"}), 201)
    gaps = [f["message"] for f in _coordination(cm, case)["flags"] if f["kind"] == "gap"]
    assert gaps == ["Survivor 1 was rescued and has no shelter."]


def test_two_organisations_giving_one_survivor_the_same_service_is_an_overlap(world, api_as, two_survivor_case):
    case = two_survivor_case
    adult = str(survivors(case)[1].id)
    org = org_ids(world)
    cm = api_as("cm.meghalaya")
    for provider in ("shelter_shillong", "shelter_ngo_jowai"):
        expect(cm.post(f"/cases/{case.id}/pathway/support_service", {
            "party": adult, "kind": "counselling", "provider": org[provider], "started_on": DAY,
            "status": "ongoing"}), 201)
    flags = _coordination(cm, case)["flags"]
    assert {"kind": "overlap", "survivor": 2,
            "message": "Survivor 2 gets Counselling from 2 organisations at once."} in flags
    # Names never appear in the flags.
    assert "Testwoman" not in str(flags)


def test_coordination_is_for_those_who_see_the_whole_case(world, api_as, client_as, two_survivor_case):
    case = two_survivor_case
    assert api_as("nodal.meghalaya").get(f"/cases/{case.id}/coordination").status_code == 200
    for username in ("ahtu.wjh", "nodal.assam", "media.shillong", "shelter.shillong"):
        assert api_as(username).get(f"/cases/{case.id}/coordination").status_code == 404
    page = client_as("cm.meghalaya").get(f"/cases/{case.id}/")
    assert b"Who does what" in page.content
