from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from icmc.deadlines.models import Task

UTC = datetime.UTC


def tasks(case: Any, rule: str) -> list[Task]:
    return list(Task.objects.filter(case=case, rule_key=rule).order_by("created_at"))


def one(case: Any, rule: str) -> Task:
    found = tasks(case, rule)
    assert len(found) == 1, (rule, len(found))
    return found[0]


def local(day: str, hm: str = "23:59", zone: str = "Asia/Kolkata") -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{hm}").replace(tzinfo=ZoneInfo(zone))


def created(response: Any) -> Any:
    assert response.status_code in (200, 201), response.json()
    return response.json()
