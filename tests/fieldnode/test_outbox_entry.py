"""A change the centre did not accept is undone on the node but kept: its author can read what they entered
(`/node/sync/changes/<seq>/`) to do it again. Nobody else can (404 alike for missing and others' changes);
identities are shown only while the author may see identities, and showing them is audited."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from icmc.audit.models import AuditEvent
from icmc.demo.world import World
from icmc.sync.client import enqueue
from icmc.sync.models import Node, Outbox
from tests.factories import person_data, report_data

pytestmark = pytest.mark.django_db

NAME = "Rupali Hajong"


def rejected_report(world: World) -> Outbox:
    entry = enqueue(action="report_case", args={"data": report_data(), "suspects": [],
                                                "survivors": [person_data(NAME, phone="+91 98630 11223")]},
                    user_id=world.users["cm.meghalaya"].id, membership_id=world.memberships["cm.meghalaya"].id)
    Outbox.objects.filter(pk=entry.pk).update(status="rejected", result={"status": "rejected",
                                                                          "reason": "forbidden"})
    return entry


def test_the_author_reads_what_they_entered_and_it_is_audited(world: World, field_node: tuple[Node, str],
                                                             client_as: Callable[[str], Client]) -> None:
    entry = rejected_report(world)
    client = client_as("cm.meghalaya")
    listing = client.get("/node/sync/").content.decode()
    assert f'href="/node/sync/changes/{entry.seq}/"' in listing  # linked from the rejected list
    before = AuditEvent.objects.filter(action="person.identity_viewed").count()
    page = client.get(f"/node/sync/changes/{entry.seq}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "survivors[1].name" in text and NAME in text and "forbidden" in text
    event = AuditEvent.objects.filter(action="person.identity_viewed").order_by("seq").last()
    assert AuditEvent.objects.filter(action="person.identity_viewed").count() == before + 1 and event is not None
    assert "sync.outbox.survivors[1].name" in event.details["fields"] and NAME not in str(event.details)


def test_another_user_and_a_missing_change_get_the_same_404(world: World, field_node: tuple[Node, str],
                                                           client_as: Callable[[str], Client]) -> None:
    entry = rejected_report(world)
    other = client_as("ahtu.ekh")
    assert other.get(f"/node/sync/changes/{entry.seq}/").status_code == 404
    assert other.get("/node/sync/changes/999/").status_code == 404
    assert f'/node/sync/changes/{entry.seq}/' not in other.get("/node/sync/").content.decode()


def test_a_centre_has_no_such_page(world: World, client_as: Callable[[str], Client]) -> None:
    entry = rejected_report(world)
    assert client_as("cm.meghalaya").get(f"/node/sync/changes/{entry.seq}/").status_code == 404


def test_an_author_who_may_no_longer_see_identities_gets_the_fields_without_values(
        world: World, field_node: tuple[Node, str], client_as: Callable[[str], Client],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from icmc.access.redaction import Clearance
    from icmc.access.sensitivity import P1, P2
    from icmc.fieldnode import status

    entry = rejected_report(world)
    monkeypatch.setattr(status, "reader_clearance",
                        lambda *, actor: Clearance(classes=frozenset({P1, P2}), actor=actor, audit=False))
    text = client_as("cm.meghalaya").get(f"/node/sync/changes/{entry.seq}/").content.decode()
    assert "survivors[1].name" in text and NAME not in text and "98630" not in text
    assert not AuditEvent.objects.filter(action="person.identity_viewed").exists()
