"""The feed a node pulls (docs/sync.md, "Pull"): snapshots of the cases that enter its scope, explicit removals
of the cases that leave it, and the changes after its cursor, filtered to its scope and projected.

Scope = the union, over the node's active users and their active memberships, of the cases they see whole
(visible_cases with referred=False). Persons, names, phones and parties need the identity permission on the
case. Organisations (no case) are reference data and go to every node.

Which cases a node holds is kept upstream (NodeCase), one row per case, stamped with the page that sent its
snapshot (or its removal). The cursor carries the number of the last page the node applied; rows from later
pages were not applied (the node lost the page) and are undone, so their snapshot or removal is sent again:
no gaps. The first page of a node that holds nothing starts the change stream at the feed's present end, since
the snapshot covers everything before it.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
from django.db import transaction
from django.db.models import Max, Q, QuerySet

from icmc.access.actor import Actor
from icmc.access.policy import Perm
from icmc.access.queries import visible_cases
from icmc.access.redaction import Clearance, node_clearance
from icmc.accounts.models import Membership
from icmc.audit.record import record_event
from icmc.cases.models import Case
from icmc.sync.federation import active_agreement, allowed_fields, audit_out, is_partner, origin_of
from icmc.sync.models import Change, Node, NodeCase
from icmc.sync.plain import prefer_index_lookups
from icmc.sync.projection import project_all, project_cases, project_rows, projections, types_in, versions_of
from icmc.sync.signing import make_cursor

DEFAULT_LIMIT = 500
MAX_LIMIT = 2000
RECORDS_PER_CASE = 12  # a guess, to size a snapshot batch of cases to about `limit` records


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):  # as the API's encoder writes them (projected decimals are text already)
        return str(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def encode_page(body: dict[str, Any]) -> bytes:
    """A page as compact UTF-8 JSON (orjson: uuids and datetimes, if any, as their canonical text and ISO 8601,
    as `str` and `isoformat` write them)."""
    return orjson.dumps(body, default=_json_default)


@dataclass(frozen=True)
class Page:
    cursor: str
    changes: list[dict[str, Any]]
    has_more: bool


def node_actors(*, node: Node) -> list[Actor]:
    """One actor per active membership (in an active organisation) of each of the node's active users."""
    memberships = (Membership.objects.filter(user__in=node.users.filter(is_active=True), is_active=True,
                                             organisation__is_active=True)
                   .select_related("user", "organisation__jurisdiction").order_by("user_id", "pk"))
    return [Actor(user=m.user, membership=m, via="sync") for m in memberships]


def _cases(*, actors: list[Actor], perm: Perm, referred: bool = False) -> QuerySet[Case] | None:
    """The union of what the actors see, as one filter on the case table (their scopes' conditions joined by
    OR: the owner index read once for all of them) rather than one `id IN (subquery)` per actor, which the
    database tested on every case of the table, for each of the three scope queries of every page (at 10,000
    cases 52-78 ms instead of 14-17 for the cases a node holds that left its scope)."""
    cases: QuerySet[Case] | None = None
    for actor in actors:
        part = visible_cases(actor=actor, perm=perm, referred=referred)
        cases = part if cases is None else cases | part
    return cases


@dataclass(frozen=True)
class Scope:
    cases: set[uuid.UUID]
    identity: set[uuid.UUID]  # of them, those whose persons the node may receive


def node_scope(*, node: Node, actors: list[Actor] | None = None) -> Scope:
    """A field node: what its users see whole. A partner centre: the cases referred to its users'
    organisations (shared with it), under its agreement (without one, nothing)."""
    cases = _scope_cases(node=node, actors=actors, perm=Perm.CASE_VIEW)
    identity = _scope_cases(node=node, actors=actors, perm=Perm.PERSON_VIEW_IDENTITY)
    return Scope(cases=set(cases.values_list("pk", flat=True)) if cases is not None else set(),
                 identity=set(identity.values_list("pk", flat=True)) if identity is not None else set())


def _scope_cases(*, node: Node, actors: list[Actor] | None, perm: Perm) -> QuerySet[Case] | None:
    """The cases of the node's scope for `perm`, as a query (None: none at all)."""
    partner = is_partner(node)
    if partner and active_agreement(node=node) is None:
        return None
    return _cases(actors=node_actors(node=node) if actors is None else actors, perm=perm, referred=partner)


def scope_filter(*, node: Node, only: dict[str, frozenset[str]] | None, actors: list[Actor] | None = None) -> Q:
    """A filter on Change for what this node may receive."""
    def types(scope: str) -> list[str]:
        return [t for t in types_in(scope) if only is None or t in only]

    q = Q(object_type__in=types("reference"), case_id__isnull=True)
    if is_partner(node) and active_agreement(node=node) is None:
        return Q(pk__in=[])
    cases = _scope_cases(node=node, actors=actors, perm=Perm.CASE_VIEW)
    if cases is not None:
        q |= Q(object_type__in=types("case"), case_id__in=cases.values("pk"))
    identity = _scope_cases(node=node, actors=actors, perm=Perm.PERSON_VIEW_IDENTITY)
    if identity is not None:
        q |= Q(object_type__in=types("identity"), case_id__in=identity.values("pk"))
    return q


