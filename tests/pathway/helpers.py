"""Driving a case along the pathway through the API, for tests that start further down the road."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

DAY = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()


def org_ids(world: Any) -> dict[str, str]:
    return {k: str(o.id) for k, o in world.organisations.items()}


def expect(response: Any, status: int) -> Any:
    assert response.status_code == status, response.json()
    return response.json()


def to_rehabilitation(*, world: Any, cm: Any, ahtu: Any, case: Any, party: str) -> None:
    org = org_ids(world)
    base = f"/cases/{case.id}"
    expect(ahtu.post(f"{base}/pathway/rescue_operation", {
        "rescued_on": DAY, "jurisdiction": "IN-ML-EAST-KHASI-HILLS", "lead_ahtu": org["ahtu_ekh"],
        "survivors": [party]}), 201)
    expect(cm.post(f"{base}/pathway/shelter_stay", {"party": party, "shelter": org["shelter_shillong"],
                                                    "admitted_on": DAY}), 201)
    expect(cm.post(f"{base}/survivors/{party}/stage", {"to": "rehabilitation"}), 200)


def to_repatriation_unsafe(*, world: Any, cm: Any, ahtu: Any, case: Any, party: str) -> None:
    org = org_ids(world)
    base = f"/cases/{case.id}"
    to_rehabilitation(world=world, cm=cm, ahtu=ahtu, case=case, party=party)
    hir = expect(cm.post(f"{base}/pathway/home_investigation", {
        "party": party, "organisation": org["welfare_ml"], "investigated_on": DAY, "findings": "Unsafe",
        "is_safe": False}), 201)
    expect(cm.post(f"{base}/survivors/{party}/stage", {"to": "repatriation"}), 200)
    expect(cm.post(f"{base}/pathway/placement", {
        "party": party, "home_investigation": hir["id"], "welfare_department": org["welfare_ml"],
        "placed_on": DAY, "plan_kind": "education"}), 201)
