"""The change feed: every write appends the records it touched, in the action's transaction.

Field nodes and partner centres pull from it (see docs/sync.md when the sync protocol lands).
"""

from django.db import models


class Change(models.Model):
    seq = models.BigAutoField(primary_key=True)
    at = models.DateTimeField()
    op = models.CharField(max_length=6)  # put | remove
    object_type = models.CharField(max_length=40)
    object_id = models.UUIDField()
    version = models.PositiveIntegerField()
    case_id = models.UUIDField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["seq"]
