"""Person search by name, on sealed names: candidates by the vault's keyed blocking tokens (icmc.vault.search:
most words shared first, then the rarest tokens), each ranked person kept, in that order, if the actor may see
them and they pass the search's filters (birth years, state or district of a case, role;
icmc.access.queries.visible_parties_joined), then
the best of them decrypted and ranked in memory with rapidfuzz. Spelling variants and scripts meet in the sound
keys (icmc.vault.blind: "Lakshmi", "Laxmi" and "लक्ष्मी" share one; a search also looks for each key with a
final n dropped or added: Borbhuiya / Barbhuyan). The audited entry point is
cases.actions.do_search_persons.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, ExtractYear
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.access.queries import visible_parties_joined
from icmc.accounts.models import Jurisdiction
from icmc.accounts.reference import JurisdictionLevel
from icmc.cases.codes import PartyRole
from icmc.cases.models import CaseParty, CasePlace, Person, PersonName, PersonPhone
from icmc.vault import blind
from icmc.vault.search import POOL, ranked_ids

MAX_NAME = 200
DEFAULT_LIMIT = 20
MAX_LIMIT = 50
BLOCK_PER_RESULT = 2  # candidates decrypted and scored per result asked for (limit 50: the best 100)
MIN_BLOCK = 40  # ... and at least this many
MIN_SCORE = 60  # 0-100; below this a candidate that merely shares a common word is left out
SOUND_WEIGHT = 0.9  # a match of sound keys only (another spelling or script) ranks below the same spelling
FIRST_YEAR = 1900
FILTER_FIELDS = ("born_from", "born_to", "state", "district", "role")  # the optional filters of the form


class PersonSearchForm(forms.Form):
    """The search: a name (or part of one, in any script), and filters that tell namesakes apart. Sent by POST,
    never in a URL."""

    name = forms.CharField(max_length=MAX_NAME, min_length=2, strip=True, label=_("Name"),
                           help_text=_("A name, part of a name or an alias, in any script. Spellings vary: "
                                       "“Laxmi” also finds “Lakshmi” and “लक्ष्मी”."))
    born_from = forms.IntegerField(min_value=FIRST_YEAR, required=False, label=_("Born in or after (year)"),
                                   help_text=_("From the birth date, or from an estimated age (± 1 year). People "
                                               "whose age is not recorded are left out."))
    born_to = forms.IntegerField(min_value=FIRST_YEAR, required=False, label=_("Born in or before (year)"))
    state = forms.ModelChoiceField(
        queryset=Jurisdiction.objects.filter(level=JurisdictionLevel.STATE), to_field_name="code",
        required=False, label=_("State / province of a case"), empty_label=_("Any state"),
        error_messages={"invalid_choice": _("Unknown state code.")})
    district = forms.ModelChoiceField(
        queryset=Jurisdiction.objects.filter(level=JurisdictionLevel.DISTRICT), to_field_name="code",
        required=False, label=_("District of a case"), empty_label=_("Any district"),
        error_messages={"invalid_choice": _("Unknown district code.")})
    role = forms.ChoiceField(choices=[("", _("Any role")), *PartyRole.choices], required=False,
                             label=_("Role in a case"))
    limit = forms.IntegerField(min_value=1, max_value=MAX_LIMIT, required=False, label=_("Results"),
                               widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        this_year = timezone.localdate().year
        for name in ("born_from", "born_to"):
            if data.get(name) is not None and data[name] > this_year:
                self.add_error(name, _("A year no later than %(year)s.") % {"year": this_year})
        start, end = data.get("born_from"), data.get("born_to")
        if start is not None and end is not None and start > end:
            self.add_error("born_to", _("The last year is before the first."))
        return data


@dataclass(frozen=True, kw_only=True)
class PersonQuery:
    name: str
    limit: int = DEFAULT_LIMIT
    born_from: int | None = None
    born_to: int | None = None
    state: Jurisdiction | None = None
    district: Jurisdiction | None = None
    role: str = ""

    @property
    def filtered(self) -> bool:
        return any((self.born_from, self.born_to, self.state, self.district, self.role))


def parse_person_search(*, data: Mapping[str, Any]) -> PersonQuery:
    form = PersonSearchForm(data=data)
    if not form.is_valid():
        raise InvalidInput({k: [str(m) for m in v] for k, v in form.errors.items()})
    d = form.cleaned_data
    name = str(d["name"])
    if not blind.name_tokens(blind.index_key(), name):
        raise InvalidInput({"name": [str(_("Give at least one word of two letters or more."))]})
    return PersonQuery(name=name, limit=d["limit"] or DEFAULT_LIMIT, born_from=d["born_from"],
                       born_to=d["born_to"], state=d["state"], district=d["district"], role=d["role"])


def filters_q(*, query: PersonQuery) -> Q | None:
    """The search's filters as a filter on CaseParty (None without filters): a person is kept through the
    parties that pass (role, a place of the case in the state or district), if their birth year is in the range
    (the birth date's, or, for an estimated age A on a date of year Y, Y - A - 1 or Y - A)."""
    q = Q()
    if query.role:
        q &= Q(role=query.role)
    for jurisdiction in (query.state, query.district):
        if jurisdiction is not None:
            field = "jurisdiction__state" if jurisdiction.level == JurisdictionLevel.STATE else "jurisdiction"
            q &= Q(Exists(CasePlace.bare.filter(case_id=OuterRef("case_id"), **{field: jurisdiction})))
    if query.born_from is not None or query.born_to is not None:
        dated = Q(person__birth_date__isnull=False)
        # Born in year Y - A or Y - A - 1 for an age A estimated in year Y (the record's date if none was given).
        latest = (Coalesce(ExtractYear("person__age_estimated_on"), ExtractYear("person__created_at"))
                  - F("person__estimated_age"))
        estimated = Q(person__birth_date__isnull=True, person__estimated_age__isnull=False)
        if query.born_from is not None:
            dated &= Q(person__birth_date__year__gte=query.born_from)
            estimated &= Q(GreaterThanOrEqual(latest, query.born_from))
        if query.born_to is not None:
            dated &= Q(person__birth_date__year__lte=query.born_to)
            estimated &= Q(LessThanOrEqual(latest - 1, query.born_to))
        q &= dated | estimated
    return q if query.filtered else None


@dataclass(frozen=True, kw_only=True)
class PersonHit:
    """One person found: their names (by position) and phones, decrypted, the score (0-100) of their best name,
    and the parties (with cases) in which the actor may see them (those that pass the search's filters)."""

    person: Person
    score: int
    names: list[PersonName] = field(default_factory=list)
    phones: list[PersonPhone] = field(default_factory=list)
    parties: list[CaseParty] = field(default_factory=list)


def _forms(text: str) -> tuple[str, str]:
    """The text normalised, and its words' sound keys (comparable across spellings and scripts)."""
    normal = blind.normalise_text(text)
    sounds = " ".join(key for word in normal.split(" ") if (key := blind.sound_key(word)))
    return normal, sounds


def name_score(query: tuple[str, str], name: str) -> float:
    """How well a name matches the query, 0-100: the same words in any order (or some of them) score 100, the
    same sounds in another spelling or script up to 90."""
    normal, sounds = _forms(name)
    text = fuzz.token_set_ratio(query[0], normal)
    sound = SOUND_WEIGHT * fuzz.token_set_ratio(query[1], sounds) if query[1] and sounds else 0.0
    return max(text, sound)


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def search_persons(*, actor: Actor, query: PersonQuery) -> tuple[list[PersonHit], int]:
    """The people the actor may see whose names best match `query`, best first, and how many candidates were
    scored. Reads only: callers audit (do_search_persons)."""
    # Stage one, in the database: the POOL people ranking best network-wide (more of the name's words shared,
    # then rarer tokens: icmc.vault.search), and in that order the first `block` of them with a party the actor
    # may see that passes the filters. Stage two: only those are decrypted and scored.
    parties = visible_parties_joined(actor=actor)
    narrow = filters_q(query=query)
    if narrow is not None:
        parties = parties.filter(narrow)
    block = max(MIN_BLOCK, BLOCK_PER_RESULT * query.limit)
    ids = [_uuid(pid) for pid in ranked_ids(query.name, among=parties, limit=block, pool=POOL)]
    if not ids:
        return [], 0
    # Score on the names (one query, decrypted as read); the people, phones and cases only for the top.
    # Equal scores keep the candidates' order (more words shared, rarer tokens).
    order = {pid: i for i, pid in enumerate(ids)}
    wanted = _forms(query.name)
    best: dict[uuid.UUID, float] = {}
    names: dict[uuid.UUID, list[PersonName]] = {}
    for row in (PersonName.objects.filter(person_id__in=ids).order_by("person_id", "position")
                .only("person_id", "value_sealed", "script", "is_alias", "position")):
        names.setdefault(row.person_id, []).append(row)
        best[row.person_id] = max(best.get(row.person_id, 0.0), name_score(wanted, row.value))
    ranked = sorted(((round(score), pid) for pid, score in best.items() if score >= MIN_SCORE),
                    key=lambda pair: (-pair[0], order[pair[1]]))[:query.limit]
    shown = [pid for _score, pid in ranked]
    people = Person.objects.in_bulk(shown)
    phones: dict[uuid.UUID, list[PersonPhone]] = {}
    for phone in PersonPhone.objects.filter(person_id__in=shown).order_by("created_at"):
        phones.setdefault(phone.person_id, []).append(phone)
    by_person: dict[uuid.UUID, list[CaseParty]] = {}
    for party in (parties.filter(person_id__in=shown).select_related("case")
                  .only("person_id", "role", "case__reference", "case__reported_at")
                  .order_by("-case__reported_at", "role")):
        by_person.setdefault(party.person_id, []).append(party)
    return [PersonHit(person=people[pid], score=score, names=names[pid], phones=phones.get(pid, []),
                      parties=by_person.get(pid, [])) for score, pid in ranked if pid in people], len(ids)
