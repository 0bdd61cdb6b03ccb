"""Cases, the people in them, places, notes.

Sensitivity: identity and whereabouts (names, phones, birth date, place details that locate a person) are P0;
narrative and case detail are P1. Names and phones live in their own rows (PersonName, PersonPhone), sealed by
icmc.vault: the columns hold AES-256-GCM tokens under the person's key plus a blind index; the plain value is
the attribute `value` / `number`, set by the vault when a row is read (SealedManager) or written (Sealer).
Place details (CasePlace.detail) are sealed the same way under the case's key (CaseSealedManager, CaseSealer).
Birth dates stay plain (docs/decisions/0004-birth-dates-stay-plain.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from icmc.accounts.models import Jurisdiction, Organisation
from icmc.cases.codes import CaseStage, CaseStatus, Gender, PartyRole, PlaceKind, ReporterType
from icmc.lib.models import SyncedModel
from icmc.vault.sealed import CaseSealedManager, SealedManager


class ExploitationTypeRef(models.Model):
    """HTCDS types of exploitation as rows (see codes.ExploitationType), so cases can be filtered by them."""

    code = models.CharField(max_length=40, primary_key=True)

    def __str__(self) -> str:
        return self.code


class Case(SyncedModel):
    reference = models.CharField(max_length=30, unique=True)
    # Indexed as (owner, id) in Meta, not alone: see case_owner_id.
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="owned_cases", db_index=False)
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="managed_cases"
    )
    reported_at = models.DateTimeField()
    reporter_type = models.CharField(max_length=20, choices=ReporterType.choices)
    summary = models.TextField()
    exploitation_types = models.ManyToManyField(ExploitationTypeRef, related_name="cases")
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.ACTIVE)
    stage = models.CharField(max_length=20, choices=CaseStage.choices, default=CaseStage.REPORTED)
    source_ahtu = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="source_cases"
    )
    destination_ahtu = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="destination_cases"
    )
    # Closure (icmc.prosecution.codes.ClosureOutcome); cleared again when the case is reopened.
    closure_outcome = models.CharField(max_length=30, blank=True)
    closure_reason = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reopen_reason = models.TextField(blank=True)  # why the case was last reopened

    class Meta:
        indexes = [
            models.Index(fields=["owner", "-reported_at"], name="case_owner_reported"),
            # An organisation's cases as ids in id order, from the index alone: a filtered list's count merges them
            # with another index in id order (at 100,000 cases a centre's 40,000 cases of one exploitation type:
            # a bitmap heap scan and a hash join of 64-112 ms -> a merge join of 22-27 ms).
            models.Index(fields=["owner", "id"], name="case_owner_id"),
            # The columns of an AHTU's or a partner's scope (owner, source AHTU, destination AHTU) with the id, a
            # seventh of the table's size: a list's count over "owner OR either AHTU OR referred" reads this index
            # instead of every row (at 100,000 cases 5,434 -> 1,219 pages, 30 -> 19 ms; icmc/access/queries.py).
            models.Index(fields=["owner", "source_ahtu", "destination_ahtu", "id"], name="case_scope_ids"),
            models.Index(fields=["-reported_at"], name="case_reported"),
            models.Index(fields=["stage", "-reported_at"], name="case_stage_reported"),
        ]

    def __str__(self) -> str:
        return self.reference


class CaseReferenceCounter(models.Model):
    """The last number given per organisation and year, for gapless public references."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="case_ref_counter_unique")]


class CasePlace(SyncedModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="places")
    kind = models.CharField(max_length=20, choices=PlaceKind.choices)
    jurisdiction = models.ForeignKey(Jurisdiction, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Free text (village, brothel, workplace): whereabouts, P0. "v1:<nonce>:<ciphertext>" under the case's key
    # (icmc.vault), "" when there is no detail; never plaintext.
    detail_sealed = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = CaseSealedManager()
    # No key join, no decryption (`detail` stays ""): for filters (EXISTS) and lists that never show details.
    bare = models.Manager()
    detail = ""  # the plain detail (at most 500 characters): not a column; set by icmc.vault on read and write

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["jurisdiction", "kind"], name="caseplace_jurisdiction_kind")]


class Person(SyncedModel):
    """Someone who appears in cases (survivor, suspect, reporter, guardian, witness); one Person, many cases."""

    gender = models.CharField(max_length=30, choices=Gender.choices, default=Gender.UNKNOWN)
    birth_date = models.DateField(null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(null=True, blank=True)
    # The date the estimated age was true on, so that the age (and the minor flag) can be derived later.
    age_estimated_on = models.DateField(null=True, blank=True)
    citizenship = models.JSONField(default=list, blank=True)  # ISO 3166-1 alpha-2 codes
    languages = models.JSONField(default=list, blank=True)  # ISO 639-3 codes
    is_deceased = models.BooleanField(default=False)
    registered_by = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Person {self.id}"


class PersonName(SyncedModel):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="names")
    value_sealed = models.TextField()  # "v1:<nonce>:<ciphertext>" (icmc.vault), never plaintext
    value_index = models.CharField(max_length=32, blank=True, db_index=True)  # blind index (exact lookups)
    script = models.CharField(max_length=4)  # ISO 15924
    is_alias = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    objects = SealedManager()
    value = ""  # the plain name: not a column; set by icmc.vault on read and write (at most 200 characters)

    class Meta:
        ordering = ["position"]


class PersonPhone(SyncedModel):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="phones")
    number_sealed = models.TextField()  # "v1:<nonce>:<ciphertext>" (icmc.vault) of an E.164 number
    number_index = models.CharField(max_length=32, blank=True, db_index=True)  # blind index

    objects = SealedManager()
    number = ""  # the plain E.164 number: not a column; set by icmc.vault on read and write

    class Meta:
        ordering = ["created_at"]


class CaseParty(SyncedModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="parties")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="parties")
    role = models.CharField(max_length=20, choices=PartyRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "role"], name="caseparty_unique_role")
        ]
        indexes = [models.Index(fields=["case", "role"], name="caseparty_case_role")]


class Note(SyncedModel):
    """Append-only: there is no action that edits or deletes a note."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()

    class Meta:
        ordering = ["created_at"]
