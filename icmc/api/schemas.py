"""Request and response shapes of the API. No logic here: request fields are kept loose (text and lists of
text) so that content is validated by the shared forms (icmc.cases.forms) and gives the same messages as the
pages; every request schema forbids unknown fields (no mass assignment)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from icmc.accounts.reference import JurisdictionLevel, OrganisationKind
from icmc.cases.codes import Gender

# --- errors -------------------------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str = Field(examples=["Not found."])


class InvalidOut(Schema):
    detail: str = Field(examples=["Invalid input."])
    errors: dict[str, list[str]] = Field(examples=[{"summary": ["This field is required."]}])


# --- requests -----------------------------------------------------------------------------------------------


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class PersonIn(Input):
    name: str | None = Field(None, description="Required. The name, or an alias or description.")
    alias: str | None = None
    # Defaults to "not specified / unknown", as the intake page's field does.
    gender: str | None = Field(Gender.UNKNOWN.value, description="A code of /reference/codes `genders`.")
    birth_date: str | None = Field(None, description="YYYY-MM-DD. Give a birth date or an estimated age.")
    estimated_age: int | None = None
    citizenship: list[str] = Field([], description="ISO 3166-1 alpha-2 codes.")
    languages: list[str] = Field([], description="ISO 639-3 codes of /reference/codes `languages`.")
    phone: str | None = Field(None, description="International form, e.g. +919800000000.")


class CaseReportIn(Input):
    reported_at: str | None = Field(None, description="ISO 8601 with a UTC offset, e.g. 2026-03-01T10:30:00+05:30.")
    reporter_type: str | None = Field(None, description="A code of /reference/codes `reporter_types`.")
    reporter_name: str | None = None
    reporter_phone: str | None = None
    summary: str | None = Field(None, description="What happened (at most 10,000 characters).")
    exploitation_types: list[str] = Field([], description="Codes of /reference/codes `exploitation_types`.")
    source_jurisdiction: str | None = Field(None, description="Jurisdiction code, e.g. IN-ML-EAST-KHASI-HILLS.")
    source_detail: str | None = None
    transit_jurisdiction: str | None = None
    transit_detail: str | None = None
    destination_jurisdiction: str | None = None
    destination_detail: str | None = None
    source_ahtu: str | None = Field(None, description="Organisation id of an AHTU.")
    destination_ahtu: str | None = Field(None, description="Organisation id of an AHTU.")
    fir_police_station: str | None = Field(None, description="Organisation id of a police station or AHTU.")
    fir_police_station_name: str | None = Field(None, description="When the police station is not listed.")
    fir_number: str | None = None
    fir_date: str | None = Field(None, description="YYYY-MM-DD.")
    survivors: list[PersonIn] = Field([], description="At least one.")
    suspects: list[PersonIn] = []


class NoteIn(Input):
    body: str | None = None


class PartyIn(PersonIn):
    """Either `person_id` (a person already seen in another case) or the new person's fields."""

    role: str | None = Field(None, description="A code of /reference/codes `party_roles`.")
    person_id: str | None = Field(None, description="Link a person you can see in another case.")


class FirIn(Input):
    police_station: str | None = Field(None, description="Organisation id of a police station or AHTU.")
    police_station_name: str | None = Field(None, description="When the police station is not listed.")
    number: str | None = None
    registered_on: str | None = Field(None, description="YYYY-MM-DD.")


class CaseListQuery(Input):
    mine: str | None = Field(None, description="true: only cases I manage.")
    stage: str | None = None
    status: str | None = None
    state: str | None = Field(None, description="State code, e.g. IN-ML.")
    district: str | None = Field(None, description="District code, e.g. IN-ML-EAST-KHASI-HILLS.")
    exploitation_type: str | None = None
    reported_from: str | None = Field(None, description="YYYY-MM-DD.")
    reported_to: str | None = Field(None, description="YYYY-MM-DD (inclusive).")
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=100)


class JurisdictionQuery(Input):
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2, e.g. IN.")
    level: JurisdictionLevel | None = None
    parent: str | None = Field(None, pattern=r"^[A-Za-z0-9-]{1,40}$",
                               description="Code of the parent jurisdiction, e.g. IN-ML.")


class OrganisationQuery(Input):
    kind: OrganisationKind | None = None


# --- responses ----------------------------------------------------------------------------------------------


class Ref(Schema):
    id: uuid.UUID
    name: str


