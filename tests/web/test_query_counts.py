"""The case page costs the same number of queries however many people, notes and records a case holds."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from icmc.cases.actions import do_add_note
from tests.api.conftest import api_as  # noqa: F401  (fixture)
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


def _track(api, case, *, firs: int, accused: int) -> None:
    """FIRs with two charges each, and accused with a verdict each, through the API."""
    from tests.pathway.conftest import suspects
    from tests.pathway.helpers import expect

    base = f"/cases/{case.id}/prosecution"
    for i in range(firs):
        fir = expect(api.post(f"{base}/fir", {"police_station_name": "Sadar PS", "number": f"{i + 10}/2025",
                                              "registered_on": f"2025-01-0{i + 1}"}), 201)
        for offence in ("BNS-143(2)", "ITPA-5"):
            expect(api.post(f"{base}/charge", {"fir": fir["id"], "offence": offence}), 201)
    for party in suspects(case)[:accused]:
        one = expect(api.post(f"{base}/accused", {"party": str(party.id), "bail_status": "on_bail"}), 201)
        expect(api.post(f"{base}/verdict", {"accused": one["id"], "decided_on": "2025-06-01",
                                            "result": "convicted", "sentence_years": "7"}), 201)


def _pathway(world, cm, ahtu, case, *, survivors: int) -> None:
    from tests.pathway.conftest import survivors as survivors_of
    from tests.pathway.helpers import to_rehabilitation

    for party in survivors_of(case)[:survivors]:
        to_rehabilitation(world=world, cm=cm, ahtu=ahtu, case=case, party=str(party.id))


def test_case_page_queries_do_not_grow_with_the_pathway_and_prosecution(world, client_as, api_as):  # noqa: F811
    cm, ahtu = api_as("cm.meghalaya"), api_as("ahtu.ekh")
    source = {"source_ahtu": str(world.organisations["ahtu_ekh"].id), "fir_police_station_name": "Sadar PS",
              "fir_number": "5/2025"}
    cases = []
    for n in (1, 3):
        case = report_case(world, survivors=[person_data(f"Survivor {n}{c}") for c in "ABC"[:n]],
                           suspects=[person_data(f"Suspect {n}{c}", gender="Masculine", estimated_age=40)
                                     for c in "DEF"[:n]], **source)
        _track(ahtu, case, firs=n, accused=n)
        _pathway(world, cm, ahtu, case, survivors=n)
        do_add_note(case, actor=world.actor("cm.meghalaya"), body="Follow-up.")
        cases.append(case)
    for persona in ("cm.meghalaya", "ahtu.ekh"):
        client = client_as(persona)
        _queries(client, cases[0])
        assert _queries(client, cases[1]) == _queries(client, cases[0]), persona
