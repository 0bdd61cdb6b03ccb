"""Jurisdictions, organisations, users and their memberships, API tokens."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from icmc.accounts.reference import JurisdictionLevel, OrganisationKind, Pillar, Role
from icmc.lib.models import SyncedModel


class User(AbstractUser):
    """A person who uses ICMC. What they may do comes from their memberships, never from the user row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("user")


class Jurisdiction(models.Model):
    """Country → state/province/division → district. Codes: ISO 3166-1/3166-2; districts add a suffix."""

    code = models.CharField(max_length=40, primary_key=True)
    name = models.CharField(max_length=120)
    level = models.CharField(max_length=10, choices=JurisdictionLevel.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # Denormalised for fast scope checks: the state a district or state belongs to (itself for a state).
    state = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    country = models.CharField(max_length=2, db_index=True)

    class Meta:
        ordering = ["country", "level", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class PillarRef(models.Model):
    """The six P's as rows, so that organisations can hold several and be filtered by them on any database."""

    code = models.CharField(max_length=20, primary_key=True, choices=Pillar.choices)

    def __str__(self) -> str:
        return str(Pillar(self.code).label)


class Organisation(SyncedModel):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=OrganisationKind.choices)
    is_government = models.BooleanField(default=False)
    # Registered and approved (e.g. an NGO shelter home approved to take survivors).
    is_approved = models.BooleanField(default=False)
    pillars = models.ManyToManyField(PillarRef, blank=True, related_name="organisations")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="organisations")
    # Prefix of the public case references of cases this organisation registers, e.g. "ML" → ML-2026-00042.
    reference_prefix = models.CharField(max_length=8, blank=True)
    time_zone = models.CharField(max_length=40, default="Asia/Kolkata")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference_prefix"],
                condition=~models.Q(reference_prefix=""),
                name="organisation_unique_reference_prefix",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(SyncedModel):
    """A user acting for an organisation in a role. A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=models.Q(is_active=True),
                name="membership_unique_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {Role(self.role).label} · {self.organisation}"


class ApiToken(models.Model):
    """A bearer token for the API, bound to one membership. Only its SHA-256 digest is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="api_tokens")
    label = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.label
