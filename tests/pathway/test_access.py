"""Every new endpoint: allowed for the roles that should, 404 for a case not visible (ahtu.wjh), 403 for a role
that sees the case but may not write this."""

from __future__ import annotations

import pytest

from icmc.audit.models import AuditEvent
from icmc.pathway.models import RescueOperation, ShelterStay
from icmc.prosecution.models import Accused
from tests.factories import write_events
from tests.pathway.conftest import survivors, suspects
from tests.pathway.helpers import DAY, org_ids
from tests.web.conftest import has_text


def _rescue(world, party):
    return {"rescued_on": DAY, "jurisdiction": "IN-ML-EAST-KHASI-HILLS",
            "lead_ahtu": org_ids(world)["ahtu_ekh"], "survivors": [str(party.id)]}


@pytest.mark.parametrize(("username", "status"), [("cm.meghalaya", 200), ("ahtu.ekh", 200),
                                                  ("nodal.meghalaya", 200), ("ahtu.wjh", 404), ("cm.assam", 404),
                                                  ("media.shillong", 404)])
def test_read_pathway_and_prosecution(api_as, two_survivor_case, username, status):
    api = api_as(username)
    assert api.get(f"/cases/{two_survivor_case.id}/pathway").status_code == status
    assert api.get(f"/cases/{two_survivor_case.id}/prosecution").status_code == status


@pytest.mark.parametrize(("username", "status"), [("ahtu.ekh", 201), ("cm.meghalaya", 201), ("ahtu.wjh", 404),
                                                  ("nodal.meghalaya", 403)])
def test_record_rescue(world, api_as, two_survivor_case, username, status):
    party = survivors(two_survivor_case)[0]
    response = api_as(username).post(f"/cases/{two_survivor_case.id}/pathway/rescue_operation",
                                     _rescue(world, party))
    assert response.status_code == status
    assert RescueOperation.objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize(("username", "status"), [("cm.meghalaya", 201), ("ahtu.ekh", 403), ("ahtu.wjh", 404),
                                                  ("nodal.meghalaya", 403)])
def test_record_shelter_stay(world, api_as, two_survivor_case, username, status):
    party = survivors(two_survivor_case)[0]
    body = {"party": str(party.id), "shelter": org_ids(world)["shelter_shillong"], "admitted_on": DAY}
    assert api_as(username).post(f"/cases/{two_survivor_case.id}/pathway/shelter_stay", body).status_code == status


@pytest.mark.parametrize(("username", "status"), [("cm.meghalaya", 200), ("ahtu.wjh", 404), ("ahtu.ekh", 403)])
def test_correct_record_and_move(world, api_as, two_survivor_case, username, status):
    party = survivors(two_survivor_case)[0]
    base = f"/cases/{two_survivor_case.id}"
    cm = api_as("cm.meghalaya")
    stay = cm.post(f"{base}/pathway/shelter_stay", {"party": str(party.id), "admitted_on": DAY,
                                                    "shelter": org_ids(world)["shelter_shillong"]}).json()
    body = {"shelter": org_ids(world)["shelter_shillong"], "admitted_on": DAY, "ended_on": DAY,
            "end_reason": "discharge"}
    api = api_as(username)
    assert api.put(f"{base}/pathway/shelter_stay/{stay['id']}", body).status_code == status
    move = api.post(f"{base}/survivors/{party.id}/stage", {"to": "rehabilitation"})
    assert move.status_code == status


@pytest.mark.parametrize(("username", "status"), [("ahtu.ekh", 201), ("cm.meghalaya", 201), ("ahtu.wjh", 404),
                                                  ("nodal.meghalaya", 403)])
def test_record_accused(api_as, two_survivor_case, username, status):
    body = {"party": str(suspects(two_survivor_case)[0].id), "bail_status": "not_arrested"}
    assert api_as(username).post(f"/cases/{two_survivor_case.id}/prosecution/accused", body).status_code == status
    assert Accused.objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize(("username", "status"), [("cm.meghalaya", 200), ("ahtu.ekh", 403), ("ahtu.wjh", 404)])
