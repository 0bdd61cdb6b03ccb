"""Shaping a case's records for its page (no decisions here beyond what may be shown)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pycountry

from icmc.cases.codes import Gender, PartyRole
from icmc.cases.forms import LANGUAGE_CHOICES
from icmc.cases.models import CaseParty, PersonName
from icmc.cases.people import age_on, is_minor
from icmc.lib.scripts import SCRIPTS
from icmc.prosecution.law import law_regime
from icmc.prosecution.models import FIR

_LANGUAGES = dict(LANGUAGE_CHOICES)
ROLE_ORDER = [PartyRole.SURVIVOR, PartyRole.SUSPECT, PartyRole.REPORTER, PartyRole.GUARDIAN, PartyRole.WITNESS]


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
    """A party of the case. `identity` says whether names, phones and birth date may be shown."""

    identity: bool
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


@dataclass(frozen=True, kw_only=True)
class RoleGroup:
    role: str
    label: str
    people: list[PersonView]


def _names(names: list[PersonName]) -> list[NameView]:
    return [NameView(value=n.value, is_alias=n.is_alias, script=SCRIPTS.get(n.script, n.script)) for n in names]


def person_view(*, party: CaseParty, identity: bool, today: datetime.date) -> PersonView:
    person = party.person
    return PersonView(
        identity=identity,
        names=_names(list(person.names.all())) if identity else [],
        phones=[p.number for p in person.phones.all()] if identity else [],
        gender=str(Gender(person.gender).label) if person.gender in Gender.values else person.gender,
        birth_date=person.birth_date if identity else None,
        estimated_age=person.estimated_age,
        age_estimated_on=person.age_estimated_on,
        age=age_on(person=person, on=today),
        minor=is_minor(person=person, on=today),
        citizenship=[country_name(c) for c in person.citizenship],
        languages=[str(_LANGUAGES.get(code, code)) for code in person.languages],
    )


def people_by_role(*, parties: list[CaseParty], identity: bool, today: datetime.date) -> list[RoleGroup]:
    groups = []
    for role in ROLE_ORDER:
        people = [person_view(party=p, identity=identity, today=today) for p in parties if p.role == role]
        if people:
            groups.append(RoleGroup(role=role.value, label=str(role.label), people=people))
    return groups


@dataclass(frozen=True, kw_only=True)
class FirView:
    police_station: str
    number: str
    registered_on: datetime.date | None
    law_regime: str


def fir_view(*, fir: FIR) -> FirView:
    station = fir.police_station.name if fir.police_station else fir.police_station_name
    regime = law_regime(registered_on=fir.registered_on).value if fir.registered_on else ""
    return FirView(police_station=station, number=fir.number, registered_on=fir.registered_on, law_regime=regime)
