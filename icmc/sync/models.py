"""The change feed, the nodes that sync with this installation, their mutation inbox, and (on a field node)
the outbox, the pull cursor and the local replica. The protocol is described in docs/sync.md.

Every write appends the records it touched to the feed (Change), in the action's transaction.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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


# --- upstream side -------------------------------------------------------------------------------------------


class NodeKind(models.TextChoices):
    FIELD = "field", _("Field node")
    PARTNER = "partner", _("Partner centre")


class Node(models.Model):
    """Another installation registered to sync with this one, for a set of users. It signs its requests with
    an Ed25519 key; only the public key is kept here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=NodeKind.choices, default=NodeKind.FIELD)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="sync_nodes")
    public_key = models.CharField(max_length=64)  # raw Ed25519 public key, base64url
    last_seq = models.PositiveBigIntegerField(default=0)  # the last mutation seq stored from this node
    registered_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.id})"


class DataSharingAgreement(models.Model):
    """Federation: what crosses between this installation and a partner centre's node, by type and field, in
    both directions (what we serve it, what we accept from it). Each side records its own copy. Without an
    active agreement nothing crosses to or from a partner node."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="agreements")
    title = models.CharField(max_length=200)  # e.g. "Meghalaya centre - Rights Jessore (Bangladesh), MoU 2026"
    fields = models.JSONField(default=dict)  # {"cases.case": ["reference", "stage"], ...}
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.title


class RecordOrigin(models.Model):
    """The node a record was created by, when not this installation (a partner centre's record): that side is
    authoritative for it; ours may add to it, never edit it, and the other way round."""

    object_id = models.UUIDField(primary_key=True)
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")


class NodeCase(models.Model):
    """A case this node holds (was sent in a snapshot and not removed since). Rows added or removed by a page
    count only once the node comes back with that page's cursor (it applied the page); otherwise they are
    undone and the snapshot or removal is sent again. See icmc.sync.pull."""

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="cases")
    case_id = models.UUIDField()
    added_page = models.PositiveBigIntegerField()
    removed_page = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["node", "case_id"], name="sync_nodecase_unique")]


class MutationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    REJECTED = "rejected", _("Rejected")
    QUARANTINED = "quarantined", _("Quarantined")
    CONFLICT = "conflict", _("Held in the conflict inbox")


class Mutation(models.Model):
    """The inbox: one row per (node, seq), written in the same transaction as the mutation's effect. The
    payload is kept while it may still be needed (rejected, quarantined) and cleared once applied; the hash
    is always kept so that a replay is recognised."""

    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="mutations")
    seq = models.PositiveBigIntegerField()
    payload_hash = models.CharField(max_length=64)
    action = models.CharField(max_length=40)
    # The payload while kept, sealed (icmc.sync.sealing); "" once applied.
    payload_sealed = models.TextField(blank=True, default="")
    status = models.CharField(max_length=12, choices=MutationStatus.choices)
    result = models.JSONField(default=dict)
    client_time = models.CharField(max_length=40, blank=True)  # as sent; never used for ordering
    received_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["node", "seq"], name="sync_mutation_node_seq")]
        ordering = ["node", "seq"]


# --- field node side ------------------------------------------------------------------------------------------


class Outbox(models.Model):
    """Mutations recorded locally, to push upstream in seq order (gapless, from 1)."""

    seq = models.PositiveBigIntegerField(primary_key=True)
    action = models.CharField(max_length=40)
    args_sealed = models.TextField()  # the args, sealed (icmc.sync.sealing): they may hold names and phones
    base_versions = models.JSONField(default=dict)
    user_id = models.UUIDField()
    membership_id = models.UUIDField(null=True, blank=True)
    client_time = models.DateTimeField()
    status = models.CharField(max_length=12, default="pending")  # pending | applied | duplicate | rejected | ...
    result = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["seq"]


class PullState(models.Model):
    """Where this node is in an upstream's feed. Written in the transaction that applies a page."""

    upstream = models.CharField(max_length=300, unique=True)
    node_id = models.UUIDField()
    cursor = models.TextField(blank=True)
    pulled = models.PositiveBigIntegerField(default=0)
    last_sync_at = models.DateTimeField(null=True, blank=True)


class Replica(models.Model):
    """The records pulled from upstream, as projected by the feed (materialising them into the local case
    tables is a later step, see docs/sync.md)."""

    object_type = models.CharField(max_length=40)
    object_id = models.UUIDField()
    version = models.PositiveIntegerField()
    seq = models.PositiveBigIntegerField()
    data = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["object_type", "object_id"], name="sync_replica_unique")]


# --- conflicts (upstream) -------------------------------------------------------------------------------------


class RecordState(models.Model):
    """Per-field versions of an editable record (the types in icmc.sync.versions.TRACKED): for each field, the
    record version at which it last changed and a short hash of its value. Written by every action, with the
    change feed entry (icmc.sync.feed.record_changes)."""

    object_type = models.CharField(max_length=40)
    object_id = models.UUIDField()
    fields = models.JSONField(default=dict)  # {field: [version, hash]}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["object_id", "object_type"], name="sync_recordstate_unique")]


class ConflictKind(models.TextChoices):
    HELD = "held", _("Held: a protected field changed meanwhile; the node's change was not applied")
    OVERWRITTEN = "overwritten", _("Overwritten: the node's later change was applied; the earlier value is kept")


class ConflictStatus(models.TextChoices):
    OPEN = "open", _("Open")
    KEPT = "kept", _("Resolved: kept what is in effect")
    APPLIED = "applied", _("Resolved: applied the other value")


class ConflictRecord(models.Model):
    """A value that is not in effect because of a concurrent edit: the node's held change, or the upstream value
    its later change overwrote. Kept for the case owner to resolve in the conflict inbox. `action`/`args` say
    how to put the other value in effect (a registered action, run as the resolver), `values` what it is; when a
    field is P0 both are sealed together under the case's data key (icmc.vault: AES-256-GCM; rotated and
    shredded with the case's other whereabouts) and `args` and `values` are null."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="sync_conflicts")
    object_type = models.CharField(max_length=40)
    object_id = models.UUIDField()
    fields = models.JSONField(default=list)
    kind = models.CharField(max_length=12, choices=ConflictKind.choices)
    action = models.CharField(max_length=40)
    args = models.JSONField(null=True, blank=True)
    values = models.JSONField(null=True, blank=True)  # {field: the value not in effect}
    args_sealed = models.TextField(blank=True)  # "v1:<nonce>:<ciphertext>" under the case's key (icmc.vault)
    node = models.ForeignKey(Node, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    mutation = models.ForeignKey(Mutation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    pushed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    status = models.CharField(max_length=10, choices=ConflictStatus.choices, default=ConflictStatus.OPEN)
    created_at = models.DateTimeField()
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["case", "status"], name="sync_conflict_case_status")]
