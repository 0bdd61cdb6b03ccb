"""Synthetic cases as plain specs (dataclasses, no database): what icmc.demo.synth generates and the two
writers (icmc.demo.write_actions, icmc.demo.bulk) turn into rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from icmc.demo.story import Story

ZONE = ZoneInfo("Asia/Kolkata")


@dataclass(frozen=True, kw_only=True)
class PersonSpec:
    name: str
    alias: str = ""
    gender: str
    birth_date: datetime.date | None = None
    estimated_age: int | None = None  # as estimated on the day the case was reported
    citizenship: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    phone: str = ""

    def age_on(self, day: datetime.date) -> int | None:
        if self.birth_date is not None:
            before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
            return day.year - self.birth_date.year - before_birthday
        return self.estimated_age


@dataclass(frozen=True, kw_only=True)
class PlaceSpec:
    kind: str  # PlaceKind
    code: str  # a jurisdiction code
    detail: str = ""


@dataclass(frozen=True, kw_only=True)
class FirSpec:
    district: str  # jurisdiction code of the police station's district
    station_name: str  # used when no police organisation of that district is in the directory
    number: str
    registered_on: datetime.date


@dataclass(frozen=True, kw_only=True)
class NoteSpec:
    body: str
    days_after: int  # after the report


@dataclass(frozen=True, kw_only=True)
class CaseSpec:
    index: int
    state: str  # the north-east state whose centre owns the case
    reported_at: datetime.datetime
    reporter_type: str
    reporter: PersonSpec | None
    summary: str
    exploitation_types: tuple[str, ...]
    source: PlaceSpec
    transit: PlaceSpec | None
    destination: PlaceSpec
    survivors: tuple[PersonSpec, ...]
    suspects: tuple[PersonSpec, ...]
    fir: FirSpec | None
    notes: tuple[NoteSpec, ...]
    story: Story | None = None  # what happened after the report (icmc.demo.story), None for the report alone

    @property
    def places(self) -> tuple[PlaceSpec, ...]:
        return tuple(p for p in (self.source, self.transit, self.destination) if p is not None)

    @property
    def cross_border(self) -> bool:
        return any(not p.code.startswith("IN") for p in self.places)

    @property
    def reported_on(self) -> datetime.date:
        return self.reported_at.astimezone(ZONE).date()
