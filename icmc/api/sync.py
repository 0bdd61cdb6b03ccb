"""Sync between nodes (docs/sync.md): GET /sync/feed and POST /sync/push, authenticated by the node's
Ed25519 signature of the request (not by a bearer token or a session)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status
from ninja.errors import HttpError

from icmc.access.errors import InvalidInput
from icmc.api.schemas import ErrorOut, InvalidOut
from icmc.sync.models import Node
from icmc.sync.pull import DEFAULT_LIMIT, feed_page, node_actors
from icmc.sync.push import apply_push, parse_push
from icmc.sync.signing import HEADER_NODE, HEADER_SIGNATURE, HEADER_TIME, BadCursor, read_cursor, string_to_sign
from icmc.sync.signing import verify as verify_signature

router = Router(tags=["sync"])

BAD_SIGNATURE = _("The request is not signed by a registered node.")
NODE_REVOKED = _("This node has been revoked; its mutations are kept in quarantine and not applied.")
BAD_CURSOR = _("The cursor is not valid.")
NO_ACTIVE_USER = _("None of this node's users may sync any more (deactivated, or no active membership).")


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
def feed(request: HttpRequest, cursor: str = "", limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    node = signed_node(request)
    if node.revoked_at is not None:
        raise HttpError(403, str(NODE_REVOKED))
    if not node_actors(node=node):  # its users deactivated or their memberships ended: checked on every pull
        raise HttpError(403, str(NO_ACTIVE_USER))
    try:
        after = read_cursor(node_id=str(node.id), cursor=cursor)
    except BadCursor as exc:
        raise HttpError(400, str(BAD_CURSOR)) from exc
    page = feed_page(node=node, after=after, limit=limit)
    return {"cursor": page.cursor, "changes": page.changes, "has_more": page.has_more}


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
