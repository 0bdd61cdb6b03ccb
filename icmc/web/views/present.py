"""Shaping a case's records for its page (no decisions here beyond what may be shown)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pycountry
from django.utils import timezone
from django.utils.dates import MONTHS_3

from icmc.access.redaction import Clearance, redact
from icmc.cases.codes import Gender, PartyRole
from icmc.cases.forms import LANGUAGE_CHOICES
from icmc.cases.models import Case, CaseParty, CasePlace, Note, PersonName
from icmc.cases.people import age_on, is_minor
from icmc.cases.timeline import TimelineEntry
from icmc.lib.scripts import SCRIPTS
from icmc.pathway.models import RescueOperation
from icmc.prosecution.law import law_regime
from icmc.prosecution.models import FIR

_LANGUAGES = dict(LANGUAGE_CHOICES)
ROLE_ORDER = [PartyRole.SURVIVOR, PartyRole.SUSPECT, PartyRole.REPORTER, PartyRole.GUARDIAN, PartyRole.WITNESS]


def day_and_time(value: datetime.datetime) -> tuple[str, str]:
    """(ISO 8601, "j M Y, H:i") of a datetime in the current time zone: exactly what the `date` filter gives for
    'c' and "j M Y, H:i" (translated month), without its per-call format parsing: the case page's timeline shows
    a hundred of them (tests/web/test_case_page.py compares both)."""
    local = timezone.localtime(value)
    return local.isoformat(), f"{local.day} {str(MONTHS_3[local.month]).title()} {local.year}, {local:%H:%M}"


@dataclass(frozen=True, kw_only=True)
class TimelineRow:
    iso: str
    shown: str  # "j M Y, H:i" in the current time zone
    label: str
    who: str  # " · <who> · <organisation>", each part only when known


def timeline_row(*, entry: TimelineEntry) -> TimelineRow:
    iso, shown = day_and_time(entry.at)
    who = "".join(f" · {name}" for name in (entry.actor_name, entry.organisation_name) if name)
    return TimelineRow(iso=iso, shown=shown, label=entry.label, who=who)


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code


@dataclass(frozen=True, kw_only=True)
class NameView:
    value: str
    is_alias: bool
    script: str


@dataclass(frozen=True, kw_only=True)
class PersonView:
    """A party of the case, as icmc.access.redaction.redact left it: `withheld` when the identity (names,
    phones, birth date) was taken out for the reader."""

    withheld: bool
    names: list[NameView]
    phones: list[str]
    gender: str
    birth_date: datetime.date | None
    estimated_age: int | None
    age_estimated_on: datetime.date | None
    age: int | None
    minor: bool | None
    citizenship: list[str]
    languages: list[str]
    person_id: object = None  # for the link to the person's privacy page


@dataclass(frozen=True, kw_only=True)
class RoleGroup:
    role: str
    label: str
    people: list[PersonView]


def _names(names: list[PersonName]) -> list[NameView]:
    return [NameView(value=n.value, is_alias=n.is_alias, script=SCRIPTS.get(n.script, n.script)) for n in names]


def person_view(*, party: CaseParty, clearance: Clearance, today: datetime.date) -> PersonView:
    person = party.person
    shown = redact({
        "names": _names(list(person.names.all())),
        "phones": [p.number for p in person.phones.all()],
        "gender": str(Gender(person.gender).label) if person.gender in Gender.values else person.gender,
        "birth_date": person.birth_date,
        "estimated_age": person.estimated_age,
        "age_estimated_on": person.age_estimated_on,
        "age": age_on(person=person, on=today),
        "is_minor": is_minor(person=person, on=today),
        "citizenship": [country_name(c) for c in person.citizenship],
        "languages": [str(_LANGUAGES.get(code, code)) for code in person.languages],
    }, model="cases.Person", clearance=clearance)
    return PersonView(
        withheld="names" in shown.withheld, names=shown["names"], phones=shown["phones"], gender=shown["gender"],
        birth_date=shown["birth_date"], estimated_age=shown["estimated_age"],
        age_estimated_on=shown["age_estimated_on"], age=shown["age"], minor=shown["is_minor"],
        citizenship=shown["citizenship"], languages=shown["languages"],
        person_id=person.id,
    )


def display_name(*, party: CaseParty, clearance: Clearance) -> str:
    """The party's first name that is not an alias, or "" when the reader may not see it (or there is none)."""
    shown = redact({"names": [n.value for n in party.person.names.all() if not n.is_alias]},
                   model="cases.Person", clearance=clearance)
    return shown["names"][0] if shown["names"] else ""


def people_by_role(*, parties: list[CaseParty], clearance: Clearance, today: datetime.date) -> list[RoleGroup]:
    groups = []
    for role in ROLE_ORDER:
        people = [person_view(party=p, clearance=clearance, today=today) for p in parties if p.role == role]
        if people:
            groups.append(RoleGroup(role=role.value, label=str(role.label), people=people))
    return groups


@dataclass(frozen=True, kw_only=True)
class PlaceView:
    kind: str
    jurisdiction: str
    detail: str
    withheld: bool  # the detail (whereabouts, P0) was taken out for the reader


def place_view(*, place: CasePlace, clearance: Clearance) -> PlaceView:
    j = place.jurisdiction
    where = ""
    if j is not None:
        where = j.name + (f", {j.state.name}" if j.state is not None and j.state_id != j.code else "")
    shown = redact({"kind": place.get_kind_display(), "jurisdiction": where, "detail": place.detail},
                   model="cases.CasePlace", clearance=clearance)
    return PlaceView(kind=shown["kind"], jurisdiction=shown["jurisdiction"], detail=shown["detail"],
                     withheld="detail" in shown.withheld)


def rescue_place(*, op: RescueOperation, clearance: Clearance) -> str:
    """A rescue operation's place detail (whereabouts, P0), or "" when the reader may not see it."""
    shown = redact({"place_detail": op.place_detail}, model="pathway.RescueOperation", clearance=clearance)
    return str(shown["place_detail"] or "")


@dataclass(frozen=True, kw_only=True)
class FirView:
    police_station: str
    number: str
    registered_on: datetime.date | None
    law_regime: str


def fir_view(*, fir: FIR, clearance: Clearance) -> FirView:
    station = fir.police_station.name if fir.police_station else fir.police_station_name
    regime = law_regime(registered_on=fir.registered_on).value if fir.registered_on else ""
    shown = redact({"police_station_name": station, "number": fir.number, "registered_on": fir.registered_on,
                    "law_regime": regime}, model="prosecution.FIR", clearance=clearance)
    return FirView(police_station=shown["police_station_name"], number=shown["number"],
                   registered_on=shown["registered_on"], law_regime=shown["law_regime"])


@dataclass(frozen=True, kw_only=True)
class NoteView:
    body: str
    author: str
    organisation: str
    created_at: datetime.datetime


def note_view(*, note: Note, clearance: Clearance) -> NoteView:
    shown = redact({"body": note.body, "author": note.author.get_full_name() or note.author.username,
                    "organisation": note.organisation.name, "created_at": note.created_at},
                   model="cases.Note", clearance=clearance)
    return NoteView(body=shown["body"], author=shown["author"], organisation=shown["organisation"],
                    created_at=shown["created_at"])


def report_view(*, case: Case, clearance: Clearance) -> dict[str, Any]:
    """The report section's free text (the rest of the case's facts are P2 codes and organisations)."""
    return redact({"summary": case.summary}, model="cases.Case", clearance=clearance)
