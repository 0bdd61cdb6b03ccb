"""Reporting a case through the page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from icmc.audit.models import AuditEvent
from icmc.cases.codes import PartyRole
from icmc.cases.models import Case, CaseParty, Person
from tests.factories import write_events
from tests.web.conftest import SURVIVOR_NAME, has_text, report_post

URL = reverse("web:case_report")


def test_report_page_has_the_sections_and_defaults_to_now(client_as):
    response = client_as("cm.meghalaya").get(URL)
    assert response.status_code == 200
    for section in ("Who reported", "What happened", "Where", "Survivors", "Suspects"):
        assert has_text(response, section), section
    assert has_text(response, 'name="survivors-2-name"') and not has_text(response, 'name="survivors-3-name"')
    assert has_text(response, 'name="suspects-1-name"')
    assert has_text(response, timezone.localtime().strftime("%Y-%m-%dT"))
    assert has_text(response, "<optgroup label=\"Megh")
    # Only the first survivor row starts unfolded; the others are one click (or key press) away.
    assert response.content.decode().count('<details class="person-row" open>') == 1


def test_case_manager_reports_a_case(client_as):
    client = client_as("cm.meghalaya")
    events_before = AuditEvent.objects.count()
    data = report_post(suspects=[{"name": "Suspect Testname", "gender": "Masculine", "estimated_age": "40"}])
    response = client.post(URL, data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == reverse("web:case_detail", kwargs={"case_id": case.id})
    assert AuditEvent.objects.count() == events_before + 1
    roles = sorted(CaseParty.objects.filter(case=case).values_list("role", flat=True))
    assert roles == sorted([PartyRole.SURVIVOR, PartyRole.SUSPECT, PartyRole.REPORTER])
    page = client.get(response["Location"])
    assert has_text(page, f"Case {case.reference} reported.")
    listing = client.get(reverse("web:my_cases"))
    assert has_text(listing, case.reference)
    assert has_text(client.get(reverse("web:case_list")), case.reference)


def test_blank_rows_are_ignored_and_filled_rows_kept_in_any_position(client_as):
    data = report_post(survivors=[{}, {"name": "Second Row", "gender": "Feminine"}])
    response = client_as("cm.meghalaya").post(URL, data)
    assert response.status_code == 302
    assert CaseParty.objects.filter(role=PartyRole.SURVIVOR).count() == 1


def _counts() -> tuple[int, int, int]:
    return Case.objects.count(), Person.objects.count(), write_events()


FUTURE = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(("overrides", "field_id", "message"), [
    ({"summary": ""}, "id_summary_errors", "This field is required."),
    ({"reported_at": FUTURE}, "id_reported_at_errors", "This date is in the future."),
    ({"exploitation_types": ["Juggling"]}, "id_exploitation_types_errors", "Unknown type of exploitation"),
    ({"summary": "x" * 10_001}, "id_summary_errors", "at most 10000 characters"),
    ({"source_jurisdiction": "XX-NOWHERE"}, "id_source_jurisdiction_errors", "Unknown jurisdiction code."),
])
def test_bad_report_input_shows_the_message_at_the_field_and_saves_nothing(client_as, overrides, field_id, message):
    before = _counts()
    response = client_as("cm.meghalaya").post(URL, report_post(**overrides))
    assert response.status_code == 200
    assert has_text(response, f'id="{field_id}"')
    assert has_text(response, message)
    assert has_text(response, "Please correct the following")
    assert has_text(response, f'href="#{field_id.removesuffix("_errors")}"')  # the summary links to the field
    assert _counts() == before


def test_survivor_row_with_a_future_birth_date_is_shown_on_that_row(client_as):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    survivors = [{}, {"name": SURVIVOR_NAME, "gender": "Feminine", "birth_date": tomorrow}]
    before = _counts()
    response = client_as("cm.meghalaya").post(URL, report_post(survivors=survivors))
    assert response.status_code == 200
    # The second row on the page was the first filled one: the message goes to the row the user wrote in.
    assert has_text(response, 'id="id_survivors-1-birth_date_errors"')
    assert not has_text(response, 'id="id_survivors-0-birth_date_errors"')
    assert has_text(response, "Survivor 2 — Birth date: This date is in the future.")
    assert response.content.decode().count('<details class="person-row" open>') == 2  # rows 1 and 2
    assert _counts() == before


def test_a_report_without_survivors_is_refused(client_as):
    before = _counts()
    response = client_as("cm.meghalaya").post(URL, report_post(survivors=[]))
    assert response.status_code == 200
    assert has_text(response, "Name at least one survivor")
    assert _counts() == before


def test_a_tampered_management_form_is_a_message_not_a_500(client_as):
    data = report_post()
    data["survivors-TOTAL_FORMS"] = "many"
    response = client_as("cm.meghalaya").post(URL, data)
    assert response.status_code == 200
    assert has_text(response, "Name at least one survivor")


def test_the_values_typed_stay_in_the_form_after_an_error(client_as):
    response = client_as("cm.meghalaya").post(URL, report_post(summary="", source_detail="Behind the old mill"))
    assert has_text(response, 'value="Behind the old mill"')


@pytest.mark.parametrize("username", ["ahtu.ekh", "nodal.meghalaya", "media.shillong", "analyst", "admin"])
def test_roles_without_the_report_permission_get_403_and_no_link(client_as, username):
    client = client_as(username)
    assert client.get(URL).status_code == 403
    before = _counts()
    assert client.post(URL, report_post()).status_code == 403
    assert _counts() == before
    assert not has_text(client.get(reverse("web:my_cases")), f'href="{URL}"')


def test_the_link_is_shown_to_case_managers(client_as):
    assert has_text(client_as("cm.meghalaya").get(reverse("web:my_cases")), f'href="{URL}"')
