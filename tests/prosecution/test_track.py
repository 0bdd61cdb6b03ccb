"""The prosecution track: several FIRs, charges by the law in force, accused, verdicts."""

from __future__ import annotations

from icmc.prosecution.models import FIR, Charge, Verdict
from tests.pathway.conftest import suspects
from tests.pathway.helpers import org_ids
from tests.web.conftest import has_text


def _fir(world, api, case, date):
    return api.post(f"/cases/{case.id}/prosecution/fir", {"police_station": org_ids(world)["ps_laitumkhrah"],
                                                          "number": f"FIR-{date}", "registered_on": date}).json()


def test_several_firs_and_charges_follow_the_law_in_force(world, api_as, two_survivor_case):
    api = api_as("ahtu.ekh")
    old, new = _fir(world, api, two_survivor_case, "2024-06-30"), _fir(world, api, two_survivor_case, "2024-07-01")
    assert FIR.objects.filter(case=two_survivor_case).count() == 2
    base = f"/cases/{two_survivor_case.id}/prosecution/charge"
    assert api.post(base, {"fir": old["id"], "offence": "BNS-143(2)"}).json()["errors"] == {
        "offence": ["This FIR falls under IPC/CrPC: choose an offence of that law."]}
    assert api.post(base, {"fir": old["id"], "offence": "IPC-370"}).status_code == 201
    assert api.post(base, {"fir": new["id"], "offence": "BNS-143(2)"}).status_code == 201
    assert api.post(base, {"fir": new["id"], "offence": "ITPA-5"}).status_code == 201
    assert api.post(base, {"fir": new["id"], "offence": "ITPA-5"}).status_code == 422
    assert api.post(base, {"fir": new["id"], "offence": "NOPE-1"}).json()["errors"] == {
        "offence": ["Unknown offence."]}
    assert Charge.objects.count() == 3
    regimes = [f["law_regime"] for f in api.get(f"/cases/{two_survivor_case.id}/prosecution").json()["firs"]]
    assert regimes == ["IPC/CrPC", "BNS/BNSS"]


def test_verdict_rules(api_as, two_survivor_case):
    api = api_as("cm.meghalaya")
    base = f"/cases/{two_survivor_case.id}/prosecution"
    accused = api.post(f"{base}/accused", {"party": str(suspects(two_survivor_case)[0].id),
                                           "bail_status": "on_bail"}).json()
    assert api.post(f"{base}/accused", {"party": str(suspects(two_survivor_case)[0].id),
                                        "bail_status": "on_bail"}).status_code == 422
    bad = api.post(f"{base}/verdict", {"accused": accused["id"], "decided_on": "2025-01-01", "result": "acquitted",
                                       "sentence_years": "3"})
    assert bad.json()["errors"] == {"sentence_years": ["Only a conviction carries a sentence or fine."]}
    ok = api.post(f"{base}/verdict", {"accused": accused["id"], "decided_on": "2025-01-01", "result": "convicted",
                                      "sentence_years": "10", "fine": "25000.50"})
    assert ok.status_code == 201 and ok.json()["fine"] == "25000.50"
    assert Verdict.objects.count() == 1
    # A survivor is not an accused.
    survivor = two_survivor_case.parties.filter(role="survivor").first()
    assert api.post(f"{base}/accused", {"party": str(survivor.id), "bail_status": "on_bail"}).status_code == 422


def test_hearing_by_page(client_as, two_survivor_case):
    client = client_as("ahtu.ekh")
    url = f"/cases/{two_survivor_case.id}/prosecution/hearing/"
    assert has_text(client.post(url, {"held_on": "2025-02-01", "purpose": "bail"}), "Say which court.")
    assert client.post(url, {"held_on": "2025-02-01", "purpose": "bail", "court_name": "Sessions Court"}
                       ).status_code == 302
    page = client.get(f"/cases/{two_survivor_case.id}/")
    assert has_text(page, "Sessions Court")
