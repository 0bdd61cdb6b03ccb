"""Audit events: who did what to which object, when, from which request. Never identity values.

References are plain UUIDs, not foreign keys: an audit row outlives anything it names and is never
cascaded or nulled.
"""

from django.db import models


class AuditEvent(models.Model):
    id = models.BigAutoField(primary_key=True)
    # Position in the hash chain, gapless; `hash` = HMAC(key, prev_hash + canonical event), see chain.py.
    seq = models.PositiveBigIntegerField(unique=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)
    actor_id = models.UUIDField(null=True, blank=True, db_index=True)
    membership_id = models.UUIDField(null=True, blank=True)
    organisation_id = models.UUIDField(null=True, blank=True)
    role = models.CharField(max_length=30, blank=True)
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64, blank=True)
    case_id = models.UUIDField(null=True, blank=True)
    changed_fields = models.JSONField(default=list)
    # Non-identifying facts about the event (counts, codes, roles), never names, phones or free text.
    details = models.JSONField(default=dict)
    request_id = models.CharField(max_length=64, blank=True)
    via = models.CharField(max_length=10)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["case_id", "id"], name="audit_case")]

    def __str__(self) -> str:
        return f"{self.id} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """The last link of the hash chain. Locked by every audit write, so events are chained one at a time."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit chain at {self.last_seq}"
