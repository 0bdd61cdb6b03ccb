"""Building valid input for the actions, through the same validation the pages and API use."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from icmc.audit.models import AuditEvent
from icmc.cases.actions import do_report_case
from icmc.cases.forms import parse_report
from icmc.cases.models import Case
from icmc.demo.world import World


def report_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "reported_at": timezone.now().replace(microsecond=0).isoformat(),
        "reporter_type": "family",
        "reporter_name": "Reporter Example",
        "reporter_phone": "+919800000001",
        "summary": "Two girls left with a man who promised work in a hotel.",
        "exploitation_types": ["SexualExploitation"],
        "source_jurisdiction": "IN-ML-EAST-KHASI-HILLS",
        "source_detail": "",
        "destination_jurisdiction": "IN-AS-KAMRUP-METROPOLITAN",
        "destination_detail": "",
    }
    data.update(overrides)
    return data


def person_data(name: str = "Survivor Example", **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"name": name, "gender": "Feminine", "estimated_age": 15}
    data.update(overrides)
    return data


def report_case(world: World, username: str = "cm.meghalaya", *, survivors: list[dict[str, Any]] | None = None,
                suspects: list[dict[str, Any]] | None = None, **overrides: Any) -> Case:
    """Report a case as `username` (a case manager), with valid defaults."""
    data = report_data(**overrides)
    parsed = parse_report(data=data, survivors=survivors or [person_data()], suspects=suspects or [])
    return do_report_case(parsed, actor=world.actor(username))


# Events that record a read or a refusal, not a write: a refused or invalid request writes none of the others.
NOT_WRITES = ("person.identity_viewed", "access.denied")


def write_events() -> int:
    """How many audit events of writes there are (reads of P0 and access denials left out)."""
    return AuditEvent.objects.exclude(action__in=NOT_WRITES).count()


def denial_events() -> int:
    return AuditEvent.objects.filter(action="access.denied").count()