def _entry(*, seq: int, op: str, object_type: str, object_id: uuid.UUID | str,
           data: dict[str, Any]) -> dict[str, Any]:
    return {"seq": seq, "op": op, "type": object_type, "id": str(object_id), "version": data.get("version", 1),
            "data": data}


def _snapshot(*, case_ids: list[uuid.UUID], identity: set[uuid.UUID], clearance: Clearance,
              seq: int, only: dict[str, frozenset[str]] | None) -> list[dict[str, Any]]:
    out = []
    with_identity = [c for c in case_ids if c in identity]
    memo: dict[str, dict[tuple[str, str], list[Any]]] = {"case": {}, "identity": {}}  # ids met on the way
    for object_type in types_in("case") + types_in("identity"):
        scope = "identity" if object_type in types_in("identity") else "case"
        ids = with_identity if scope == "identity" else case_ids
        if not ids or (only is not None and object_type not in only):
            continue
        rows = project_cases(object_type=object_type, case_ids=ids, clearance=clearance,
                             only=None if only is None else only[object_type], memo=memo[scope])
        # _entry's dict, written out: a snapshot makes about a hundred of them per case (ids are text already).
        out += [{"seq": seq, "op": "put", "type": object_type, "id": pk, "version": data.get("version", 1),
                 "data": data} for pk, data in rows.items()]
    return out


