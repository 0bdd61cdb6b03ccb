"""Deadline tasks and notifications: GET /tasks (mine / org / overdue), POST /tasks/{id}/complete,
GET /notifications, POST /notifications/{id}/read. Thin: access functions, then the actions."""

from __future__ import annotations

import datetime
import uuid
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from icmc.api.auth import actor_of
from icmc.api.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, Input
from icmc.deadlines.actions import do_complete_task, do_read_notification
from icmc.deadlines.models import Task
from icmc.deadlines.queries import access_notification, access_task, notifications_for, task_list

router = Router(tags=["tasks"])


class TaskOut(Schema):
    id: uuid.UUID
    case_id: uuid.UUID
    case_reference: str
    survivor_id: uuid.UUID | None
    rule: str
    title: str
    basis: str
    owner_organisation_id: uuid.UUID
    owner_user_id: uuid.UUID | None
    due_at: datetime.datetime
    due_local: str  # in the owner organisation's time zone
    state: str
    closed_by: str
    overdue: bool


class TaskQuery(Schema):
    filter: Literal["mine", "org", "overdue"] = "org"


class CompleteIn(Input):
    note: str = ""


class NotificationOut(Schema):
    id: uuid.UUID
    kind: str
    case_id: uuid.UUID | None
    text: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


def task_data(task: Task) -> dict[str, Any]:
    local = timezone.localtime(task.due_at, ZoneInfo(task.owner_organisation.time_zone))
    return {"id": task.id, "case_id": task.case_id, "case_reference": task.case.reference,
            "survivor_id": task.party_id, "rule": task.rule_key, "title": task.title, "basis": task.basis,
            "owner_organisation_id": task.owner_organisation_id, "owner_user_id": task.owner_user_id,
            "due_at": task.due_at, "due_local": local.isoformat(), "state": task.state,
            "closed_by": task.closed_by, "overdue": task.state == "open" and task.due_at < timezone.now()}


@router.get("/tasks", response={200: list[TaskOut], 401: ErrorOut}, summary="Deadline tasks",
            description="`filter=mine`: open tasks assigned to you; `org` (default): open tasks of your "
                        "organisation; `overdue`: open tasks past due that you see (a state nodal officer: "
                        "those of the cases of the state). Earliest due first.")
def list_tasks(request: HttpRequest, query: Query[TaskQuery]) -> list[dict[str, Any]]:
    actor = actor_of(request)
    return [task_data(t) for t in task_list(actor=actor, which=query.filter)[:500]]


@router.post("/tasks/{task_id}/complete", response={200: TaskOut, **WRITE_ERRORS},
             summary="Mark a task done with a note",
             description="Only the owner organisation may (403 otherwise); the note is required (422).")
def complete_task(request: HttpRequest, task_id: uuid.UUID, payload: CompleteIn) -> dict[str, Any]:
    actor = actor_of(request)
    task = do_complete_task(access_task(actor=actor, task_id=task_id), actor=actor, note=payload.note)
    return task_data(task)


@router.get("/notifications", response={200: list[NotificationOut], 401: ErrorOut},
            summary="Your notifications and your organisation's", description="Newest first.")
def list_notifications(request: HttpRequest) -> list[Any]:
    return list(notifications_for(actor=actor_of(request))[:200])


@router.post("/notifications/{notification_id}/read", response={200: NotificationOut, **READ_ERRORS},
             summary="Mark a notification read")
def read_notification(request: HttpRequest, notification_id: uuid.UUID) -> Any:
    actor = actor_of(request)
    return do_read_notification(access_notification(actor=actor, notification_id=notification_id), actor=actor)