def test_close_and_reopen(api_as, two_survivor_case, username, status):
    base = f"/cases/{two_survivor_case.id}"
    assert api_as(username).post(f"{base}/close", {"outcome": "transferred", "reason": "To Assam"}).status_code \
        == status
    api_as("cm.meghalaya").post(f"{base}/close", {"outcome": "transferred", "reason": "To Assam"})
    assert api_as(username).post(f"{base}/reopen", {"reason": "Back"}).status_code == status


def test_offences_reference(api_as, anonymous):
    offences = api_as("analyst").get("/offences").json()
    codes = {o["code"] for o in offences}
    assert {"BNS-143(2)", "BNS-143(7)", "IPC-370", "ITPA-5", "POCSO-17", "JJ-81", "BLSA-18"} <= codes
    assert all(o["note"] for o in offences)
    assert anonymous.get("/offences").status_code == 401


def test_unknown_kind_and_record_are_404(api_as, two_survivor_case):
    api = api_as("cm.meghalaya")
    base = f"/cases/{two_survivor_case.id}"
    assert api.post(f"{base}/pathway/verdict", {}).status_code == 404  # a prosecution kind on the pathway
    assert api.post(f"{base}/pathway/nothing", {}).status_code == 404
    assert api.put(f"{base}/pathway/care_plan/00000000-0000-0000-0000-000000000000", {}).status_code == 404


# --- pages ------------------------------------------------------------------------------------------------


def test_case_page_shows_pathway_and_prosecution(world, api_as, client_as, two_survivor_case):
    party = survivors(two_survivor_case)[0]
    api_as("ahtu.ekh").post(f"/cases/{two_survivor_case.id}/pathway/rescue_operation", _rescue(world, party))
    page = client_as("cm.meghalaya").get(f"/cases/{two_survivor_case.id}/")
    assert page.status_code == 200
    assert has_text(page, 'id="pathway"') and has_text(page, 'id="prosecution"')
    assert has_text(page, "Record a shelter admission or a support service for this survivor first.")
    assert has_text(page, "Rescue operation recorded")  # the timeline


@pytest.mark.parametrize(("username", "status"), [("cm.meghalaya", 200), ("ahtu.wjh", 404),
                                                  ("nodal.meghalaya", 403)])
def test_record_pages(client_as, two_survivor_case, username, status):
    client = client_as(username)
    base = f"/cases/{two_survivor_case.id}"
    assert client.get(f"{base}/pathway/shelter_stay/").status_code == status
    assert client.get(f"{base}/prosecution/hearing/").status_code == status
    assert client.get(f"{base}/closure/").status_code == status


def test_add_shelter_stay_by_page(world, client_as, two_survivor_case):
    party = survivors(two_survivor_case)[0]
    client = client_as("cm.meghalaya")
    url = f"/cases/{two_survivor_case.id}/pathway/shelter_stay/"
    # Writes only: re-showing the form with the survivors' names records its own `person.identity_viewed` read.
    events = write_events()
    bad = client.post(url, {"party": str(party.id), "shelter": str(world.organisations["shelter_ngo_jowai"].id),
                            "admitted_on": DAY})
    assert bad.status_code == 200
    assert has_text(bad, "Say why no government shelter was chosen")
    assert ShelterStay.objects.count() == 0 and write_events() == events
    assert AuditEvent.objects.filter(action="person.identity_viewed").exists()
    ok = client.post(url, {"party": str(party.id), "shelter": str(world.organisations["shelter_shillong"].id),
                           "admitted_on": DAY})
    assert ok.status_code == 302
    assert ShelterStay.objects.count() == 1 and write_events() == events + 1


def test_rescue_page_for_ahtu_and_not_for_other_district(world, client_as, two_survivor_case):
    party = survivors(two_survivor_case)[0]
    url = f"/cases/{two_survivor_case.id}/pathway/rescue_operation/"
    data = {**_rescue(world, party), "survivors": [str(party.id)]}
    assert client_as("ahtu.wjh").post(url, data).status_code == 404
    assert client_as("ahtu.ekh").post(url, data).status_code == 302
    assert RescueOperation.objects.count() == 1
