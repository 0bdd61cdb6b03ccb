"""Tasks made from the deadline rules, and in-app notifications (never with identities)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from icmc.accounts.models import Organisation
from icmc.cases.models import Case, CaseParty
from icmc.lib.models import SyncedModel


class TaskState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Task(SyncedModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="tasks")
    party = models.ForeignKey(CaseParty, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    rule_key = models.CharField(max_length=40)
    # The record the task is about (accused, CWC production, follow-up visit, claim...), so its event closes it.
    source_id = models.UUIDField(null=True, blank=True)
    title = models.CharField(max_length=200)
    basis = models.CharField(max_length=100, blank=True)
    owner_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="tasks")
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="tasks")
    due_at = models.DateTimeField()
    state = models.CharField(max_length=20, choices=TaskState.choices, default=TaskState.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.CharField(max_length=60, blank=True)  # the event kind, or "manual"
    note = models.TextField(blank=True)  # the note given when marked done by hand

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["owner_organisation", "state", "due_at"]),
                   models.Index(fields=["case", "rule_key"])]


class Notification(models.Model):
    """Local to the node (not synced). Text carries case references and codes, never names or phones."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="notifications")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="notifications")
    kind = models.CharField(max_length=40)
    case_id = models.UUIDField(null=True, blank=True)
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["organisation", "read_at"])]
