"""Sync between nodes (docs/sync.md): GET /sync/feed and POST /sync/push, authenticated by the node's
Ed25519 signature of the request (not by a bearer token or a session); and the conflict inbox of a case
(GET /cases/{id}/conflicts, POST /sync/conflicts/{id}/resolve) for its owner, with the usual API auth."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status
from ninja.errors import HttpError
from pydantic import Field as PydanticField

from icmc.access.errors import InvalidInput
from icmc.access.queries import access_case
from icmc.api.auth import actor_of
from icmc.api.schemas import MOVE_ERRORS, READ_ERRORS, ErrorOut, Input, InvalidOut
from icmc.sync.actions import access_conflict, case_conflicts, do_resolve_conflict
from icmc.sync.conflicts import values_of
from icmc.sync.models import ConflictRecord, Node
from icmc.sync.pull import DEFAULT_LIMIT, encode_page, feed_page, node_actors
from icmc.sync.pull import digest as scope_digest
from icmc.sync.push import apply_push, parse_push
from icmc.sync.signing import HEADER_NODE, HEADER_SIGNATURE, HEADER_TIME, BadCursor, read_cursor, string_to_sign
from icmc.sync.signing import verify as verify_signature

router = Router(tags=["sync"])

BAD_SIGNATURE = _("The request is not signed by a registered node.")
NODE_REVOKED = _("This node has been revoked; its mutations are kept in quarantine and not applied.")
BAD_CURSOR = _("The cursor is not valid.")
NO_ACTIVE_USER = _("None of this node's users may sync any more (deactivated, or no active membership).")
DIGEST_MISMATCH = _("The node's records differ from upstream: do a full resync (pull from an empty cursor), "
                    "keeping the outbox.")


def signed_node(request: HttpRequest) -> Node:
    """The node that signed this request (revoked or not). 401 if the signature does not verify."""
    node_id = request.headers.get(HEADER_NODE, "")
    time = request.headers.get(HEADER_TIME, "")
    signature = request.headers.get(HEADER_SIGNATURE, "")
    try:
        node = Node.objects.get(pk=uuid.UUID(node_id))
    except (ValueError, Node.DoesNotExist) as exc:
        raise HttpError(401, str(BAD_SIGNATURE)) from exc
    message = string_to_sign(method=request.method or "", path=request.path,
                             query=request.META.get("QUERY_STRING", ""), time=time, body=request.body)
    if not time or not verify_signature(public_key=node.public_key, message=message, signature=signature):
        raise HttpError(401, str(BAD_SIGNATURE))
    Node.objects.filter(pk=node.pk).update(last_seen_at=timezone.now())
    return node


@router.get("/feed", auth=None, response={200: dict[str, Any], 400: ErrorOut, 401: ErrorOut, 403: ErrorOut},
            summary="Pull the changes in the node's scope after a cursor",
            description="Signed by the node. `cursor` as returned by the previous page (empty: from the "
                        "start); `limit` 1-2000. 400 for an altered cursor, 403 for a revoked node or one "
                        "none of whose users is active with an active membership.")
def feed(request: HttpRequest, cursor: str = "", limit: int = DEFAULT_LIMIT) -> HttpResponse:
    node = signed_node(request)
    if node.revoked_at is not None:
        raise HttpError(403, str(NODE_REVOKED))
    actors = node_actors(node=node)
    if not actors:  # its users deactivated or their memberships ended: checked on every pull
        raise HttpError(403, str(NO_ACTIVE_USER))
    try:
        after, number = read_cursor(node_id=str(node.id), cursor=cursor)
    except BadCursor as exc:
        raise HttpError(400, str(BAD_CURSOR)) from exc
    page = feed_page(node=node, after=after, page=number, limit=limit, actors=actors)
    # Encoded here, once (a page holds thousands of records: the schema's validation and the generic encoder
    # would walk them again); the same JSON document as the declared response.
    body = encode_page({"cursor": page.cursor, "changes": page.changes, "has_more": page.has_more})
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@router.get("/digest", auth=None, response={200: dict[str, Any], 401: ErrorOut, 403: ErrorOut,
                                            412: dict[str, Any]},
            summary="Integrity check: the digest of what the node should hold",
            description="Signed by the node. `{records, digest}`: SHA-256 of the sorted lines "
                        "`<type>:<id>:<version>` of every record in its scope. With `?digest=<hex>` (the node's "
                        "own): 200 if equal, 412 if not (do a full resync from an empty cursor; keep the outbox).")
def integrity(request: HttpRequest, digest: str = "") -> Status[dict[str, Any]]:
    node = signed_node(request)
    if node.revoked_at is not None:
        raise HttpError(403, str(NODE_REVOKED))
    records, expected = scope_digest(node=node)
    body = {"records": records, "digest": expected}
    if digest and digest.lower() != expected:
        return Status(412, body | {"detail": str(DIGEST_MISMATCH)})
    return Status(200, body | ({"match": True} if digest else {}))


@router.post("/push", auth=None, response={200: dict[str, Any], 401: ErrorOut, 403: dict[str, Any], 422: InvalidOut},
             summary="Push the node's mutations, in seq order",
             description="Signed by the node. A result per mutation: applied, duplicate, rejected, refused, "
                         "quarantined (403 for a revoked node, whose mutations are kept but not applied).")
def push(request: HttpRequest) -> Status[dict[str, Any]]:
    node = signed_node(request)
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput({"__all__": [str(_("The request body is not valid JSON."))]}) from exc
    results = apply_push(node=node, mutations=parse_push(body=body, node_id=str(node.id)))
    if node.revoked_at is not None:
        return Status(403, {"detail": str(NODE_REVOKED), "results": results})
    return Status(200, {"results": results})


# --- the conflict inbox (session or token auth, like the rest of the API) --------------------------------------

conflicts_router = Router(tags=["sync"])


class ResolveIn(Input):
    choice: str = PydanticField(description="`keep` what is in effect, or `apply` the other value.")


def conflict_data(conflict: ConflictRecord) -> dict[str, Any]:
    return {"id": str(conflict.id), "case_id": str(conflict.case_id), "kind": conflict.kind,
            "type": conflict.object_type, "record_id": str(conflict.object_id), "fields": conflict.fields,
            "value": values_of(conflict), "action": conflict.action, "status": conflict.status,
            "node": conflict.node.name if conflict.node else None,
            "pushed_by": conflict.pushed_by.get_full_name() if conflict.pushed_by else None,
            "created_at": conflict.created_at.isoformat(),
            "resolved_at": conflict.resolved_at.isoformat() if conflict.resolved_at else None}


@conflicts_router.get("/cases/{case_id}/conflicts", response={200: list[dict[str, Any]], **READ_ERRORS},
                      summary="The case's open sync conflicts (its conflict inbox)",
                      description="For the case's owner (`sync.resolve_conflict`). `kind`: `held` (a node's "
                                  "change to a protected field, not applied) or `overwritten` (the upstream "
                                  "value a node's later change replaced). `value`: {field: the value not in "
                                  "effect}. `?all=true` includes resolved ones.")
def list_conflicts(request: HttpRequest, case_id: uuid.UUID, all: bool = False) -> list[dict[str, Any]]:
    actor = actor_of(request)
    case = access_case(actor=actor, case_id=case_id)
    return [conflict_data(c) for c in case_conflicts(actor=actor, case=case, open_only=not all)]


@conflicts_router.post("/sync/conflicts/{conflict_id}/resolve", response={200: dict[str, Any], **MOVE_ERRORS},
                       summary="Resolve a sync conflict: keep what is in effect, or apply the other value",
                       description="`apply` runs the action with your permissions; the workflow may refuse it "
                                   "(409 with the reason). Resolving twice: 422.")
def resolve_conflict(request: HttpRequest, conflict_id: uuid.UUID, payload: ResolveIn) -> dict[str, Any]:
    actor = actor_of(request)
    conflict = do_resolve_conflict(access_conflict(actor=actor, conflict_id=conflict_id), actor=actor,
                                   choice=payload.choice)
    return conflict_data(conflict)
