"""Base for every record that will sync between nodes: UUID key, a version, creation and update times.

Versions are raised by the actions that write (house rule: no logic in save()).
"""

import uuid

from django.db import models


class SyncedModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(editable=False)
    updated_at = models.DateTimeField(editable=False)

    class Meta:
        abstract = True
