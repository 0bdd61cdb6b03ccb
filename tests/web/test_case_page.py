"""The case page and the forms that add to a case: who may open and use them, and what they show."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from icmc.cases.models import Case, CaseParty, Note
from icmc.prosecution.models import FIR
from tests.factories import denial_events, person_data, report_case, write_events
from tests.web.conftest import SURVIVOR_NAME, has_text

SEE = ["cm.meghalaya", "ahtu.ekh", "nodal.meghalaya"]
NOT_SEE = ["ahtu.wjh", "ahtu.kamrup", "nodal.assam", "cm.assam", "media.shillong", "analyst", "admin",
           "partner.nepal"]


def without_csrf(response) -> str:
    """The page without its CSRF tokens (masked differently on every page)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def url(name: str, case: Case) -> str:
    return reverse(f"web:{name}", kwargs={"case_id": case.id})


@pytest.mark.parametrize("username", SEE)
def test_those_in_scope_open_the_case_page(client_as, ml_case, username):
    response = client_as(username).get(url("case_detail", ml_case))
    assert response.status_code == 200
    assert has_text(response, ml_case.reference)


@pytest.mark.parametrize("username", NOT_SEE)
def test_others_get_the_same_404_as_for_a_missing_case(client_as, ml_case, username):
    client = client_as(username)
    forbidden = client.get(url("case_detail", ml_case))
    missing = client.get(reverse("web:case_detail", kwargs={"case_id": "00000000-0000-4000-8000-000000000000"}))
    assert forbidden.status_code == missing.status_code == 404
    assert without_csrf(forbidden) == without_csrf(missing)
    assert not has_text(forbidden, ml_case.reference)


@pytest.mark.parametrize("username", NOT_SEE)
@pytest.mark.parametrize("endpoint", ["case_add_note", "case_add_person", "case_fir"])
def test_others_get_404_from_the_post_endpoints_and_nothing_is_written(client_as, ml_case, username, endpoint):
    before, denied = write_events(), denial_events()
    data = {"body": "A note", "role": "witness", "name": "Someone", "gender": "Feminine", "number": "12/2026",
            "police_station_name": "Somewhere PS", "registered_on": timezone.localdate().isoformat()}
    assert client_as(username).post(url(endpoint, ml_case), data).status_code == 404
    assert (write_events(), denial_events()) == (before, denied + 1)


def test_nodal_officer_of_another_state_sees_a_case_with_a_place_in_her_state(client_as, world):
    case = report_case(world)  # destination in Assam by default
    assert client_as("nodal.assam").get(url("case_detail", case)).status_code == 200


def test_case_page_shows_the_report_people_and_fir_regime(client_as, world):
    case = report_case(
        world, survivors=[person_data(SURVIVOR_NAME, estimated_age=15), person_data("Adult Testname",
                                                                                  estimated_age=30)],
        fir_police_station_name="Laitumkhrah PS", fir_number="45/2024", fir_date="2024-06-30",
        source_detail="Near the market of a village",
    )
    response = client_as("cm.meghalaya").get(url("case_detail", case))
    assert response.status_code == 200
    for text in (SURVIVOR_NAME, "Adult Testname", "Reporter Example", "Sexual exploitation", "East Khasi Hills",
                 "Near the market of a village", "Laitumkhrah PS", "45/2024", "IPC/CrPC", "Case reported",
                 "Family member", "(Latin)"):
        assert has_text(response, text), text
    assert response.content.decode().count('class="badge badge-minor"') == 1
    assert response["Cache-Control"] == "no-store"


def test_forms_are_shown_only_to_those_who_may_use_them(client_as, ml_case):
    links = [url("case_add_person", ml_case), url("case_fir", ml_case), url("case_add_note", ml_case)]
    manager = client_as("cm.meghalaya").get(url("case_detail", ml_case))
    assert all(has_text(manager, link) for link in links)
    nodal = client_as("nodal.meghalaya").get(url("case_detail", ml_case))
    assert has_text(nodal, url("case_add_note", ml_case))  # nodal officers may annotate
    assert not has_text(nodal, url("case_add_person", ml_case))
    assert not has_text(nodal, url("case_fir", ml_case))


