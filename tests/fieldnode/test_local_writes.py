"""On a field node every registered write is recorded in the outbox in its own transaction, with the args the
upstream replays, and rows get the ids the upstream derives; any other write is refused with 409."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from icmc.cases.forms import parse_add_party, parse_note, parse_report
from icmc.cases.models import Case, Note
from icmc.demo.world import World
from icmc.fieldnode.models import LocalWrite
from icmc.lib.ids import offline_id
from icmc.sync.models import Node, Outbox
from icmc.sync.registry import REGISTRY
from icmc.sync.sealing import args_of
from tests.api.conftest import Api, make_token
from tests.factories import person_data, report_case, report_data
from tests.web.conftest import report_post

pytestmark = pytest.mark.django_db


def derived(node: Node, seq: int, n: int = 0) -> uuid.UUID:
    return offline_id(node_id=node.id, seq=seq, n=n)


def replayable(entry: Outbox) -> None:
    """The captured args pass the upstream's schema for the action."""
    REGISTRY[entry.action].parse(args_of(entry))


def test_note_page_records_the_mutation_with_the_derived_id(world: World, field_node: tuple[Node, str],
                                                             client_as: Callable[[str], Client]) -> None:
    node, _key = field_node
    case = report_case(world, source_ahtu=str(world.organisations["ahtu_ekh"].pk))  # before: not a node write
    response = client_as("ahtu.ekh").post(f"/cases/{case.id}/notes/", {"body": "Met the family offline."})
    assert response.status_code == 302
    entry = Outbox.objects.get()
    assert (entry.seq, entry.action, entry.status) == (1, "add_note", "pending")
    assert args_of(entry) == {"case": str(case.id), "body": "Met the family offline."}
    assert parse_note(data=args_of(entry)) == "Met the family offline."  # the upstream's replay parses it alike
    replayable(entry)
    assert entry.user_id == world.users["ahtu.ekh"].id
    note = Note.objects.get(case=case)
    assert note.id == derived(node, 1)
    assert LocalWrite.objects.filter(seq=1, object_type="cases.note", object_id=note.id).exists()


def test_invalid_input_writes_nothing_and_queues_nothing(world: World, field_node: tuple[Node, str],
                                                         client_as: Callable[[str], Client]) -> None:
    case = report_case(world, source_ahtu=str(world.organisations["ahtu_ekh"].pk))
    response = client_as("ahtu.ekh").post(f"/cases/{case.id}/notes/", {"body": ""})
    assert response.status_code == 200
    assert not Outbox.objects.exists() and not Note.objects.filter(case=case).exists()


def test_report_page_and_api_queue_report_case(world: World, field_node: tuple[Node, str],
                                               client_as: Callable[[str], Client]) -> None:
    node, _key = field_node
    response = client_as("cm.meghalaya").post("/cases/new/", report_post())
    assert response.status_code == 302
    entry = Outbox.objects.get(seq=1)
    args = args_of(entry)
    assert entry.action == "report_case" and len(args["survivors"]) == 1 and args["suspects"] == []
    parse_report(data=args["data"], survivors=args["survivors"], suspects=args["suspects"])
    replayable(entry)
    assert Case.objects.filter(pk=derived(node, 1)).exists()

    api = Api(Client(), make_token(world, "cm.meghalaya"))
    created = api.post("/cases", {**report_data(), "survivors": [person_data("Api Survivor")], "suspects": []})
    assert created.status_code == 201, created.json()
    assert created.json()["id"] == str(derived(node, 2))
    entry = Outbox.objects.get(seq=2)
    assert entry.action == "report_case" and args_of(entry)["survivors"][0]["name"] == "Api Survivor"
    replayable(entry)


def test_api_party_and_fir_are_queued(world: World, field_node: tuple[Node, str]) -> None:
    case = report_case(world, source_ahtu=str(world.organisations["ahtu_ekh"].pk))
    api = Api(Client(), make_token(world, "cm.meghalaya"))
    assert api.post(f"/cases/{case.id}/parties", {"role": "witness", **person_data("A Witness")}).status_code == 201
    fir = api.put(f"/cases/{case.id}/fir", {"police_station_name": "Shillong Sadar", "number": "12/2026",
                                             "registered_on": "2026-01-05"})
    assert fir.status_code == 200, fir.json()
    actions = list(Outbox.objects.values_list("action", flat=True))
    assert actions == ["add_party", "record_fir"]
    parse_add_party(data=args_of(Outbox.objects.get(seq=1)))
    for entry in Outbox.objects.all():
        replayable(entry)


def test_unregistered_write_is_refused_with_409(world: World, field_node: tuple[Node, str],
                                                client_as: Callable[[str], Client]) -> None:
    api = Api(Client(), make_token(world, "cm.meghalaya"))
    response = api.post("/emergency-access/00000000-0000-0000-0000-000000000000/reviewed", {})
    assert response.status_code == 409 and "field node" in response.json()["detail"]
    page = client_as("cm.meghalaya").post("/account/tokens/", {"label": "x"})
    assert page.status_code == 409
    assert not Outbox.objects.exists()


def test_linking_an_existing_person_offline_is_refused(world: World, field_node: tuple[Node, str]) -> None:
    case = report_case(world)
    api = Api(Client(), make_token(world, "cm.meghalaya"))
    response = api.post(f"/cases/{case.id}/parties", {"role": "witness", "person_id": str(uuid.uuid4())})
    assert response.status_code in (409, 422)
    assert not Outbox.objects.exists()


def test_a_centre_is_not_affected(world: World, client_as: Callable[[str], Client]) -> None:
    case = report_case(world)
    assert client_as("cm.meghalaya").post(f"/cases/{case.id}/notes/", {"body": "On the centre."}).status_code == 302
    assert not Outbox.objects.exists()
    assert client_as("cm.meghalaya").get("/node/sync/").status_code == 404


def test_unprovisioned_node_refuses_writes(world: World, node_files: Path,
                                           client_as: Callable[[str], Client]) -> None:
    case = report_case(world)
    response = client_as("cm.meghalaya").post(f"/cases/{case.id}/notes/", {"body": "x"})
    assert response.status_code == 409 and b"provision" in response.content


def test_key_and_identity_files_are_private(field_node: tuple[Node, str], node_files: Path) -> None:
    for name in ("node.json", "node_key"):
        assert (node_files / name).stat().st_mode & 0o777 == 0o600




def test_a_case_reported_on_a_node_has_a_provisional_reference(world: World, field_node: tuple[Node, str]) -> None:
    assert "-F" in report_case(world).reference
