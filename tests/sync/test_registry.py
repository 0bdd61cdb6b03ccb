"""The action registry: every replayable action goes through its do_* action with the pushing user's current
permissions; args are checked against the declared schema; records created offline get deterministic ids."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from icmc.cases.models import Case, CaseParty, Note
from icmc.deadlines.models import Task
from icmc.demo.world import World
from icmc.lib.ids import offline_id
from icmc.referrals.models import Referral
from icmc.sync.conflicts import target_of
from icmc.sync.registry import REGISTRY
from tests.factories import person_data, report_data
from tests.pathway.helpers import DAY
from tests.sync.conftest import Pusher, register

pytestmark = pytest.mark.django_db
PROMPTS = ["purpose", "uses", "access_right", "retention", "withdrawal"]


def applied(result: dict[str, Any]) -> dict[str, Any]:
    assert result["status"] == "applied", result
    return dict(result["object"])


def test_every_registered_action_replays_through_its_action(world: World) -> None:
    node, key = register(world, "cm.meghalaya", "ahtu.ekh", "shelter.shillong")
    push = Pusher(world, node, key)
    org = {k: str(o.id) for k, o in world.organisations.items()}
    seen: set[str] = set()

    def do(user: str, action: str, **args: Any) -> dict[str, Any]:
        """Push as a node that has pulled everything: its base version of the target is the current one."""
        seen.add(action)
        target = target_of(action=action, args=REGISTRY[action].parse(args))
        base = {f"{target.object_type}:{target.object_id}": target.version} if target else {}
        return applied(push(user, action, base=base, **args))

    created = do("cm.meghalaya", "report_case", data=report_data(source_ahtu=org["ahtu_ekh"]),
                 survivors=[person_data(estimated_age=24)], suspects=[])
    # The first record a mutation creates has the id the node can compute offline.
    case_id = str(offline_id(node_id=node.id, seq=1, n=0))
    assert created["id"] == case_id
    case = Case.objects.get(pk=case_id)
    survivor = str(CaseParty.objects.get(case=case, role="survivor").id)
    task = Task.objects.filter(case=case, state="open",
                               owner_organisation=world.memberships["cm.meghalaya"].organisation).first()
    assert task is not None, list(Task.objects.filter(case=case).values_list("rule_key", "state"))
    do("cm.meghalaya", "complete_task", task=str(task.id), note="Done at the station.")
    note = do("cm.meghalaya", "add_note", case=case_id, body="Met the family.")
    assert note["id"] == str(offline_id(node_id=node.id, seq=3, n=0))
    do("cm.meghalaya", "add_party", case=case_id, role="witness", **person_data("A Witness", estimated_age=30))
    do("ahtu.ekh", "record_fir", case=case_id, police_station_name="Sadar PS", number="12/2026",
       registered_on="2026-01-02")
    rescue = do("ahtu.ekh", "add_record", case=case_id, kind="rescue_operation", data={
        "rescued_on": DAY, "jurisdiction": "IN-ML-EAST-KHASI-HILLS", "lead_ahtu": org["ahtu_ekh"],
        "survivors": [survivor]})
    corrected = do("ahtu.ekh", "correct_record", case=case_id, kind="rescue_operation", record=rescue["id"],
                   data={"jurisdiction": "IN-ML-WEST-JAINTIA-HILLS"})
    assert corrected["version"] == rescue["version"] + 1
    do("cm.meghalaya", "add_record", case=case_id, kind="shelter_stay",
       data={"party": survivor, "shelter": org["shelter_shillong"], "admitted_on": DAY})
    assert do("cm.meghalaya", "move_survivor", case=case_id, party=survivor, to="rehabilitation")["stage"] \
        == "rehabilitation"
    do("cm.meghalaya", "record_consent", case=case_id, survivor=survivor, basis="survivor", response="consented",
       prompts_explained=PROMPTS, purposes=["shelter"], given_on="2025-01-10")
    referral = do("cm.meghalaya", "propose_referral", case=case_id, to_organisation=org["shelter_shillong"],
                  purpose="shelter", survivor=survivor, message="Needs a safe place.")
    assert do("cm.meghalaya", "send_referral", referral=referral["id"])["state"] == "sent"
    assert do("shelter.shillong", "accept_referral", referral=referral["id"])["state"] == "accepted"
    assert do("shelter.shillong", "complete_referral", referral=referral["id"])["state"] == "completed"
    third = do("cm.meghalaya", "propose_referral", case=case_id, to_organisation=org["shelter_ngo_jowai"],
               purpose="shelter", survivor=survivor)
    assert do("cm.meghalaya", "withdraw_referral", referral=third["id"], message="Placed elsewhere.")["state"] \
        == "withdrawn"
    do("cm.meghalaya", "close_case", case=case_id, outcome="no_prosecution_possible", reason="Accused absconded.")
    do("cm.meghalaya", "reopen_case", case=case_id, reason="Accused found.")
    # decline: a shelter declines a referral sent to it
    fourth = do("cm.meghalaya", "propose_referral", case=case_id, to_organisation=org["shelter_shillong"],
                purpose="shelter", survivor=survivor)
    do("cm.meghalaya", "send_referral", referral=fourth["id"])
    assert do("shelter.shillong", "decline_referral", referral=fourth["id"], message="Full.")["state"] == "declined"
    assert seen == set(REGISTRY), set(REGISTRY) - seen
    assert Note.objects.filter(case=case).count() == 1
    assert Referral.objects.filter(case=case).count() >= 4


def test_args_are_checked_against_the_schema(world: World) -> None:
    node, key = register(world, "cm.meghalaya")
    push = Pusher(world, node, key)
    result = push("cm.meghalaya", "add_note", case="not-a-uuid", body="x", extra="no")
    assert result["status"] == "rejected" and result["reason"] == "invalid"
    assert set(result["errors"]) == {"args.case", "args.extra"}
    # the seq is used and the mutation is kept for review
    assert push("cm.meghalaya", "add_note", case=str(Case.objects.first().id) if Case.objects.exists() else
                "00000000-0000-0000-0000-000000000000", body="x")["status"] == "rejected"


def test_current_permissions_of_the_pushing_user(world: World) -> None:
    node, key = register(world, "ahtu.ekh")
    push = Pusher(world, node, key)
    result = push("ahtu.ekh", "report_case", data=report_data(), survivors=[person_data()])
    assert result["status"] == "rejected" and result["reason"] == "forbidden"


def test_docs_list_every_registered_action() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "sync.md").read_text()
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.MULTILINE))
    assert set(REGISTRY) <= documented, set(REGISTRY) - documented
