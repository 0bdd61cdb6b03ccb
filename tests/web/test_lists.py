"""The case lists: what each persona sees, filters, pagination, privacy."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import person_data, report_case
from tests.web.conftest import SURVIVOR_NAME, has_text

MY = reverse("web:my_cases")
ALL = reverse("web:case_list")


def test_lists_require_login(client):
    for page in (MY, ALL):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login"))


def test_my_cases_are_the_cases_the_case_manager_manages(client_as, world, ml_case):
    other = report_case(world, "cm.assam", source_jurisdiction="IN-AS-CACHAR")
    response = client_as("cm.meghalaya").get(MY)
    assert response.status_code == 200
    assert has_text(response, ml_case.reference) and not has_text(response, other.reference)
    assert response["Cache-Control"] == "no-store"


def test_my_cases_for_an_ahtu_officer_are_the_cases_assigned_to_the_unit(client_as, world, ml_case):
    unassigned = report_case(world)
    response = client_as("ahtu.ekh").get(MY)
    assert has_text(response, ml_case.reference) and not has_text(response, unassigned.reference)
    assert not has_text(client_as("ahtu.wjh").get(MY), ml_case.reference)


def test_list_columns_and_no_person_names_or_place_details(client_as, ml_case):
    response = client_as("cm.meghalaya").get(ALL)
    assert response.status_code == 200
    for text in (ml_case.reference, "East Khasi Hills", "West Jaintia Hills", "Sexual exploitation", "Reported",
                 "Impulse Case Management Centre, Shillong"):
        assert has_text(response, text), text
    for private in (SURVIVOR_NAME, "Reporter Example", "Near the market of a village"):
        assert not has_text(response, private), "personal data in the case list"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("username", ["media.shillong", "analyst", "admin"])
def test_roles_without_case_access_see_an_empty_list(client_as, ml_case, username):
    response = client_as(username).get(ALL)
    assert response.status_code == 200
    assert not has_text(response, ml_case.reference)
    assert has_text(response, "No cases to show.")


@pytest.fixture
def three_cases(world):
    old = timezone.now() - datetime.timedelta(days=40)
    return {
        "labour_ml": report_case(world, exploitation_types=["ForcedLabour"],
                                 destination_jurisdiction="IN-ML-WEST-JAINTIA-HILLS",
                                 reported_at=old.replace(microsecond=0).isoformat()),
        "sexual_as": report_case(world, exploitation_types=["SexualExploitation"]),
        "marriage_np": report_case(world, exploitation_types=["ForcedMarriage"], source_jurisdiction="NP-P3",
                                   destination_jurisdiction=""),
    }


def _shown(client, **params) -> set[str]:
    response = client.get(ALL, params)
    assert response.status_code == 200
    return set(re.findall(r"ML-\d{4}-\d{5}", response.content.decode()))


@pytest.mark.parametrize(("params", "expected"), [
    ({}, {"labour_ml", "sexual_as", "marriage_np"}),
    ({"exploitation_type": "ForcedLabour"}, {"labour_ml"}),
    ({"state": "IN-AS"}, {"sexual_as"}),
    ({"state": "IN-ML"}, {"labour_ml", "sexual_as"}),
    ({"district": "IN-ML-WEST-JAINTIA-HILLS"}, {"labour_ml"}),
    ({"stage": "reported"}, {"labour_ml", "sexual_as", "marriage_np"}),
    ({"stage": "closed"}, set()),
    ({"status": "Active"}, {"labour_ml", "sexual_as", "marriage_np"}),
    ({"reported_from": "today-10"}, {"sexual_as", "marriage_np"}),
    ({"reported_to": "today-10"}, {"labour_ml"}),
])
def test_filters(client_as, three_cases, params, expected):
    today = timezone.localdate()
    params = {k: (today - datetime.timedelta(days=10)).isoformat() if v == "today-10" else v
              for k, v in params.items()}
    shown = _shown(client_as("cm.meghalaya"), **params)
    assert shown == {three_cases[key].reference for key in expected}


@pytest.mark.parametrize(("params", "field"), [
    ({"stage": "flying"}, "stage"),
    ({"state": "XX"}, "state"),
    ({"district": "IN-ML"}, "district"),
    ({"reported_from": "yesterday"}, "reported_from"),
    ({"reported_from": "2026-02-01", "reported_to": "2026-01-01"}, "reported_to"),
])
def test_a_bad_filter_gives_a_message_not_a_500(client_as, ml_case, params, field):
    response = client_as("cm.meghalaya").get(ALL, params)
    assert response.status_code == 400
    assert has_text(response, f'id="id_{field}_errors"')
    assert has_text(response, "Please correct the following")
    assert not has_text(response, ml_case.reference)


def test_pagination_keeps_the_filters(client_as, world, settings):
    settings.ICMC_PAGE_SIZE = 2
    for _ in range(5):
        report_case(world, exploitation_types=["ForcedLabour"])
    report_case(world, exploitation_types=["Other"])
    client = client_as("cm.meghalaya")
    first = client.get(ALL, {"exploitation_type": "ForcedLabour"})
    assert has_text(first, "Page 1 of 3")
    assert has_text(first, "?exploitation_type=ForcedLabour&amp;page=2")
    third = client.get(ALL, {"exploitation_type": "ForcedLabour", "page": "3"})
    assert has_text(third, "Page 3 of 3") and has_text(third, "page=2")
    assert len(_shown(client, exploitation_type="ForcedLabour", page="3")) == 1
    # A page number out of range or not a number shows a page, not an error.
    assert client.get(ALL, {"page": "999"}).status_code == 200
    assert client.get(ALL, {"page": "x"}).status_code == 200


def test_pages_read_from_the_end_follow_the_same_order(client_as, world, settings):
    """Pages past the middle are read backwards from the end (icmc.cases.queries.page_rows): page after page,
    every case once, newest first, ties of reported_at broken by id, as pages read from the start are."""
    from icmc.cases.models import Case

    settings.ICMC_PAGE_SIZE = 2
    for day in (3, 1, 2, 2, 5, 2, 4):  # ties on the 2nd
        report_case(world, reported_at=f"2026-01-0{day}T10:00:00+00:00")
    expected = list(Case.objects.filter(owner__name__isnull=False).order_by("-reported_at", "-id")
                    .values_list("reference", flat=True))
    assert len(expected) == 7
    client = client_as("cm.meghalaya")
    shown = []
    for page in ("1", "2", "3", "4"):
        response = client.get(ALL, {"page": page})
        assert has_text(response, f"Page {page} of 4")
        shown += re.findall(r"ML-\d{4}-\d{5}", response.content.decode())
    assert list(dict.fromkeys(shown)) == expected


def test_reported_at_is_shown_in_the_organisations_time_zone(client_as, world):
    case = report_case(world, reported_at="2026-01-10T18:45:00+00:00",
                       survivors=[person_data()])
    response = client_as("cm.meghalaya").get(ALL)
    assert has_text(response, case.reference)
    assert has_text(response, "11 Jan 2026, 00:15")  # 18:45 UTC is 00:15 the next day in Asia/Kolkata


def _counted(client, **params) -> tuple[str, int]:
    """The list's "N cases" line, and how many COUNT queries the request ran."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(ALL, params)
    assert response.status_code == 200
    line = re.search(r'<p class="count">([^<]*)</p>', response.content.decode())
    return (line.group(1) if line else ""), sum(q["sql"].startswith("SELECT COUNT(*)") for q in ctx.captured_queries)


def test_the_count_is_remembered_between_pages_and_never_older_than_the_cases(client_as, world, settings):
    settings.ICMC_PAGE_SIZE = 2
    for _ in range(3):
        report_case(world, exploitation_types=["ForcedLabour"])
    client = client_as("cm.meghalaya")
    assert _counted(client, exploitation_type="ForcedLabour") == ("3 cases", 1)
    assert _counted(client, exploitation_type="ForcedLabour", page="2") == ("3 cases", 0)  # paged: not recounted
    assert _counted(client, exploitation_type="Other") == ("", 1)  # other filters, other count (none: no line)
    report_case(world, exploitation_types=["ForcedLabour"])  # a write: counted again at once
    assert _counted(client, exploitation_type="ForcedLabour", page="2") == ("4 cases", 1)
    # Another organisation's reader has its own count (its scope is in the key).
    other = client_as("cm.assam")
    assert _counted(other, exploitation_type="ForcedLabour")[0] != "4 cases"
