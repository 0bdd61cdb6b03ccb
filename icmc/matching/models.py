"""Duplicate candidates: two persons, in two cases, in the same role (survivor or suspect), whose keyed name
tokens match (docs/decisions/0008-duplicate-candidates.md). A candidate is a flag for people to decide on: it
never merges or links anything.

Local to the node (not synced, like notifications): the centre finds candidates when it writes (or replays) an
intake, where it holds every case; a field node does not look for them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from icmc.cases.models import Case, Person


class CandidateStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SAME_PERSON = "same_person", _("Same person")
    NOT_SAME = "not_same", _("Not the same person")


class MatchBasis(models.TextChoices):
    NAME = "name", _("The same name (exact, after case and spacing are normalised)")
    PHONE = "phone", _("The same phone number")
    AGE = "age", _("Birth years within two years of each other")


class DuplicateCandidate(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The pair is stored in one order (person_a's id below person_b's), so it is unique whichever came first.
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    case_a = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    case_b = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20)  # icmc.cases.codes.PartyRole: survivor or suspect
    basis = models.JSONField(default=list)  # MatchBasis values: which keyed tokens matched
    status = models.CharField(max_length=20, choices=CandidateStatus.choices, default=CandidateStatus.OPEN)
    found_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-found_at"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicatecandidate_pair"),
            models.CheckConstraint(condition=Q(person_a__lt=F("person_b")), name="duplicatecandidate_ordered"),
        ]
        indexes = [models.Index(fields=["case_a", "status"], name="dupcand_case_a"),
                   models.Index(fields=["case_b", "status"], name="dupcand_case_b")]
