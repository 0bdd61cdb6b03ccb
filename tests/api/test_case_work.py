"""Notes, people and the FIR of a case through the API."""

from __future__ import annotations

import pytest

from icmc.audit.models import AuditEvent
from icmc.cases.models import CaseParty, Note, Person
from icmc.prosecution.models import FIR
from tests.factories import person_data, report_case

# --- notes ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["cm.meghalaya", "ahtu.ekh", "nodal.meghalaya"])
def test_add_note(api_as, shillong_case, username):
    api = api_as(username)
    events = AuditEvent.objects.count()
    response = api.post(f"/cases/{shillong_case.id}/notes", {"body": "  Called the family.  "})
    assert response.status_code == 201
    note = response.json()
    assert note["body"] == "Called the family."
    assert set(note) == {"id", "body", "author", "organisation", "created_at"}
    assert AuditEvent.objects.count() == events + 1
    detail = api.get(f"/cases/{shillong_case.id}").json()
    assert [n["id"] for n in detail["notes"]] == [note["id"]]


@pytest.mark.parametrize("username", ["ahtu.wjh", "ahtu.kamrup", "nodal.assam", "media.shillong", "analyst"])
def test_add_note_to_invisible_case_is_404(api_as, shillong_case, username):
    response = api_as(username).post(f"/cases/{shillong_case.id}/notes", {"body": "Hello."})
    assert response.status_code == 404
    assert Note.objects.count() == 0


def test_invalid_note(api_as, shillong_case):
    api = api_as("cm.meghalaya")
    assert api.post(f"/cases/{shillong_case.id}/notes", {"body": ""}).json()["errors"] == {
        "body": ["This field is required."]}
    assert api.post(f"/cases/{shillong_case.id}/notes", {"body": "x" * 10_001}).status_code == 422
    assert api.post(f"/cases/{shillong_case.id}/notes", {"body": "ok", "author": "x"}).json()["errors"] == {
        "author": ["Unknown field."]}
    assert Note.objects.count() == 0


# --- parties ----------------------------------------------------------------------------------------------


def test_add_new_person_to_case(api_as, shillong_case):
    api = api_as("ahtu.ekh")
    response = api.post(f"/cases/{shillong_case.id}/parties",
                        {"role": "witness", **person_data("Witness Example", gender="Masculine",
                                                          estimated_age=None, birth_date="1990-04-01")})
    assert response.status_code == 201
    party = response.json()
    assert party["role"] == "witness"
    assert party["person"]["names"][0]["value"] == "Witness Example"
    assert party["person"]["is_minor"] is False
    assert CaseParty.objects.filter(case=shillong_case, role="witness").count() == 1


def test_link_existing_person_seen_in_another_case(world, api_as, shillong_case):
    survivor = CaseParty.objects.get(case=shillong_case, role="survivor").person
    second = report_case(world, "cm.meghalaya", destination_jurisdiction="")
    persons = Person.objects.count()
    response = api_as("cm.meghalaya").post(f"/cases/{second.id}/parties",
                                           {"role": "witness", "person_id": str(survivor.id)})
    assert response.status_code == 201
    assert response.json()["person"]["id"] == str(survivor.id)
    assert Person.objects.count() == persons


def test_link_person_the_actor_cannot_see_is_refused(world, api_as):
    assam_case = report_case(world, "cm.assam", source_jurisdiction="IN-AS-KAMRUP-METROPOLITAN",
                             destination_jurisdiction="")
    assam_person = CaseParty.objects.get(case=assam_case, role="survivor").person
    ml_case = report_case(world, "cm.meghalaya", destination_jurisdiction="")
    api = api_as("cm.meghalaya")
    for person_id in (str(assam_person.id), "00000000-0000-4000-8000-000000000000", "junk"):
        response = api.post(f"/cases/{ml_case.id}/parties", {"role": "witness", "person_id": person_id})
        assert response.status_code == 422
        assert response.json()["errors"] == {"person_id": ["Unknown person."]}
    assert not CaseParty.objects.filter(case=ml_case, person=assam_person).exists()


