"""Every replayable action (icmc.sync.registry) works on a field node through its API route or page: done
locally by the same action, and queued with args the upstream's schema accepts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from icmc.cases.models import CaseParty
from icmc.deadlines.models import Task
from icmc.demo.world import World
from icmc.sync.models import Node, Outbox
from icmc.sync.registry import REGISTRY
from icmc.sync.sealing import args_of
from tests.api.conftest import Api, make_token
from tests.factories import person_data, report_data
from tests.pathway.helpers import DAY

pytestmark = pytest.mark.django_db
PROMPTS = ["purpose", "uses", "access_right", "retention", "withdrawal"]


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.content[:500])
    return dict(response.json()) if response.content else {}


def test_every_registered_action_is_queued_from_the_api(world: World, field_node: tuple[Node, str]) -> None:
    cm = Api(Client(), make_token(world, "cm.meghalaya"))
    ahtu = Api(Client(), make_token(world, "ahtu.ekh"))
    shelter = Api(Client(), make_token(world, "shelter.shillong"))
    org = {k: str(o.id) for k, o in world.organisations.items()}
    case = ok(cm.post("/cases", {**report_data(source_ahtu=org["ahtu_ekh"]),
                                  "survivors": [person_data(estimated_age=24)], "suspects": []}), 201)
    case_id = case["id"]
    base = f"/cases/{case_id}"
    survivor = str(CaseParty.objects.get(case_id=case_id, role="survivor").id)
    task = Task.objects.filter(case_id=case_id, state="open",
                               owner_organisation=world.memberships["cm.meghalaya"].organisation).first()
    assert task is not None
    ok(cm.post(f"/tasks/{task.id}/complete", {"note": "Done at the station."}))
    ok(cm.post(f"{base}/notes", {"body": "Met the family."}), 201)
    ok(cm.post(f"{base}/parties", {"role": "witness", **person_data("A Witness", estimated_age=30)}), 201)
    ok(ahtu.put(f"{base}/fir", {"police_station_name": "Sadar PS", "number": "12/2026",
                                "registered_on": "2026-01-02"}))
    rescue = ok(ahtu.post(f"{base}/pathway/rescue_operation", {
        "rescued_on": DAY, "jurisdiction": "IN-ML-EAST-KHASI-HILLS", "lead_ahtu": org["ahtu_ekh"],
        "survivors": [survivor]}), 201)
    ok(ahtu.put(f"{base}/pathway/rescue_operation/{rescue['id']}", {
        "rescued_on": DAY, "jurisdiction": "IN-ML-WEST-JAINTIA-HILLS", "lead_ahtu": org["ahtu_ekh"],
        "survivors": [survivor]}))
    ok(cm.post(f"{base}/pathway/shelter_stay", {"party": survivor, "shelter": org["shelter_shillong"],
                                                "admitted_on": DAY}), 201)
    ok(cm.post(f"{base}/survivors/{survivor}/stage", {"to": "rehabilitation"}))
    ok(cm.post(f"{base}/consents", {"survivor": survivor, "basis": "survivor", "response": "consented",
                                    "prompts_explained": PROMPTS, "purposes": ["shelter"],
                                    "given_on": "2025-01-10"}), 201)
    referral = ok(cm.post(f"{base}/referrals", {"to_organisation": org["shelter_shillong"], "purpose": "shelter",
                                                "survivor": survivor, "message": "Needs a safe place."}), 201)
    ok(cm.post(f"/referrals/{referral['id']}/send", {}))
    ok(shelter.post(f"/referrals/{referral['id']}/accept", {}))
    ok(shelter.post(f"/referrals/{referral['id']}/complete", {}))
    third = ok(cm.post(f"{base}/referrals", {"to_organisation": org["shelter_ngo_jowai"], "purpose": "shelter",
                                             "survivor": survivor}), 201)
    ok(cm.post(f"/referrals/{third['id']}/withdraw", {"message": "Placed elsewhere."}))
    ok(cm.post(f"{base}/close", {"outcome": "no_prosecution_possible", "reason": "Accused absconded."}))
    ok(cm.post(f"{base}/reopen", {"reason": "Accused found."}))
    fourth = ok(cm.post(f"{base}/referrals", {"to_organisation": org["shelter_shillong"], "purpose": "shelter",
                                              "survivor": survivor}), 201)
    ok(cm.post(f"/referrals/{fourth['id']}/send", {}))
    ok(shelter.post(f"/referrals/{fourth['id']}/decline", {"message": "Full."}))
    entries = list(Outbox.objects.order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))  # gapless
    assert {e.action for e in entries} == set(REGISTRY), set(REGISTRY) - {e.action for e in entries}
    for entry in entries:
        assert REGISTRY[entry.action].parse(args_of(entry)) == args_of(entry)


def test_pages_queue_pathway_and_task_actions(world: World, field_node: tuple[Node, str],
                                              client_as: Callable[[str], Client]) -> None:
    cm = Api(Client(), make_token(world, "cm.meghalaya"))
    org = {k: str(o.id) for k, o in world.organisations.items()}
    case_id = ok(cm.post("/cases", {**report_data(source_ahtu=org["ahtu_ekh"]),
                                     "survivors": [person_data(estimated_age=24)], "suspects": []}), 201)["id"]
    survivor = str(CaseParty.objects.get(case_id=case_id, role="survivor").id)
    page = client_as("ahtu.ekh")
    response = page.post(f"/cases/{case_id}/pathway/rescue_operation/", {
        "rescued_on": DAY, "jurisdiction": "IN-ML-EAST-KHASI-HILLS", "lead_ahtu": org["ahtu_ekh"],
        "survivors": [survivor]})
    assert response.status_code == 302
    task = Task.objects.filter(case_id=case_id, state="open",
                               owner_organisation=world.memberships["cm.meghalaya"].organisation).first()
    assert task is not None
    assert client_as("cm.meghalaya").post(f"/tasks/{task.id}/complete/", {"note": "Done."}).status_code == 302
    actions = list(Outbox.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["report_case", "add_record", "complete_task"]
    for entry in Outbox.objects.all():
        REGISTRY[entry.action].parse(args_of(entry))
