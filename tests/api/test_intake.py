"""POST /cases: intake through the API, validated by the same forms (and messages) as the intake page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from icmc.audit.models import AuditEvent
from icmc.cases.forms import CaseReportForm
from icmc.cases.models import Case, Person
from tests.factories import person_data, report_data, write_events


def body(**overrides: Any) -> dict[str, Any]:
    data = report_data(destination_jurisdiction="")
    data.update(survivors=[person_data()], suspects=[])
    data.update(overrides)
    return data


def counts() -> tuple[int, int, int]:
    """Cases, persons, and audit events of writes (reads of names and access denials are not writes)."""
    return (Case.objects.count(), Person.objects.count(),
            write_events())


def page_errors(**overrides: Any) -> dict[str, list[str]]:
    """The messages the intake page's form gives for the same input."""
    form = CaseReportForm(data=report_data(**overrides))
    assert not form.is_valid()
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def test_case_manager_reports_a_case(world, api_as):
    api = api_as("cm.meghalaya")
    before = counts()
    ahtu = world.organisations["ahtu_ekh"]
    station = world.organisations["ps_laitumkhrah"]
    response = api.post("/cases", body(
        source_ahtu=str(ahtu.id), fir_police_station=str(station.id), fir_number="12/2026", fir_date="2026-01-05",
        survivors=[person_data("Survivor One Example", citizenship=["IN"], languages=["kha", "eng"],
                               phone="+91 98000 00002")],
        suspects=[person_data("Suspect Example", gender="Masculine", estimated_age=40)],
        transit_jurisdiction="IN-AS-KAMRUP-METROPOLITAN", transit_detail="Bus stand",
    ))
    assert response.status_code == 201
    data = response.json()
    assert data["reference"].startswith("ML-")
    assert data["source_ahtu"]["id"] == str(ahtu.id)
    assert [p["kind"] for p in data["places"]] == ["recruitment", "transit"]
    assert data["firs"][0]["police_station"] == {"id": str(station.id), "name": station.name}
    assert data["firs"][0]["number"] == "12/2026"
    assert data["firs"][0]["law_regime"] == "BNS/BNSS"
    survivor = next(p for p in data["parties"] if p["role"] == "survivor")["person"]
    assert survivor["citizenship"] == ["IN"]
    assert survivor["languages"] == ["kha", "eng"]
    assert survivor["phones"] == ["+919800000002"]
    assert sorted(p["role"] for p in data["parties"]) == ["reporter", "survivor", "suspect"]
    case_count, person_count, event_count = counts()
    assert case_count == before[0] + 1
    assert person_count == before[1] + 3
    assert event_count == before[2] + 1  # exactly one audit event
    event = AuditEvent.objects.exclude(action="person.identity_viewed").order_by("-id")[0]
    assert event.action == "case.reported"
    assert event.via == "api"
    assert event.request_id  # the request id of the API call
    assert event.case_id is not None and str(event.case_id) == data["id"]


@pytest.mark.parametrize("username", ["ahtu.ekh", "nodal.meghalaya", "media.shillong", "analyst", "admin"])
def test_roles_without_case_report_get_403_and_nothing_is_saved(api_as, username):
    api = api_as(username)
    before = counts()
    response = api.post("/cases", body())
    assert response.status_code == 403
    assert set(response.json()) == {"detail"}
    assert counts() == before


def test_unauthenticated_intake_is_401(anonymous, world):
    before = counts()
    response = anonymous.post("/cases", body())
    assert response.status_code == 401
    assert counts() == before


def assert_refused(api, payload: Any, status: int = 422) -> dict[str, Any]:
    before = counts()
    response = api.post("/cases", payload)
    assert response.status_code == status
    assert counts() == before
    return response.json()


def test_missing_required_fields(api_as):
    errors = assert_refused(api_as("cm.meghalaya"), {})["errors"]
    for field in ("reported_at", "reporter_type", "summary", "exploitation_types", "source_jurisdiction",
                  "survivors"):
        assert errors[field], field
    assert errors["summary"] == page_errors(summary="")["summary"] == ["This field is required."]


def test_future_date_gives_the_page_message(api_as):
    future = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    result = assert_refused(api_as("cm.meghalaya"), body(reported_at=future))
    assert result["detail"] == "Invalid input."
    assert result["errors"] == {"reported_at": page_errors(reported_at=future)["reported_at"]}
    assert result["errors"]["reported_at"] == ["This date is in the future."]