def test_party_input_errors(api_as, shillong_case):
    api = api_as("cm.meghalaya")
    url = f"/cases/{shillong_case.id}/parties"
    assert set(api.post(url, {"role": "boss", "name": ""}).json()["errors"]) == {"role", "name"}
    assert set(api.post(url, {"name": "Someone Example", "gender": "x"}).json()["errors"]) == {"role", "gender"}
    assert set(api.post(url, {"role": "boss", "person_id": str(shillong_case.id)}).json()["errors"]) == {"role"}
    both = api.post(url, {"role": "witness", "person_id": str(shillong_case.id), "name": "Someone Example"})
    assert both.json()["errors"] == {"person_id": ["Give either person_id or the person's details, not both."]}


def test_same_person_same_role_twice_is_422(api_as, shillong_case):
    survivor = CaseParty.objects.get(case=shillong_case, role="survivor").person
    response = api_as("cm.meghalaya").post(f"/cases/{shillong_case.id}/parties",
                                           {"role": "survivor", "person_id": str(survivor.id)})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["role"]


def test_nodal_officer_sees_case_but_may_not_add_people(api_as, shillong_case):
    persons = Person.objects.count()
    response = api_as("nodal.meghalaya").post(f"/cases/{shillong_case.id}/parties",
                                              {"role": "witness", **person_data("Witness Example")})
    assert response.status_code == 403
    assert Person.objects.count() == persons


@pytest.mark.parametrize("username", ["ahtu.wjh", "cm.assam", "media.shillong"])
def test_add_party_to_invisible_case_is_404(api_as, shillong_case, username):
    response = api_as(username).post(f"/cases/{shillong_case.id}/parties",
                                     {"role": "witness", **person_data("Witness Example")})
    assert response.status_code == 404


# --- FIR --------------------------------------------------------------------------------------------------


def test_record_and_update_fir(world, api_as, shillong_case):
    api = api_as("ahtu.ekh")
    station = world.organisations["ps_laitumkhrah"]
    url = f"/cases/{shillong_case.id}/fir"
    first = api.put(url, {"police_station": str(station.id), "number": "7/2024", "registered_on": "2024-06-30"})
    assert first.status_code == 200
    assert first.json()["law_regime"] == "IPC/CrPC"
    assert first.json()["version"] == 1
    second = api.put(url, {"police_station_name": "Outpost Example", "number": "7/2024",
                           "registered_on": "2024-07-01"})
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["police_station"] is None
    assert second.json()["law_regime"] == "BNS/BNSS"
    assert second.json()["version"] == 2
    assert FIR.objects.filter(case=shillong_case).count() == 1
    actions = [e["action"] for e in api.get(f"/cases/{shillong_case.id}/timeline").json()]
    assert actions == ["case.reported", "fir.recorded", "fir.updated"]


def test_fir_input_errors(api_as, shillong_case):
    response = api_as("cm.meghalaya").put(f"/cases/{shillong_case.id}/fir", {"number": "", "registered_on": "x"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"number", "registered_on", "police_station"}
    assert FIR.objects.count() == 0


def test_nodal_officer_may_not_record_fir(api_as, shillong_case):
    response = api_as("nodal.meghalaya").put(f"/cases/{shillong_case.id}/fir",
                                             {"police_station_name": "Outpost Example", "number": "1",
                                              "registered_on": "2025-01-01"})
    assert response.status_code == 403
    assert FIR.objects.count() == 0


@pytest.mark.parametrize("username", ["ahtu.wjh", "ahtu.kamrup", "media.shillong"])
def test_fir_on_invisible_case_is_404(api_as, shillong_case, username):
    response = api_as(username).put(f"/cases/{shillong_case.id}/fir",
                                    {"police_station_name": "Outpost Example", "number": "1",
                                     "registered_on": "2025-01-01"})
    assert response.status_code == 404
    assert FIR.objects.count() == 0
