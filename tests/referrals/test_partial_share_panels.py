"""Through a shelter referral for one survivor, the case page's pathway and prosecution panels show nothing of
the other survivor or of the accused."""

from tests.pathway.conftest import survivors, suspects, two_survivor_case  # noqa: F401  (fixture)
from tests.pathway.helpers import DAY, expect, org_ids
from tests.referrals.conftest import ALL_PROMPTS


def test_shelter_sees_only_its_survivor_on_every_panel(world, api_as, client_as, two_survivor_case):  # noqa: F811
    case = two_survivor_case
    minor, adult = (str(p.id) for p in survivors(case))
    cm, ahtu = api_as("cm.meghalaya"), api_as("ahtu.ekh")
    org = org_ids(world)
    # A rescue of both survivors and an accused, so that the pathway and prosecution panels have content.
    expect(ahtu.post(f"/cases/{case.id}/pathway/rescue_operation", {
        "rescued_on": DAY, "jurisdiction": "IN-ML-EAST-KHASI-HILLS", "lead_ahtu": org["ahtu_ekh"],
        "survivors": [minor, adult]}), 201)
    expect(ahtu.post(f"/cases/{case.id}/prosecution/accused", {
        "party": str(suspects(case)[0].id), "arrested_on": DAY, "bail_status": "in_custody"}), 201)
    # A shelter referral for the adult only, with her consent, sent and accepted.
    expect(cm.post(f"/cases/{case.id}/consents", {
        "survivor": adult, "basis": "survivor", "response": "consented", "prompts_explained": ALL_PROMPTS,
        "purposes": ["shelter"], "reason": "", "given_on": DAY}), 201)
    referral = expect(cm.post(f"/cases/{case.id}/referrals", {
        "to_organisation": org["shelter_shillong"], "purpose": "shelter", "survivor": adult,
        "message": "Needs a safe place."}), 201)["id"]
    expect(cm.post(f"/referrals/{referral}/send", {"message": ""}), 200)
    expect(api_as("shelter.shillong").post(f"/referrals/{referral}/accept", {"message": "Bed ready."}), 200)

    page = client_as("shelter.shillong").get(f"/cases/{case.id}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Adult Testwoman" in text
    for hidden in ("Minor Testgirl", "First Testsuspect", "Second Testsuspect"):
        assert hidden not in text, f"{hidden.split()[1]} leaks to the shelter"
    shelter = api_as("shelter.shillong")
    pathway = expect(shelter.get(f"/cases/{case.id}/pathway"), 200)
    assert [s["party_id"] for s in pathway["survivors"]] == [adult] and pathway["rescue_operations"] == []
    assert shelter.get(f"/cases/{case.id}/prosecution").status_code == 404
    # The case manager still sees everything.
    assert len(expect(cm.get(f"/cases/{case.id}/pathway"), 200)["survivors"]) == 2
    assert cm.get(f"/cases/{case.id}/prosecution").status_code == 200
