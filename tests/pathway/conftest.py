"""Personas through the API (bearer tokens) and the pages (logged-in clients), and a two-survivor case."""

from __future__ import annotations

import pytest

from icmc.cases.codes import PartyRole
from icmc.cases.models import Case, CaseParty
from icmc.demo.world import World
from tests.api.conftest import anonymous, api_as  # noqa: F401  (fixtures)
from tests.factories import person_data, report_case
from tests.web.conftest import client_as  # noqa: F401  (fixture)


@pytest.fixture
def two_survivor_case(world: World) -> Case:
    """Shillong centre; source AHTU East Khasi Hills. Survivor 1: a girl of 15 from Bangladesh; survivor 2: a
    woman of 22 from Meghalaya. Two suspects."""
    return report_case(
        world, survivors=[person_data("Minor Testgirl", estimated_age=15, citizenship=["BD"]),
                          person_data("Adult Testwoman", estimated_age=22)],
        suspects=[person_data("First Testsuspect", gender="Masculine", estimated_age=40),
                  person_data("Second Testsuspect", gender="Masculine", estimated_age=35)],
        source_ahtu=str(world.organisations["ahtu_ekh"].id), destination_jurisdiction="")


def survivors(case: Case) -> list[CaseParty]:
    return list(CaseParty.objects.filter(case=case, role=PartyRole.SURVIVOR).order_by("created_at"))


def suspects(case: Case) -> list[CaseParty]:
    return list(CaseParty.objects.filter(case=case, role=PartyRole.SUSPECT).order_by("created_at"))
