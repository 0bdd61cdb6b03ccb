"""Typed, validated inputs to the case actions. Built by icmc.cases.forms from a page or an API body."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from icmc.accounts.models import Jurisdiction, Organisation


@dataclass(frozen=True, kw_only=True)
class PersonInput:
    name: str
    alias: str = ""
    gender: str
    birth_date: datetime.date | None = None
    estimated_age: int | None = None
    citizenship: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    phone: str = ""


@dataclass(frozen=True, kw_only=True)
class PlaceInput:
    kind: str
    jurisdiction: Jurisdiction | None
    detail: str = ""


@dataclass(frozen=True, kw_only=True)
class FirInput:
    police_station: Organisation | None = None
    police_station_name: str = ""
    number: str = ""
    registered_on: datetime.date | None = None

    @property
    def is_blank(self) -> bool:
        return not (self.police_station or self.police_station_name or self.number or self.registered_on)


@dataclass(frozen=True, kw_only=True)
class ReportCaseInput:
    reported_at: datetime.datetime
    reporter_type: str
    reporter: PersonInput | None
    summary: str
    exploitation_types: tuple[str, ...]
    places: tuple[PlaceInput, ...]
    source_ahtu: Organisation | None
    destination_ahtu: Organisation | None
    fir: FirInput
    survivors: tuple[PersonInput, ...]
    suspects: tuple[PersonInput, ...] = field(default=())


@dataclass(frozen=True, kw_only=True)
class AddPartyInput:
    role: str
    person: PersonInput | None = None
    existing_person_id: uuid.UUID | None = None
