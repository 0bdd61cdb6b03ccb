"""Per-person and per-case data keys (wrapped by a master key outside the database), the wrapped root of the
blind index key, and the keyed search tokens used for blocking (candidate selection before matching).

Not synced (no SyncedModel): keys travel to field nodes only with the key-distribution design of the sync issue.
"""

from __future__ import annotations

from django.db import models


class PersonKey(models.Model):
    """The data key of one person. Destroying it (crypto-shredding) makes every P0 value of the person
    unreadable, wherever the ciphertext is copied."""

    person = models.OneToOneField("cases.Person", primary_key=True, on_delete=models.PROTECT,
                                  related_name="vault_key")
    # base64(nonce + AES-GCM(master key, data key)); blank once destroyed.
    wrapped = models.TextField(blank=True)
    master_key_id = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField()
    rotated_at = models.DateTimeField(null=True, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["master_key_id"], name="personkey_master")]


class CaseKey(models.Model):
    """The data key of one case: seals the case's place details (whereabouts). Created with the first place
    detail; destroyed when the last survivor of the case is erased."""

    case = models.OneToOneField("cases.Case", primary_key=True, on_delete=models.PROTECT, related_name="vault_key")
    wrapped = models.TextField(blank=True)  # as PersonKey.wrapped, under the case context
    master_key_id = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField()
    rotated_at = models.DateTimeField(null=True, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["master_key_id"], name="casekey_master")]


class IndexKey(models.Model):
    """The root secret of the blind index key, wrapped like a person key (so a master key rotation keeps every
    stored index token valid). One row, name "blind-index"."""

    name = models.CharField(max_length=40, primary_key=True)
    wrapped = models.TextField()
    master_key_id = models.CharField(max_length=40)
    created_at = models.DateTimeField()
    rotated_at = models.DateTimeField(null=True, blank=True)


class SearchToken(models.Model):
    """A keyed token (truncated HMAC) of a normalised name part, for blocking: people sharing a token are
    candidates for matching. Exact lookups use the blind index columns on PersonName/PersonPhone instead."""

    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8)  # icmc.vault.blind.TokenKind
    token = models.CharField(max_length=16)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "token"], name="searchtoken_kind_token"),
            # Person search looks tokens up without their kind and groups by person: an index-only scan.
            models.Index(fields=["token", "person"], name="searchtoken_token_person"),
        ]
        constraints = [models.UniqueConstraint(fields=["person", "kind", "token"], name="searchtoken_unique")]
