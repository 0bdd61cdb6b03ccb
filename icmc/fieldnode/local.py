"""A local write on a field node: the route's own action, and its outbox entry, in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.fieldnode.capture import Capture, NotReplayable, referral_action
from icmc.fieldnode.config import NotProvisioned, identity
from icmc.fieldnode.models import LocalWrite
from icmc.lib.ids import deterministic_ids
from icmc.sync.client import enqueue
from icmc.sync.models import Change, Outbox
from icmc.sync.registry import REGISTRY


def next_seq() -> int:
    return int(Outbox.objects.aggregate(last=Max("seq"))["last"] or 0) + 1


def _actor(request: HttpRequest) -> Actor | None:
    auth = getattr(request, "auth", None)  # the API's actor (token or session), set by Django Ninja
    if isinstance(auth, Actor):
        return auth
    actor = getattr(request, "actor", None)
    return actor if isinstance(actor, Actor) else None


def action_of(*, capture: Capture, kwargs: Mapping[str, Any],
              args_of: Callable[[], dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """The replayable action and its args. One page closes or reopens; one route moves a referral by verb."""
    args = args_of()
    if capture.action == "close_or_reopen":
        return ("close_case" if "outcome" in args else "reopen_case"), args
    if capture.action == "referral_move":
        return referral_action(kwargs), args
    return capture.action, args


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
            action = action_of(capture=capture, kwargs=kwargs, args_of=lambda: capture.args(request, kwargs))
            args = REGISTRY[action[0]].parse(action[1])  # what the upstream will check, checked now
        except (NotReplayable, KeyError, InvalidInput) as exc:
            transaction.set_rollback(True)
            reason = str(exc) if isinstance(exc, NotReplayable) else _(
                "This change could not be recorded for the upstream centre; nothing was saved.")
            return refuse(request, reason)
        base = {f"{t}:{i}": v - 1 for t, i, v in written if v > 1}
        entry = enqueue(action=action[0], args=args, user_id=actor.user.pk,
                        membership_id=actor.membership.pk, base_versions=base)
        if entry.seq != seq:
            raise RuntimeError("the outbox moved during a local write")
        LocalWrite.objects.bulk_create(
            [LocalWrite(seq=seq, object_type=t, object_id=i) for t, i in {(t, i) for t, i, _v in written}])
    return response
