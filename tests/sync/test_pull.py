"""Pulling the feed: signed requests, signed cursors, scope, projection, paging."""

from __future__ import annotations

import pytest

from icmc.cases.models import Case
from icmc.demo.world import World
from icmc.sync.pull import feed_page
from icmc.sync.signing import BadCursor, make_cursor, read_cursor
from tests.factories import person_data, report_case
from tests.sync.conftest import register, upstream_for

pytestmark = pytest.mark.django_db


def ekh_case(world: World) -> Case:
    return report_case(world, "cm.meghalaya", survivors=[person_data("Secret Survivor")],
                       source_ahtu=str(world.memberships["ahtu.ekh"].organisation_id))


def ids_of(page_changes: list[dict], type_name: str) -> set[str]:
    return {c["id"] for c in page_changes if c["type"] == type_name}


def test_cursor_round_trip_and_tampering() -> None:
    cursor = make_cursor(node_id="n1", seq=42)
    assert read_cursor(node_id="n1", cursor=cursor) == (42, 0)
    assert read_cursor(node_id="n1", cursor=make_cursor(node_id="n1", seq=42, page=7)) == (42, 7)
    assert read_cursor(node_id="n1", cursor="") == (0, 0)
    with pytest.raises(BadCursor):
        read_cursor(node_id="n2", cursor=cursor)  # another node's cursor
    with pytest.raises(BadCursor):
        read_cursor(node_id="n1", cursor=cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB"))
    payload, signature = cursor.split(":", 1)
    other_payload = make_cursor(node_id="n1", seq=1).split(":", 1)[0]
    assert other_payload != payload
    forged = f"{other_payload}:{signature}"  # another position under the old signature
    with pytest.raises(BadCursor):
        read_cursor(node_id="n1", cursor=forged)


def test_tampered_cursor_is_refused_with_400(world: World) -> None:
    node, key = register(world, "ahtu.ekh")
    upstream = upstream_for(node, key)
    status, body = upstream.call(method="GET", endpoint="/feed", params={"cursor": "eyJ0YW1wZXJlZCI6MX0:x:y"})
    assert status == 400
    status, body = upstream.call(method="GET", endpoint="/feed")
    assert status == 200 and set(body) == {"cursor", "changes", "has_more"}


def test_unsigned_or_badly_signed_requests_are_refused(world: World, client) -> None:
    node, _key = register(world, "ahtu.ekh")
    assert client.get("/api/v1/sync/feed").status_code == 401
    _other, other_key = register(world, "ahtu.wjh")
    forged = upstream_for(node, other_key)  # claims to be `node`, signs with another key
    assert forged.call(method="GET", endpoint="/feed")[0] == 401


def test_scope_a_wjh_node_does_not_receive_an_ekh_case(world: World) -> None:
    case = ekh_case(world)
    wjh, _ = register(world, "ahtu.wjh")
    ekh, _ = register(world, "ahtu.ekh")
    wjh_changes = feed_page(node=wjh, after=0, limit=2000).changes
    ekh_changes = feed_page(node=ekh, after=0, limit=2000).changes
    assert str(case.id) not in ids_of(wjh_changes, "cases.case")
    assert not any(c["data"].get("case") == str(case.id) for c in wjh_changes)
    assert str(case.id) in ids_of(ekh_changes, "cases.case")
    assert ids_of(ekh_changes, "cases.caseparty")  # its survivor's party row


def test_organisations_are_reference_data_for_every_node(world: World) -> None:
    from icmc.accounts.actions import do_create_organisation
    from icmc.accounts.models import Jurisdiction

    org = do_create_organisation(actor=world.actor("admin"), name="New shelter", kind="shelter_ngo",
                                 jurisdiction=Jurisdiction.objects.get(code="IN-ML-EAST-KHASI-HILLS"))
    for username in ("ahtu.wjh", "partner.nepal"):
        node, _ = register(world, username)
        changes = feed_page(node=node, after=0, limit=2000).changes
        assert str(org.id) in ids_of(changes, "accounts.organisation")


def test_identity_crosses_only_to_a_node_cleared_for_p0(world: World) -> None:
    """Names and phones cross as plain values (over TLS) to a node all of whose users may see them; sealed
    columns, blind indexes and keys never cross; a node shared with an analyst gets no P0 at all."""
    report_case(world, survivors=[person_data("Secret Survivor", phone="+919800000077")],
                source_ahtu=str(world.organisations["ahtu_ekh"].pk), source_detail="Behind the mill")
    ekh, _ = register(world, "ahtu.ekh")
    changes = feed_page(node=ekh, after=0, limit=2000).changes
    names = [c["data"] for c in changes if c["type"] == "cases.personname"]
    assert "Secret Survivor" in {n["value"] for n in names}
    assert "value_sealed" not in str(changes) and "value_index" not in str(changes)
    assert "Behind the mill" in str(changes)
    shared, _ = register(world, "cm.meghalaya", "analyst", name="shared with an analyst")
    changes = feed_page(node=shared, after=0, limit=2000).changes
    assert "Secret Survivor" not in str(changes) and "Behind the mill" not in str(changes)
    assert "+919800000077" not in str(changes)


def test_paging_has_no_gaps_and_no_duplicates(world: World) -> None:
    for _ in range(3):
        ekh_case(world)
    ekh, _key = register(world, "ahtu.ekh")
    whole = feed_page(node=ekh, after=0, limit=2000).changes
    seen, after, number, pages = [], 0, 0, 0
    while pages < 100:
        page = feed_page(node=ekh, after=after, page=number, limit=3)
        seen.extend(page.changes)
        after, number = read_cursor(node_id=str(ekh.id), cursor=page.cursor)
        pages += 1
        if not page.has_more:
            break
    assert pages > 2
    keys = [(c["type"], c["id"]) for c in seen]
    assert len(keys) == len(set(keys))  # no duplicates
    assert set(keys) == {(c["type"], c["id"]) for c in whole}  # no gaps


def test_revoked_node_cannot_pull(world: World) -> None:
    from icmc.demo.world import system_actor
    from icmc.sync.actions import do_revoke_node

    node, key = register(world, "ahtu.ekh")
    do_revoke_node(node, actor=system_actor())
    assert upstream_for(node, key).call(method="GET", endpoint="/feed")[0] == 403


def test_identity_sent_to_a_node_is_audited_without_values(world: World) -> None:
    """Every read of P0 is audited: a page carrying a survivor's name to a node records which cases and
    which fields crossed, never the values."""
    from icmc.audit.models import AuditEvent

    case = ekh_case(world)
    node, _ = register(world, "ahtu.ekh")
    changes = feed_page(node=node, after=0, limit=2000).changes
    assert any(c["type"] == "cases.personname" for c in changes)
    event = AuditEvent.objects.get(action="sync.identity_served", object_id=str(node.id))
    assert str(case.id) in event.details["cases"]
    assert "cases.personname.value" in event.details["fields"]
    assert "Secret" not in str(event.details)


def test_a_page_without_identity_records_no_identity_event(world: World) -> None:
    from icmc.audit.models import AuditEvent

    node, _ = register(world, "ahtu.ekh")
    feed_page(node=node, after=0, limit=2000)  # nothing reported yet: organisations only
    assert not AuditEvent.objects.filter(action="sync.identity_served").exists()
