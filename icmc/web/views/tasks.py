"""Pages for deadline tasks (mine, my organisation's, overdue) and notifications. Thin: queries and actions."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.deadlines.actions import do_complete_task, do_read_notification
from icmc.deadlines.queries import access_notification, access_task, is_supervisor, notifications_for, task_list
from icmc.web.views.common import member_view

TITLES = {"mine": _("My tasks"), "org": _("My organisation's tasks"), "overdue": _("Overdue tasks")}


@member_view
def tasks(request: HttpRequest, actor: Actor, which: str = "org") -> HttpResponse:
    intro = _("Overdue work of the cases of your state.") if which == "overdue" and is_supervisor(actor) else ""
    assert actor.membership is not None
    return render(request, "web/tasks.html", {
        "title": TITLES[which], "which": which, "tasks": list(task_list(actor=actor, which=which)[:500]),
        "intro": intro, "current": f"tasks_{which}", "my_org": actor.membership.organisation_id,
    })


@require_POST
@member_view
def complete_task(request: HttpRequest, actor: Actor, task_id: uuid.UUID) -> HttpResponse:
    task = access_task(actor=actor, task_id=task_id)
    try:
        do_complete_task(task, actor=actor, note=request.POST.get("note", ""))
        messages.success(request, _("Task marked done."))
    except InvalidInput as exc:
        for errors in exc.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("web:tasks_org")


@member_view
def notifications(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(request, "web/notifications.html", {
        "notifications": list(notifications_for(actor=actor)[:200]), "current": "notifications"})


@require_POST
@member_view
def read_notification(request: HttpRequest, actor: Actor, notification_id: uuid.UUID) -> HttpResponse:
    do_read_notification(access_notification(actor=actor, notification_id=notification_id), actor=actor)
    return redirect("web:notifications")
