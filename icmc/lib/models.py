"""Base for every record that will sync between nodes: UUID key, a version, creation and update times.

Versions are raised by the actions that write (house rule: no logic in save()). Ids are random, except for
records created by a synced mutation (icmc.lib.ids: deterministic, so a node and its upstream agree).
"""

from django.db import models

from icmc.lib.ids import new_id


class SyncedModel(models.Model):
    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(editable=False)
    updated_at = models.DateTimeField(editable=False)

    class Meta:
        abstract = True