def test_unknown_exploitation_code_gives_the_page_message(api_as):
    errors = assert_refused(api_as("cm.meghalaya"), body(exploitation_types=["NotACode"]))["errors"]
    assert errors == {"exploitation_types": page_errors(exploitation_types=["NotACode"])["exploitation_types"]}


def test_unknown_jurisdiction_code(api_as):
    errors = assert_refused(api_as("cm.meghalaya"), body(source_jurisdiction="XX-NOWHERE"))["errors"]
    assert errors == {"source_jurisdiction": ["Unknown jurisdiction code."]}


def test_oversized_summary(api_as):
    errors = assert_refused(api_as("cm.meghalaya"), body(summary="x" * 10_001))["errors"]
    assert errors == {"summary": page_errors(summary="x" * 10_001)["summary"]}


def test_survivor_errors_are_keyed_by_position(api_as):
    future_birth = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    payload = body(survivors=[person_data(), person_data("", birth_date=future_birth, estimated_age=None)])
    errors = assert_refused(api_as("cm.meghalaya"), payload)["errors"]
    assert errors == {"survivors[1].name": ["This field is required."],
                      "survivors[1].birth_date": ["This date is in the future."]}


def test_no_survivor(api_as):
    errors = assert_refused(api_as("cm.meghalaya"), body(survivors=[]))["errors"]
    assert list(errors) == ["survivors"]


def test_unknown_field_is_refused_not_ignored(world, api_as):
    payload = body(owner=str(world.organisations["centre_as"].id))
    errors = assert_refused(api_as("cm.meghalaya"), payload)["errors"]
    assert errors == {"owner": ["Unknown field."]}
    nested = body(survivors=[person_data(is_deceased=True)])
    assert assert_refused(api_as("cm.meghalaya"), nested)["errors"] == {"survivors[0].is_deceased": ["Unknown field."]}


def test_wrong_json_types(api_as):
    api = api_as("cm.meghalaya")
    assert assert_refused(api, body(summary=123))["errors"] == {"summary": ["Give a text value."]}
    assert assert_refused(api, body(exploitation_types="SexualExploitation"))["errors"] == {
        "exploitation_types": ["Give a list."]}
    assert assert_refused(api, body(survivors=[person_data(estimated_age="fifteen")]))["errors"] == {
        "survivors[0].estimated_age": ["Enter a whole number."]}
    assert assert_refused(api, [body()])["errors"] == {"__all__": ["Send a JSON object as the request body."]}


def test_malformed_json(api_as):
    result = assert_refused(api_as("cm.meghalaya"), '{"summary": "unterminated', status=400)
    assert result == {"detail": "The request body is not valid JSON."}


def test_empty_body(api_as):
    result = assert_refused(api_as("cm.meghalaya"), "")
    assert result["errors"] == {"__all__": ["Send a JSON object as the request body."]}


def test_error_messages_do_not_echo_submitted_values(api_as):
    response = api_as("cm.meghalaya").post("/cases", body(reporter_type="anonymous",
                                                          reporter_name="Qwerty Example", summary=42))
    assert response.status_code == 422
    assert "Qwerty" not in response.content.decode()
    assert "42" not in response.content.decode()


def test_dates_are_judged_in_the_time_zone_of_the_actors_organisation(world, api_as, settings):
    """At 20:00 UTC on 1 March it is already 2 March in Shillong (UTC+5:30): an FIR dated 2 March is not in
    the future for the Shillong centre, even on a server whose default time zone is UTC."""
    from unittest import mock

    settings.TIME_ZONE = "UTC"
    api = api_as("cm.meghalaya")
    instant = datetime.datetime(2026, 3, 1, 20, 0, tzinfo=datetime.UTC)
    payload = body(reported_at="2026-03-01T19:00:00+00:00", fir_police_station_name="Outpost Example",
                   fir_number="3/2026", fir_date="2026-03-02")
    with mock.patch("django.utils.timezone.now", return_value=instant):
        response = api.post("/cases", payload)
    assert response.status_code == 201, response.json().get("errors")
    assert response.json()["firs"][0]["registered_on"] == "2026-03-02"
