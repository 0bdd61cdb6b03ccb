"""The one write path for tasks and notifications: marking a task done by hand, reading a notification."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput, PermissionDenied
from icmc.audit.record import record_event
from icmc.deadlines.models import Notification, Task, TaskState
from icmc.deadlines.queries import access_notification, access_task
from icmc.sync.feed import record_changes


@transaction.atomic
def do_complete_task(task: Task, *, actor: Actor, note: str) -> Task:
    """Mark an open task done with a note. Only its owner organisation (or owner user) may."""
    task = access_task(actor=actor, task_id=task.id)
    assert actor.membership is not None
    if task.owner_organisation_id != actor.membership.organisation_id and task.owner_user_id != actor.user.pk:
        raise PermissionDenied(gettext("Only the organisation that owns this task may mark it done."))
    note = note.strip()
    if not note:
        raise InvalidInput({"note": [gettext("Say what was done.")]})
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.state != TaskState.OPEN:
        raise InvalidInput({"state": [gettext("This task is no longer open.")]})
    now = timezone.now()
    task.state, task.closed_at, task.closed_by, task.note = TaskState.DONE, now, "manual", note
    task.version, task.updated_at = task.version + 1, now
    task.save()
    record_event(actor=actor, action="task.completed", object_type="task", object_id=task.id,
                 case_id=task.case_id, changed_fields=["state", "note"], details={"rule": task.rule_key})
    record_changes(task, case_id=task.case_id)
    return task


@transaction.atomic
def do_read_notification(notification: Notification, *, actor: Actor) -> Notification:
    notification = access_notification(actor=actor, notification_id=notification.id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        record_event(actor=actor, action="notification.read", object_type="notification",
                     object_id=notification.id, case_id=notification.case_id, changed_fields=["read_at"],
                     details={"kind": notification.kind})
    return notification
