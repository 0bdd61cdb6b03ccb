"""Emergency access ("break the glass", docs/security.md item 10): one membership may read one case it cannot
otherwise see, for a few hours, for a written reason; reviewed afterwards by the owner or the state nodal
officer. The `emergency` scope of icmc/access/policy.py reads these rows."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from icmc.accounts.models import Membership
from icmc.cases.models import Case


class EmergencyAccess(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["membership", "expires_at"])]