# --- notes ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["cm.meghalaya", "ahtu.ekh", "nodal.meghalaya"])
def test_a_note_added_appears_on_the_page_and_in_the_timeline(client_as, ml_case, username):
    client = client_as(username)
    response = client.post(url("case_add_note", ml_case), {"body": "Spoke to the family today."})
    assert response.status_code == 302
    assert response["Location"] == url("case_detail", ml_case) + "#notes"
    page = client.get(url("case_detail", ml_case))
    assert has_text(page, "Spoke to the family today.")
    assert has_text(page, "Note added")
    assert Note.objects.filter(case=ml_case).count() == 1


def test_notes_are_listed_oldest_first(client_as, ml_case):
    client = client_as("cm.meghalaya")
    client.post(url("case_add_note", ml_case), {"body": "First note"})
    client.post(url("case_add_note", ml_case), {"body": "Second note"})
    body = client.get(url("case_detail", ml_case)).content.decode()
    assert body.index("First note") < body.index("Second note")


def test_an_empty_note_shows_the_message_and_saves_nothing(client_as, ml_case):
    response = client_as("cm.meghalaya").post(url("case_add_note", ml_case), {"body": ""})
    assert response.status_code == 200
    assert has_text(response, 'id="id_body_errors"')
    assert has_text(response, "This field is required.")
    assert Note.objects.count() == 0


def test_note_endpoint_refuses_get(client_as, ml_case):
    assert client_as("cm.meghalaya").get(url("case_add_note", ml_case)).status_code == 405


# --- people -----------------------------------------------------------------------------------------------


def test_a_person_is_added_and_shown(client_as, ml_case):
    client = client_as("ahtu.ekh")
    assert client.get(url("case_add_person", ml_case)).status_code == 200
    response = client.post(url("case_add_person", ml_case),
                           {"role": "witness", "name": "Witness Testname", "gender": "Masculine",
                            "estimated_age": "45", "citizenship": ["IN"], "languages": ["kha"]})
    assert response.status_code == 302
    page = client.get(url("case_detail", ml_case))
    for text in ("Witness Testname", "Witness", "India", "Khasi", "Person added to the case"):
        assert has_text(page, text), text
    assert CaseParty.objects.filter(case=ml_case, role="witness").count() == 1


def test_bad_person_input_is_shown_at_the_field(client_as, ml_case):
    before = CaseParty.objects.count()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client_as("cm.meghalaya").post(url("case_add_person", ml_case),
                                              {"role": "witness", "name": "", "gender": "Masculine",
                                               "birth_date": tomorrow, "phone": "not a phone"})
    assert response.status_code == 200
    for field in ("name", "birth_date", "phone"):
        assert has_text(response, f'id="id_{field}_errors"'), field
    assert CaseParty.objects.count() == before


def test_nodal_officer_may_not_add_a_person(client_as, ml_case):
    client = client_as("nodal.meghalaya")
    before = CaseParty.objects.count()
    assert client.get(url("case_add_person", ml_case)).status_code == 403
    response = client.post(url("case_add_person", ml_case), {"role": "witness", "name": "X", "gender": "Masculine"})
    assert response.status_code == 403
    assert has_text(response, "Your role may not do this on this case.")
    assert CaseParty.objects.count() == before


# --- FIR --------------------------------------------------------------------------------------------------


def test_fir_left_blank_at_intake_is_completed_later(client_as, ml_case, world):
    client = client_as("ahtu.ekh")
    page = client.get(url("case_detail", ml_case))
    assert has_text(page, "No FIR recorded yet.")
    assert client.get(url("case_fir", ml_case)).status_code == 200
    station = world.organisations["ps_laitumkhrah"]
    response = client.post(url("case_fir", ml_case), {"police_station": str(station.pk), "number": "12/2026",
                                                      "registered_on": "2026-01-05"})
    assert response.status_code == 302
    page = client.get(url("case_detail", ml_case))
    for text in ("Laitumkhrah Police Station", "12/2026", "BNS/BNSS", "FIR recorded"):
        assert has_text(page, text), text
    # Correcting it later updates the same FIR.
    response = client.post(url("case_fir", ml_case), {"police_station": str(station.pk), "number": "13/2026",
                                                      "registered_on": "2026-01-05"})
    assert response.status_code == 302
    assert list(FIR.objects.filter(case=ml_case).values_list("number", flat=True)) == ["13/2026"]
    form = client.get(url("case_fir", ml_case))
    assert has_text(form, 'value="13/2026"')


