"""Field node bookkeeping: which local records each pending mutation wrote (pulled changes to them are held
back until the mutation has been pushed; see icmc.fieldnode.materialise)."""

from __future__ import annotations

from django.db import models


class LocalWrite(models.Model):
    """A record written by local mutation `seq` (the outbox entry of icmc.sync.models.Outbox)."""

    seq = models.PositiveBigIntegerField(db_index=True)
    object_type = models.CharField(max_length=40)
    object_id = models.UUIDField()

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"], name="fieldnode_write_object")]
