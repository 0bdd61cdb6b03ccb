"""The case page costs the same number of queries however many people, notes and records a case holds."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from icmc.cases.actions import do_add_note
from tests.factories import person_data, report_case


def _queries(client, case):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/cases/{case.id}/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_case_page_queries_do_not_grow_with_the_case(world, client_as):
    # Both have an FIR: a prefetch over no rows costs no query, so a case without any FIR costs one less.
    small = report_case(world, survivors=[person_data("Survivor A")], fir_police_station_name="Sadar PS",
                        fir_number="6/2026")
    large = report_case(world, survivors=[person_data(f"Survivor {c}") for c in "BCDEF"],
                        suspects=[person_data(f"Suspect {c}", gender="Masculine", estimated_age=40) for c in "GH"],
                        fir_police_station_name="Sadar PS", fir_number="7/2026")
    for i in range(6):
        do_add_note(large, actor=world.actor("cm.meghalaya"), body=f"Follow-up {i}.")
    client = client_as("cm.meghalaya")
    _queries(client, small)  # warm the session's own look-ups
    assert _queries(client, large) == _queries(client, small)