def test_fir_without_station_is_refused_with_a_message(client_as, ml_case):
    response = client_as("cm.meghalaya").post(url("case_fir", ml_case), {"number": "1/2026",
                                                                         "registered_on": "2026-01-05"})
    assert response.status_code == 200
    assert has_text(response, 'id="id_police_station_errors"')
    assert not FIR.objects.exists()


def test_nodal_officer_may_not_record_the_fir(client_as, ml_case):
    client = client_as("nodal.meghalaya")
    assert client.get(url("case_fir", ml_case)).status_code == 403
    response = client.post(url("case_fir", ml_case), {"police_station_name": "PS", "number": "1/2026",
                                                      "registered_on": "2026-01-05"})
    assert response.status_code == 403
    assert not FIR.objects.exists()


def test_a_role_without_identity_rights_sees_the_case_without_names_phones_or_place_details(
        client_as, ml_case, monkeypatch):
    from icmc.access.policy import POLICY, STATE, Perm
    from icmc.accounts.reference import Role

    monkeypatch.setitem(POLICY, Role.STATE_NODAL_OFFICER, {Perm.CASE_VIEW: STATE})
    response = client_as("nodal.meghalaya").get(url("case_detail", ml_case))
    assert response.status_code == 200
    for text in (SURVIVOR_NAME, "Reporter Example", "+919800000001", "Near the market of a village"):
        assert not has_text(response, text), "identity shown to a role without identity rights"
    assert has_text(response, "Identity withheld")
    assert has_text(response, 'class="badge badge-minor"')


@pytest.mark.parametrize("language", ["en", "hi", "bn"])
def test_timeline_dates_read_as_the_date_filter_would_write_them(language):
    """The timeline's dates are formatted in Python (present.day_and_time, a hundred a page): the same text as
    the template filter `date` gave, in every language and in the current time zone."""
    import datetime

    from django.template import Context, Template
    from django.utils import timezone, translation

    from icmc.web.views.present import day_and_time

    template = Template("""{{ v|date:'c' }}|{{ v|date:"j M Y, H:i" }}""")
    with translation.override(language):
        for month in range(1, 13):
            value = datetime.datetime(2026, month, 3 + month, 23, 5 if month % 2 else 45, 7, 1234, tzinfo=datetime.UTC)
            for zone in ("Asia/Kolkata", "Asia/Kathmandu"):
                with timezone.override(zone):
                    assert "|".join(day_and_time(value)) == template.render(Context({"v": value}))


@pytest.mark.parametrize("language", ["en", "hi", "bn"])
def test_pathway_panel_days_read_as_the_date_filter_would_write_them(language):
    """The pathway panels' dates (records, visits, steps) are formatted in Python (pathway_panel.day): the same
    text as the template filter `date` with "j M Y" gave, for dates and for datetimes in the current time zone."""
    import datetime

    from django.template import Context, Template
    from django.utils import timezone, translation

    from icmc.web.views.pathway_panel import day

    template = Template("""{{ v|date:"j M Y" }}""")
    with translation.override(language):
        assert day(None) == template.render(Context({"v": None})) == ""
        for month in range(1, 13):
            values = [datetime.date(2026, month, 1 + month),
                      datetime.datetime(2026, month, 3 + month, 20, 45, tzinfo=datetime.UTC)]
            for zone in ("Asia/Kolkata", "Asia/Kathmandu"):
                with timezone.override(zone):
                    for value in values:
                        assert day(value) == template.render(Context({"v": value}))
