"""Helpers for the page tests: logged-in clients per persona, a Meghalaya case, and the report form's POST."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from icmc.cases.models import Case
from icmc.demo.world import World
from tests.factories import person_data, report_case

SURVIVOR_NAME = "Kynsai Testsurvivor"
SUSPECT_NAME = "Bah Testsuspect"
BLANK_PERSON = {"name": "", "alias": "", "gender": "NonSpecifiedUnknown", "birth_date": "", "estimated_age": "",
                "phone": ""}


@pytest.fixture
def client_as(world: World) -> Callable[[str], Client]:
    def make(username: str) -> Client:
        client = Client()
        client.force_login(world.users[username])
        return client

    return make


@pytest.fixture
def ml_case(world: World) -> Case:
    """Owned by the Shillong centre, source AHTU East Khasi Hills, every place in Meghalaya."""
    return report_case(
        world, survivors=[person_data(SURVIVOR_NAME)], suspects=[person_data(SUSPECT_NAME, gender="Masculine")],
        source_ahtu=str(world.organisations["ahtu_ekh"].pk),
        destination_jurisdiction="IN-ML-WEST-JAINTIA-HILLS",
        source_detail="Near the market of a village",
    )


def _rows(prefix: str, rows: list[dict[str, Any]], total: int) -> dict[str, Any]:
    data: dict[str, Any] = {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0",
                            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "20"}
    for index in range(total):
        row = {**BLANK_PERSON, **(rows[index] if index < len(rows) else {})}
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def report_post(*, survivors: list[dict[str, Any]] | None = None, suspects: list[dict[str, Any]] | None = None,
                **overrides: Any) -> dict[str, Any]:
    """What the report page's form sends: the report, 3 survivor rows and 2 suspect rows (blank ones too)."""
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    data: dict[str, Any] = {
        "reported_at": now, "reporter_type": "family", "reporter_name": "Reporter Testname",
        "reporter_phone": "+919800000001", "summary": "A girl left with a man who promised work in a hotel.",
        "exploitation_types": ["SexualExploitation"], "source_jurisdiction": "IN-ML-EAST-KHASI-HILLS",
        "source_detail": "", "transit_jurisdiction": "", "transit_detail": "",
        "destination_jurisdiction": "IN-AS-KAMRUP-METROPOLITAN", "destination_detail": "", "source_ahtu": "",
        "destination_ahtu": "", "fir_police_station": "", "fir_police_station_name": "", "fir_number": "",
        "fir_date": "",
    }
    data.update(overrides)
    default_survivor = {"name": SURVIVOR_NAME, "gender": "Feminine", "estimated_age": "15"}
    data.update(_rows("survivors", [default_survivor] if survivors is None else survivors, 3))
    data.update(_rows("suspects", [] if suspects is None else suspects, 2))
    return data


def has_text(response: Any, text: str) -> bool:
    """Whether the page contains `text` (a boolean, so that a failing assertion does not print the page)."""
    return text in response.content.decode()