@transaction.atomic
def feed_page(*, node: Node, after: int, page: int = 0, limit: int = DEFAULT_LIMIT,
              actors: list[Actor] | None = None) -> Page:
    """The next page after the cursor (feed position `after`, page number `page`). `actors`: the node's, if the
    caller has them already (node_actors). Which cases entered or left the scope is worked out by the database
    (the node's scope against the cases it holds), so a page costs the same whatever the scope's size."""
    limit = max(1, min(limit, MAX_LIMIT))
    prefer_index_lookups()
    number = page + 1
    actors = node_actors(node=node) if actors is None else actors
    held = NodeCase.objects.filter(node=node)
    held.filter(added_page__gt=page).delete()  # sent in a page the node did not apply: send again
    held.filter(removed_page__gt=page).update(removed_page=None)
    held.filter(removed_page__lte=page).delete()  # removals the node applied
    in_scope = _scope_cases(node=node, actors=actors, perm=Perm.CASE_VIEW)
    clearance = node_clearance(node=node)
    only = allowed_fields(node=node)
    changes: list[dict[str, Any]] = []
    served_identity: set[uuid.UUID] = set()  # cases whose persons' identity this page may carry
    position = after
    leaving = held if in_scope is None else held.exclude(case_id__in=in_scope.values("pk"))
    left = list(leaving.order_by("case_id").values_list("case_id", flat=True)[:limit + 1])
    more_left, left = len(left) > limit, left[:limit]
    if left:
        changes += [_entry(seq=position, op="remove", object_type="cases.case", object_id=c, data={}) for c in left]
        held.filter(case_id__in=left).update(removed_page=number)
    entering = None if in_scope is None else in_scope.exclude(pk__in=held.values("case_id")).order_by("pk")
    if after == 0 and not held.exists():  # a first (or full) sync: the snapshot covers the feed up to here
        position = Change.objects.aggregate(end=Max("seq"))["end"] or 0
        for object_type in types_in("reference"):
            if only is None or object_type in only:
                rows = project_all(object_type=object_type, clearance=clearance,
                                   only=None if only is None else only[object_type])
                changes += [_entry(seq=position, op="put", object_type=object_type, object_id=pk, data=data)
                            for pk, data in rows.items()]
    room = limit - len(changes)
    more_entering = False
    if entering is not None and room > 0:
        size = max(1, room // RECORDS_PER_CASE)
        batch = list(entering.values_list("pk", flat=True)[:size + 1])
        more_entering, batch = len(batch) > size, batch[:size]
        if batch:
            identity = _scope_cases(node=node, actors=actors, perm=Perm.PERSON_VIEW_IDENTITY)
            with_identity = set() if identity is None else set(
                identity.filter(pk__in=batch).values_list("pk", flat=True))
            changes += _snapshot(case_ids=batch, identity=with_identity, clearance=clearance, seq=position,
                                 only=only)
            served_identity.update(with_identity)
            served_identity.update(uuid.UUID(c["data"]["case"]) for c in changes
                                   if c["type"] == "cases.caseplace" and c["data"].get("detail"))
            NodeCase.objects.bulk_create([NodeCase(node=node, case_id=c, added_page=number) for c in batch],
                                         ignore_conflicts=True)
    elif entering is not None:
        more_entering = entering.exists()
    has_more = more_entering or more_left or len(changes) >= limit
    if not has_more:
        stream, position, has_more = _stream(node=node, after=position, limit=limit - len(changes),
                                             clearance=clearance, only=only, identity_cases=served_identity,
                                             actors=actors)
        changes += stream
    if is_partner(node):
        origins = origin_of(uuid.UUID(c["id"]) for c in changes)
        for change in changes:
            origin = origins.get(uuid.UUID(change["id"]))
            if origin is not None:
                change["origin"] = str(origin)
        audit_out(node=node, actor=_audit_actor(node=node), changes=changes)
    _audit_identity_served(node=node, changes=changes, case_ids=served_identity)
    return Page(cursor=make_cursor(node_id=str(node.id), seq=position, page=number), changes=changes,
                has_more=has_more)


def _stream(*, node: Node, after: int, limit: int, clearance: Clearance,
            only: dict[str, frozenset[str]] | None, identity_cases: set[uuid.UUID],
            actors: list[Actor] | None = None) -> tuple[list[dict[str, Any]], int, bool]:
    """Changes with seq > after, at most `limit`. Within a page a record appears once, at its last seq, with
    its current data (data comes from the row, not the log)."""
    rows = list(Change.objects.filter(scope_filter(node=node, only=only, actors=actors), seq__gt=after).order_by("seq")
                .values_list("seq", "op", "object_type", "object_id", "case_id")[:limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    last: dict[tuple[str, uuid.UUID], tuple[int, str]] = {}
    sealed_types = {name for name, p in projections().items() if p.derived}  # names, phones, place details
    for seq, op, object_type, object_id, case_id in rows:
        last[(object_type, object_id)] = (seq, op)
        if object_type in sealed_types and case_id is not None:
            identity_cases.add(case_id)
    by_type: dict[str, list[uuid.UUID]] = {}
    for object_type, object_id in last:
        by_type.setdefault(object_type, []).append(object_id)
    data = {t: project_rows(object_type=t, ids=ids, clearance=clearance, only=None if only is None else only[t])
            for t, ids in by_type.items()}
    changes = []
    for (object_type, object_id), (seq, op) in sorted(last.items(), key=lambda item: item[1][0]):
        row = data[object_type].get(str(object_id))
        if row is not None:
            changes.append(_entry(seq=seq, op=op, object_type=object_type, object_id=object_id, data=row))
    return changes, (rows[-1][0] if rows else after), has_more


def _audit_identity_served(*, node: Node, changes: list[dict[str, Any]], case_ids: set[uuid.UUID]) -> None:
    """Every read of P0 is audited: a page that carries identity values (names, phones, place details) to a
    node records one `sync.identity_served` event with the cases and the field names, never the values."""
    fields: set[str] = set()
    records = 0
    sealed = {name: p.derived for name, p in projections().items() if p.derived}  # names, phones, places
    for change in changes:
        derived = sealed.get(change["type"])
        if derived is None or change["op"] == "remove":
            continue
        carried = {name for name in derived if change["data"].get(name) not in (None, "")}
        if carried:
            fields |= {f"{change['type']}.{name}" for name in carried}
            records += 1
    if not records:
        return
    record_event(actor=_audit_actor(node=node), action="sync.identity_served", object_type="sync_node",
                 object_id=node.id, details={"records": records, "fields": sorted(fields),
                                             "cases": sorted(str(c) for c in case_ids)[:500]})


def _audit_actor(*, node: Node) -> Actor:
    user = node.users.order_by("pk").first()
    assert user is not None
    return Actor(user=user, membership=None, via="sync")


def digest(*, node: Node) -> tuple[int, str]:
    """(records, digest) of what the node should hold now: SHA-256 (hex) of the sorted lines
    `<type>:<id>:<version>` of every record in its scope (see docs/sync.md, "Integrity")."""
    scope = node_scope(node=node)
    only = allowed_fields(node=node)
    lines = []
    for object_type in types_in("reference"):
        if only is not None and object_type not in only:
            continue
        lines += [f"{object_type}:{pk}:{v}" for pk, v in versions_of(object_type=object_type, case_ids=None)]
    for object_type in types_in("case"):
        if only is not None and object_type not in only:
            continue
        lines += [f"{object_type}:{pk}:{v}" for pk, v in versions_of(object_type=object_type,
                                                                      case_ids=sorted(scope.cases))]
    for object_type in types_in("identity"):
        if only is not None and object_type not in only:
            continue
        lines += [f"{object_type}:{pk}:{v}" for pk, v in versions_of(object_type=object_type,
                                                                      case_ids=sorted(scope.identity))]
    lines.sort()
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()