class JurisdictionRef(Schema):
    code: str
    name: str


class PlaceOut(Schema):
    kind: str
    jurisdiction: JurisdictionRef | None


class PlaceDetailOut(PlaceOut):
    detail: str


class CaseSummaryOut(Schema):
    id: uuid.UUID
    reference: str
    reported_at: datetime.datetime
    stage: str
    status: str
    exploitation_types: list[str]
    places: list[PlaceOut]
    survivor_count: int
    owner: Ref


class CasePageOut(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[CaseSummaryOut]


class NameOut(Schema):
    value: str
    script: str
    is_alias: bool


class PersonOut(Schema):
    id: uuid.UUID
    names: list[NameOut]
    gender: str
    birth_date: datetime.date | None
    estimated_age: int | None
    is_minor: bool | None
    citizenship: list[str]
    languages: list[str]
    phones: list[str]


class PartyOut(Schema):
    id: uuid.UUID
    role: str
    person: PersonOut


class FirOut(Schema):
    id: uuid.UUID
    police_station: Ref | None
    police_station_name: str
    number: str
    registered_on: datetime.date | None
    law_regime: str | None
    version: int


class NoteOut(Schema):
    id: uuid.UUID
    body: str
    author: Ref
    organisation: Ref
    created_at: datetime.datetime


class CaseDetailOut(Schema):
    id: uuid.UUID
    reference: str
    status: str
    stage: str
    reported_at: datetime.datetime
    reporter_type: str
    summary: str
    exploitation_types: list[str]
    owner: Ref
    places: list[PlaceDetailOut]
    source_ahtu: Ref | None
    destination_ahtu: Ref | None
    firs: list[FirOut]
    parties: list[PartyOut]
    notes: list[NoteOut]
    version: int


class TimelineEntryOut(Schema):
    at: datetime.datetime
    action: str
    label: str
    actor_name: str
    organisation_name: str


class PersonCaseOut(Schema):
    id: uuid.UUID
    reference: str
    role: str


class PersonDetailOut(PersonOut):
    cases: list[PersonCaseOut]


class PersonSearchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="A name, part of one or an alias, in any script (2 to 200 characters)")
    limit: int | None = Field(default=None, description="At most this many results (1-50, default 20)")
    born_from: int | None = Field(default=None, description="Only people born in or after this year (from the "
                                  "birth date, or an estimated age, ± 1 year; people of unknown age are left out)")
    born_to: int | None = Field(default=None, description="Only people born in or before this year")
    state: str | None = Field(default=None, description="Only people of cases with a place in this state "
                              "(ISO 3166-2 code, e.g. IN-ML)")
    district: str | None = Field(default=None, description="Only people of cases with a place in this district "
                                 "(code, e.g. IN-ML-EAST-KHASI-HILLS)")
    role: str | None = Field(default=None, description="Only people in this role in a case: survivor, suspect, "
                             "reporter, guardian or witness")


class PersonHitOut(PersonDetailOut):
    score: int = Field(description="How well the best of the person's names matches, 0-100")


class PersonSearchOut(Schema):
    count: int
    results: list[PersonHitOut]


class OrganisationRef(Schema):
    id: uuid.UUID
    name: str
    kind: str


class MembershipOut(Schema):
    id: uuid.UUID
    organisation: OrganisationRef
    role: str


class UserOut(Schema):
    id: uuid.UUID
    username: str
    full_name: str


class MeOut(Schema):
    user: UserOut
    membership: MembershipOut | None
    permissions: list[str]
    memberships: list[MembershipOut]


class JurisdictionOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None
    country: str


class OrganisationOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    pillars: list[str]
    jurisdiction: str


class CodeOut(Schema):
    code: str
    label: str


class CodesOut(Schema):
    exploitation_types: list[CodeOut]
    genders: list[CodeOut]
    reporter_types: list[CodeOut]
    party_roles: list[CodeOut]
    case_statuses: list[CodeOut]
    case_stages: list[CodeOut]
    place_kinds: list[CodeOut]
    languages: list[CodeOut]
    countries: list[CodeOut]


# The documented error answers of an operation, by kind (see icmc/api/errors.py for the shape).
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut}
# Workflow moves may also be refused by a guard (409 with the reason).
MOVE_ERRORS: dict[int, Any] = {**WRITE_ERRORS, 409: ErrorOut}
