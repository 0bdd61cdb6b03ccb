"""Synthetic cases as plain specs: deterministic for a seed, no database, no real people.

`iter_specs(seed=..., count=..., anchor=...)` yields CaseSpec objects reported over the `years` before
`anchor` (never on or after it). The proportions follow shared/domain/facts.md ("Scale"): 2 to 3 survivors per
case (sometimes 1), 40 to 50 % minors, mostly female, 10 to 20 % cross-border, FIR for about 70 % of cases.
Two writers turn specs into rows: icmc.demo.write_actions (the real actions) and icmc.demo.bulk (scale).
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from icmc.cases.codes import Gender, PlaceKind, ReporterType
from icmc.demo import places as geo
from icmc.demo import texts
from icmc.demo.names import (
    COMMUNITIES,
    FOREIGN_COMMUNITIES,
    NATIVE,
    SUSPECT_NICKNAMES_FEMALE,
    SUSPECT_NICKNAMES_MALE,
    VARIANTS,
    Community,
)
from icmc.demo.specs import ZONE, CaseSpec, FirSpec, NoteSpec, PersonSpec, PlaceSpec
from icmc.demo.story import tell

CROSS_BORDER_SHARE = 0.15
INBOUND_SHARE = 0.7  # of cross-border cases: people brought into India (else taken out of it)
FIR_SHARE = 0.7


class Weighted:
    """A weighted choice table, built once (rng.choices with cumulative weights)."""

    def __init__(self, weights: Mapping[Any, float]) -> None:
        self.keys = list(weights)
        self.cum = list(itertools.accumulate(weights.values()))

    def pick(self, rng: random.Random) -> Any:
        return rng.choices(self.keys, cum_weights=self.cum, k=1)[0]


_TYPES = Weighted({"SexualExploitation": 38, "ForcedLabour": 20, "ChildLabour": 12, "ForcedMarriage": 10,
                   "Servitude": 12, "ForcedBegging": 3, "Other": 3, "ForcedAdoption": 1, "OrganRemoval": 0.5,
                   "Surrogacy": 0.5})
_SECOND_TYPE = {"SexualExploitation": ("Servitude", "ForcedMarriage"), "ChildLabour": ("Servitude", "ForcedBegging"),
                "ForcedLabour": ("ChildLabour",), "Servitude": ("SexualExploitation", "ChildLabour"),
                "ForcedMarriage": ("SexualExploitation", "Servitude")}
# Per exploitation type: share of survivors who are female, and share who are minors.
_FEMALE = {"SexualExploitation": 0.95, "ForcedLabour": 0.45, "ChildLabour": 0.5, "ForcedMarriage": 1.0,
           "Servitude": 0.85, "ForcedBegging": 0.5}
_MINOR = {"SexualExploitation": 0.45, "ForcedLabour": 0.2, "ChildLabour": 1.0, "ForcedMarriage": 0.55,
          "Servitude": 0.5, "ForcedBegging": 0.7}
_MINOR_AGES = Weighted({10: 1, 11: 1, 12: 2, 13: 3, 14: 4, 15: 5, 16: 6, 17: 6})
_REPORTERS = Weighted({ReporterType.FAMILY: 35, ReporterType.NGO: 15, ReporterType.POLICE: 15,
                       ReporterType.HOTLINE: 12, ReporterType.NON_FAMILY: 10, ReporterType.SURVIVOR: 8,
                       ReporterType.ANONYMOUS: 5})
# Reporter types whose reporter is named: (share named, share of those with a phone).
_REPORTER_NAMED: dict[str, tuple[float, float]] = {
    ReporterType.FAMILY: (0.95, 0.85), ReporterType.NON_FAMILY: (0.7, 0.7), ReporterType.NGO: (0.6, 0.6),
    ReporterType.HOTLINE: (0.3, 0.9), ReporterType.POLICE: (0.2, 0.5),
}
_SURVIVOR_COUNT = Weighted({1: 20, 2: 50, 3: 30})
_SUSPECT_COUNT = Weighted({0: 35, 1: 45, 2: 20})
_NOTE_COUNT = Weighted({0: 30, 1: 30, 2: 25, 3: 15})
_PHONE_PREFIX = {"IN": ("+91", 10, "6789"), "NP": ("+97798", 8, ""), "BD": ("+8801", 9, "3456789"),
                 "MM": ("+959", 8, "")}
_COUNTRY_NAMES = {"BD": "Bangladesh", "NP": "Nepal", "MM": "Myanmar"}
_STATION_PATTERNS = ("{d} Sadar Police Station", "Women Police Station, {d}", "{d} Police Station")

_TABLES: dict[int, tuple[Mapping[str, float], Weighted]] = {}


def _pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    """A weighted choice from one of the module-level tables (each turned into a Weighted once)."""
    entry = _TABLES.get(id(weights))
    if entry is None or entry[0] is not weights:
        entry = _TABLES[id(weights)] = (weights, Weighted(weights))
    return str(entry[1].pick(rng))


class _Generator:
    def __init__(self, *, rng: random.Random, anchor: datetime.date, years: int,
                 state_weights: Mapping[str, float]) -> None:
        self.rng = rng
        self.anchor = anchor
        self.days = max(1, int(years * 365.25))
        self.states = Weighted(state_weights)
        self.districts = {s: Weighted({d: geo.DISTRICT_WEIGHTS.get(d, 1.0) for d in ds})
                          for s, ds in geo.DISTRICTS_BY_STATE.items()}

    # --- people -------------------------------------------------------------------------------------------

    def _spelling(self, part: str, chance: float) -> str:
        variants = VARIANTS.get(part)
        return self.rng.choice(variants) if variants and self.rng.random() < chance else part

    @staticmethod
    def _compose(c: Community, given: str, family: str, gender: str) -> str:
        suffix = c.female_suffix if gender == Gender.FEMININE else c.male_suffix
        return " ".join(c.pattern.format(given=given, family=family, suffix=suffix).split())

    def _native(self, c: Community, given: str, family: str, gender: str) -> str:
        table = NATIVE.get(c.native_script, {})
        parts = [p for p in (given, family) if p]
        if not parts or any(p not in table for p in parts):
            return ""
        return self._compose(c, table[given], table.get(family, ""), gender)

    def _phone(self, country: str) -> str:
        prefix, digits, first = _PHONE_PREFIX.get(country, _PHONE_PREFIX["IN"])
        lead = self.rng.choice(first) if first else ""
        rest = "".join(self.rng.choice("0123456789") for _ in range(digits - len(lead)))
        return f"{prefix}{lead}{rest}"

    def _name(self, c: Community, gender: str, *, family: str | None = None) -> tuple[str, str, str, str]:
        """(name, given, family, native rendering) with spelling variation."""
        pool = c.female if gender == Gender.FEMININE else c.male
        given = self.rng.choice(pool)
        family = self.rng.choice(c.family) if family is None else family
        native = self._native(c, given, family, gender)
        shown = self._compose(c, self._spelling(given, 0.25), self._spelling(family, 0.25), gender)
        return shown, given, family, native

    def _alias(self, c: Community, given: str, family: str, gender: str, shown: str, native: str) -> str:
        r = self.rng.random()
        if r < 0.15 and native:
            return native
        if r < 0.35:
            variant = self._compose(c, self._spelling(given, 1.0), self._spelling(family, 1.0), gender)
            if variant != shown:
                return variant
        if r < 0.45 and c.pattern != "{given}" and given != shown:
            return given
        return ""

    def survivor(self, c: Community, *, kind: str, day: datetime.date, citizenship: str,
                 family: str | None) -> PersonSpec:
        rng = self.rng
        female = rng.random() < _FEMALE.get(kind, 0.6)
        gender = Gender.FEMININE if female else Gender.MASCULINE
        if female and kind == "SexualExploitation" and rng.random() < 0.015:
            gender = Gender.TRANSGENDER_FEMININE
        minor = rng.random() < _MINOR.get(kind, 0.3)
        age = int(_MINOR_AGES.pick(rng)) if minor else 18 + int(rng.random() ** 2 * 22)
        name_gender = Gender.FEMININE if gender != Gender.MASCULINE else gender
        shown, given, fam, native = self._name(c, name_gender, family=family)
        alias = self._alias(c, given, fam, name_gender, shown, native)
        if native and rng.random() < 0.05:  # a few are written down in their own script first
            shown, alias = native, shown
        birth_date = estimated = None
        if rng.random() < 0.45:
            birth_date = day - datetime.timedelta(days=int(age * 365.25) + rng.randint(1, 360))
        else:
            estimated = age
        return PersonSpec(name=shown, alias=alias, gender=gender, birth_date=birth_date, estimated_age=estimated,
                          citizenship=(citizenship,), languages=c.languages,
                          phone=self._phone(citizenship) if rng.random() < 0.2 else "")

    def suspect(self, c: Community, *, citizenship: str) -> PersonSpec:
        rng = self.rng
        gender = Gender.MASCULINE if rng.random() < 0.75 else Gender.FEMININE
        nicknames = SUSPECT_NICKNAMES_MALE if gender == Gender.MASCULINE else SUSPECT_NICKNAMES_FEMALE
        if rng.random() < 0.15:
            shown, alias = rng.choice(nicknames), ""
        else:
            shown, given, fam, native = self._name(c, gender)
            alias = rng.choice(nicknames) if rng.random() < 0.4 else self._alias(c, given, fam, gender, shown, native)
        return PersonSpec(name=shown, alias=alias, gender=gender,
                          estimated_age=rng.randint(22, 55) if rng.random() < 0.6 else None,
                          citizenship=(citizenship,), languages=c.languages[:1],
                          phone=self._phone(citizenship) if rng.random() < 0.3 else "")

    def reporter(self, kind: str, c: Community, family: str, citizenship: str) -> PersonSpec | None:
        named, with_phone = _REPORTER_NAMED.get(kind, (0.0, 0.0))
        if self.rng.random() >= named:
            return None
        gender = Gender.FEMININE if self.rng.random() < 0.6 else Gender.MASCULINE
        shown = self._name(c, gender, family=family if kind == ReporterType.FAMILY else None)[0]
        phone = self._phone(citizenship) if self.rng.random() < with_phone else ""
        return PersonSpec(name=shown, gender=Gender.UNKNOWN, phone=phone)

    # --- places -------------------------------------------------------------------------------------------

    def _destination(self, kind: str, *, avoid: str) -> str:
        choice = _pick(self.rng, geo.DESTINATIONS.get(kind, geo.DESTINATIONS["Other"]))
        if choice != "NE":
            return choice
        towns = [code for code in geo.NE_TOWNS if code != avoid]
        return self.rng.choice(towns)

    def _place_name(self, code: str) -> str:
        if code in geo.METROS:
            return geo.METROS[code]
        if code in geo.NE_TOWNS:
            return geo.NE_TOWNS[code]
        if code in geo.DISTRICT_NAMES:
            return geo.DISTRICT_NAMES[code]
        country = code.split("-")[0]
        return f"{geo.FOREIGN_PLACES[country][code]}, {_COUNTRY_NAMES[country]}"

    def _community(self, *, state: str, district: str) -> Community:
        name = geo.DISTRICT_NAMES.get(district, "")
        for keywords, weights in geo.COMMUNITIES_BY_DISTRICT:
            if any(k in name for k in keywords):
                return COMMUNITIES[_pick(self.rng, weights)]
        return COMMUNITIES[_pick(self.rng, geo.COMMUNITIES_BY_STATE[state])]

    # --- a case -------------------------------------------------------------------------------------------

    def case(self, index: int, *, position: float) -> CaseSpec:
        """The case at `position` in [0, 1) of the period: specs come out oldest first, denser recently."""
        rng = self.rng
        state = str(self.states.pick(rng))
        day = self.anchor - datetime.timedelta(days=1 + int((1 - position) ** 1.3 * self.days))
        reported_at = datetime.datetime.combine(day, datetime.time(rng.randint(7, 21), rng.randint(0, 59)),
                                                tzinfo=ZONE)
        kind = str(_TYPES.pick(rng))
        types: tuple[str, ...] = (kind,)
        if kind in _SECOND_TYPE and rng.random() < 0.2:
            types = (kind, rng.choice(_SECOND_TYPE[kind]))
        home = str(self.districts[state].pick(rng))
        citizenship, community = "IN", self._community(state=state, district=home)
        transit: PlaceSpec | None = None
        if rng.random() < CROSS_BORDER_SHARE:
            country = _pick(rng, geo.FOREIGN_BY_STATE[state])
            abroad = rng.choice(list(geo.FOREIGN_PLACES[country]))
            border = rng.choice(geo.BORDER_DISTRICTS[state])
            if rng.random() < INBOUND_SHARE:
                citizenship = country
                community = COMMUNITIES[_pick(rng, FOREIGN_COMMUNITIES[country])]
                source = PlaceSpec(kind=PlaceKind.RECRUITMENT, code=abroad)
                transit = PlaceSpec(kind=PlaceKind.TRANSIT, code=border, detail=rng.choice(texts.PLACE_DETAILS))
                destination_code = self._destination(kind, avoid=border)
            else:
                source = PlaceSpec(kind=PlaceKind.RECRUITMENT, code=home, detail=rng.choice(texts.PLACE_DETAILS))
                if border != home:
                    transit = PlaceSpec(kind=PlaceKind.TRANSIT, code=border)
                destination_code = abroad
        else:
            source = PlaceSpec(kind=PlaceKind.RECRUITMENT, code=home, detail=rng.choice(texts.PLACE_DETAILS))
            destination_code = self._destination(kind, avoid=home)
            hubs = [h for h in geo.TRANSIT_HUBS if h not in (home, destination_code)]
            if hubs and rng.random() < 0.3:
                hub = rng.choice(hubs)
                transit = PlaceSpec(kind=PlaceKind.TRANSIT, code=hub, detail=geo.TRANSIT_HUBS[hub])
        destination = PlaceSpec(kind=PlaceKind.EXPLOITATION, code=destination_code,
                                detail=rng.choice(texts.DESTINATION_DETAILS))
        family = rng.choice(community.family)
        survivors = self._distinct(
            int(_SURVIVOR_COUNT.pick(rng)),
            lambda i: self.survivor(community, kind=kind, day=day, citizenship=citizenship,
                                    family=family if i == 0 or rng.random() < 0.4 else None),
        )
        suspect_community = COMMUNITIES["hindi"] if destination_code in geo.METROS else community
        suspects = self._distinct(
            int(_SUSPECT_COUNT.pick(rng)),
            lambda i: self.suspect(community if rng.random() < 0.5 else suspect_community, citizenship="IN"),
            taken=survivors,
        )
        reporter_type = str(_REPORTERS.pick(rng))
        reporter = self.reporter(reporter_type, community, family, citizenship)
        places = [p for p in (source, transit, destination) if p is not None]
        fir = self._fir(day, places) if rng.random() < FIR_SHARE else None
        note_count = int(_NOTE_COUNT.pick(rng))
        notes = tuple(
            NoteSpec(body=body, days_after=days)
            for body, days in zip(rng.sample(texts.NOTES, note_count),
                                  sorted(rng.randint(0, 120) for _ in range(note_count)), strict=True)
        )
        return CaseSpec(
            index=index, state=state, reported_at=reported_at, reporter_type=reporter_type, reporter=reporter,
            summary=self._summary(kind, survivors, day, source, transit, destination, reporter_type),
            exploitation_types=types, source=source, transit=transit, destination=destination,
            survivors=survivors, suspects=suspects, fir=fir, notes=notes,
        )

    @staticmethod
    def _distinct(count: int, make: Callable[[int], PersonSpec], *,
                  taken: Sequence[PersonSpec] = ()) -> tuple[PersonSpec, ...]:
        """`count` people whose names differ from each other's and from `taken` (two people of one case are
        never written the same)."""
        people: list[PersonSpec] = []
        for i in range(count):
            names = {p.name for p in (*taken, *people)}
            person = make(i)
            for _ in range(20):
                if person.name not in names:
                    break
                person = make(i)
            else:
                person = replace(person, name=f"{person.name} ({len(people) + 1})")
            people.append(person)
        return tuple(people)

    def _fir(self, day: datetime.date, places: Sequence[PlaceSpec]) -> FirSpec | None:
        district = next((p.code for p in places if p.code in geo.DISTRICT_NAMES), None)
        if district is None:
            return None
        registered_on = min(day + datetime.timedelta(days=self.rng.randint(0, 30)), self.anchor)
        name = self.rng.choice(_STATION_PATTERNS).format(d=geo.DISTRICT_NAMES[district])
        return FirSpec(district=district, station_name=name, registered_on=registered_on,
                       number=f"{self.rng.randint(1, 350)}/{registered_on.year}")

    def _summary(self, kind: str, survivors: Sequence[PersonSpec], day: datetime.date, source: PlaceSpec,
                 transit: PlaceSpec | None, destination: PlaceSpec, reporter_type: str) -> str:
        ages = sorted(a for a in (s.age_on(day) for s in survivors) if a is not None)
        minors = [a for a in ages if a < 18]
        female = all(s.gender != Gender.MASCULINE for s in survivors)
        male = all(s.gender == Gender.MASCULINE for s in survivors)
        if len(survivors) == 1:
            noun = ("A girl" if female else "A boy" if male else "A young person") if minors else (
                "A woman" if female else "A man" if male else "A young person")
            who = f"{noun} aged about {ages[0]}" if ages else noun
            verb = "was taken to"
        else:
            if len(minors) == len(ages):
                noun = "girls" if female else "boys" if male else "children"
            elif not minors:
                noun = "young women" if female else "young men" if male else "young people"
            else:
                noun = "girls and young women" if female else "young people"
            span = f" aged {ages[0]} to {ages[-1]}" if ages and ages[0] != ages[-1] else (
                f" aged about {ages[0]}" if ages else "")
            who = f"{texts.NUMBER_WORDS[len(survivors)]} {noun}{span}"
            verb = "were taken to"
        if source.code in geo.DISTRICT_NAMES:
            name = geo.DISTRICT_NAMES[source.code]
            phrases = texts.SOURCE_PLACES + (texts.TEA_GARDEN if name in geo.TEA_DISTRICTS else ())
            origin = self.rng.choice(phrases).format(district=name)
        else:
            origin = self._place_name(source.code)
        via = ""
        if transit is not None:
            via = " " + self.rng.choice(texts.TRANSIT_PLACES).format(
                place=geo.TRANSIT_HUBS.get(transit.code) or self._place_name(transit.code))
        lure = self.rng.choice(texts.LURES.get(kind, texts.LURES["Other"]))
        ending = self.rng.choice(texts.REPORT_ENDINGS[reporter_type])
        return f"{who} from {origin} {verb} {self._place_name(destination.code)}{via} after {lure}. {ending}"


def iter_specs(*, seed: int, count: int, anchor: datetime.date, years: int = 10,
               state_weights: Mapping[str, float] | None = None, start_index: int = 0,
               stories: bool = False, first: int = 0, last: int | None = None) -> Iterator[CaseSpec]:
    """The specs number `first` to `last` (default: all) of a series of `count`, the same for the same
    arguments. Each case is drawn from a random stream of its own (seed and number), so a slice is the same as
    in the whole series and batches can be made in any order or process. `anchor` is the day after the last
    report (pass today for live data, a fixed date in tests); the clock is never read here. With `stories`,
    each spec carries what happened after the report (icmc.demo.story), from another stream of its own, so
    that the reports are the same with and without stories."""
    generator = _Generator(rng=random.Random(seed), anchor=anchor, years=years,
                           state_weights=state_weights or geo.NETWORK_STATE_WEIGHTS)
    for n in range(first, count if last is None else min(last, count)):
        generator.rng = random.Random(f"case:{seed}:{n}")
        spec = generator.case(start_index + n, position=(n + generator.rng.random()) / count)
        if stories:
            spec = replace(spec, story=tell(spec, rng=random.Random(f"story:{seed}:{n}"), anchor=anchor))
        yield spec


def generate_specs(*, seed: int, count: int, anchor: datetime.date, years: int = 10,
                   state_weights: Mapping[str, float] | None = None, stories: bool = False) -> list[CaseSpec]:
    return list(iter_specs(seed=seed, count=count, anchor=anchor, years=years, state_weights=state_weights,
                           stories=stories))
