"""The node page: sync state of this field node, and "Sync now". On a centre these pages do not exist (404)."""

from __future__ import annotations

import time

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from icmc.access.actor import Actor
from icmc.fieldnode import config
from icmc.fieldnode.session import describe, sync_once
from icmc.fieldnode.status import entry_of_author, node_status
from icmc.sync.client import NodeRevoked, SyncError
from icmc.web.views.common import member_view


def _field_node_only() -> None:
    if not config.is_field_node():
        raise Http404


@require_GET
@member_view
def sync_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    _field_node_only()
    return render(request, "fieldnode/sync.html", {"status": node_status(), "viewer": actor.user.pk})


@require_GET
@member_view
def outbox_entry(request: HttpRequest, actor: Actor, seq: int) -> HttpResponse:
    """One of the user's own changes as entered (a change the centre did not accept is undone on this node, and
    kept here so that it can be done again)."""
    _field_node_only()
    return render(request, "fieldnode/entry.html", {"entry": entry_of_author(actor=actor, seq=seq)})


@require_POST
@member_view
def sync_now(request: HttpRequest, actor: Actor) -> HttpResponse:
    _field_node_only()
    started = time.monotonic()
    try:
        summary = sync_once(timeout=20.0)
    except NodeRevoked:
        return redirect("web:login")  # the replica, its users and sessions are wiped
    except config.NotProvisioned as exc:
        messages.error(request, str(exc))
    except (SyncError, OSError) as exc:
        messages.error(request, _("Sync interrupted (%(reason)s). Nothing is lost: try again when the network is "
                                  "back.") % {"reason": exc})
    else:
        messages.success(request, describe(summary, seconds=time.monotonic() - started))
    return redirect("fieldnode:sync")
