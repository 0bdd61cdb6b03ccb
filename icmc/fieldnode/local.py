"""A local write on a field node: the route's own action, and its outbox entry, in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from icmc.access.actor import Actor
from icmc.fieldnode.capture import Capture, NotReplayable
from icmc.fieldnode.config import NotProvisioned, identity
from icmc.fieldnode.models import LocalWrite
from icmc.lib.ids import deterministic_ids
from icmc.sync.client import enqueue
from icmc.sync.models import Change, Outbox


def next_seq() -> int:
    return int(Outbox.objects.aggregate(last=Max("seq"))["last"] or 0) + 1


def _actor(request: HttpRequest) -> Actor | None:
    auth = getattr(request, "auth", None)  # the API's actor (token or session), set by Django Ninja
    if isinstance(auth, Actor):
        return auth
    actor = getattr(request, "actor", None)
    return actor if isinstance(actor, Actor) else None


def record_local_write(*, request: HttpRequest, capture: Capture, kwargs: Mapping[str, Any],
                       get_response: Callable[[HttpRequest], HttpResponse],
                       refuse: Callable[[HttpRequest, str], HttpResponse]) -> HttpResponse:
    try:
        node = identity()
    except NotProvisioned as exc:
        return refuse(request, str(exc))
    if node.revoked:
        return refuse(request, _("This field node has been revoked by its upstream centre."))
    with transaction.atomic():
        seq = next_seq()
        mark = Change.objects.aggregate(last=Max("seq"))["last"] or 0
        with deterministic_ids(node_id=node.node_id, seq=seq):
            response = get_response(request)
        written = list(Change.objects.filter(seq__gt=mark).values_list("object_type", "object_id", "version"))
        if not written:
            return response  # nothing changed (invalid input, refused, not found)
        actor = _actor(request)
        if response.status_code >= 400 or actor is None or actor.membership is None:
            transaction.set_rollback(True)
            return response
        try:
            args = capture.args(request, kwargs)
        except NotReplayable as exc:
            transaction.set_rollback(True)
            return refuse(request, str(exc))
        base = {f"{t}:{i}": v - 1 for t, i, v in written if v > 1}
        entry = enqueue(action=capture.action, args=args, user_id=actor.user.pk,
                        membership_id=actor.membership.pk, base_versions=base)
        if entry.seq != seq:
            raise RuntimeError("the outbox moved during a local write")
        LocalWrite.objects.bulk_create(
            [LocalWrite(seq=seq, object_type=t, object_id=i) for t, i in {(t, i) for t, i, _v in written}])
    return response
