"""Which tasks and notifications an actor sees. A task is seen by its owner organisation (and owner user); a state
nodal officer sees the tasks of the cases of the state (visible_cases), read-only."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.utils import timezone

from icmc.access.actor import Actor
from icmc.access.errors import NotFound
from icmc.access.queries import visible_cases
from icmc.accounts.reference import Role
from icmc.deadlines.models import Notification, Task, TaskState

FILTERS = ("mine", "org", "overdue")


def is_supervisor(actor: Actor) -> bool:
    return actor.role == Role.STATE_NODAL_OFFICER


def visible_tasks(*, actor: Actor) -> QuerySet[Task]:
    if actor.membership is None:
        return Task.objects.none()
    q = Q(owner_user=actor.user) | Q(owner_organisation=actor.membership.organisation_id)
    if is_supervisor(actor):
        q |= Q(case__in=visible_cases(actor=actor).values("id"))
    return Task.objects.filter(q).select_related("case", "owner_organisation")


def task_list(*, actor: Actor, which: str) -> QuerySet[Task]:
    tasks = visible_tasks(actor=actor)
    if which == "mine":
        return tasks.filter(owner_user=actor.user, state=TaskState.OPEN)
    if which == "overdue":
        return tasks.filter(state=TaskState.OPEN, due_at__lt=timezone.now())
    assert actor.membership is not None
    return tasks.filter(owner_organisation=actor.membership.organisation_id, state=TaskState.OPEN)


def access_task(*, actor: Actor, task_id: uuid.UUID | str) -> Task:
    try:
        return visible_tasks(actor=actor).get(pk=task_id)
    except (Task.DoesNotExist, ValueError) as exc:
        raise NotFound from exc
    except Exception as exc:
        if exc.__class__.__name__ == "ValidationError":
            raise NotFound from exc
        raise


def notifications_for(*, actor: Actor) -> QuerySet[Notification]:
    if actor.membership is None:
        return Notification.objects.none()
    return Notification.objects.filter(Q(user=actor.user) | Q(organisation=actor.membership.organisation_id))


def access_notification(*, actor: Actor, notification_id: uuid.UUID | str) -> Notification:
    try:
        return notifications_for(actor=actor).get(pk=notification_id)
    except (Notification.DoesNotExist, ValueError) as exc:
        raise NotFound from exc
    except Exception as exc:
        if exc.__class__.__name__ == "ValidationError":
            raise NotFound from exc
        raise
