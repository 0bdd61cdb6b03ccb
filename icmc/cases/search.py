"""Person search by name, on sealed names: candidates by the vault's keyed blocking tokens (icmc.vault.search),
limited in bulk to the people the actor may see (icmc.access.queries.visible_parties_of), then decrypted
and ranked in memory with rapidfuzz. Spelling variants and scripts meet in the sound keys (icmc.vault.blind:
"Lakshmi", "Laxmi" and "लक्ष्मी" share one). The audited entry point is cases.actions.do_search_persons.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.access.queries import visible_parties_of
from icmc.cases.models import CaseParty, Person, PersonName, PersonPhone
from icmc.vault import blind
from icmc.vault.search import POOL, candidate_ids

MAX_NAME = 200
DEFAULT_LIMIT = 20
MAX_LIMIT = 50
BLOCK = 200  # candidates decrypted and scored per search
CHUNK = 500  # candidates whose visibility is checked per round of queries (POOL at most)
MIN_SCORE = 60  # 0-100; below this a candidate that merely shares a common word is left out
SOUND_WEIGHT = 0.9  # a match of sound keys only (another spelling or script) ranks below the same spelling


class PersonSearchForm(forms.Form):
    """The search: a name (or part of one, in any script). Sent by POST, never in a URL."""

    name = forms.CharField(max_length=MAX_NAME, min_length=2, strip=True, label=_("Name"),
                           help_text=_("A name, part of a name or an alias, in any script. Spellings vary: "
                                       "“Laxmi” also finds “Lakshmi” and “लक्ष्मी”."))
    limit = forms.IntegerField(min_value=1, max_value=MAX_LIMIT, required=False, label=_("Results"),
                               widget=forms.HiddenInput)


@dataclass(frozen=True, kw_only=True)
class PersonQuery:
    name: str
    limit: int = DEFAULT_LIMIT


def parse_person_search(*, data: Mapping[str, Any]) -> PersonQuery:
    form = PersonSearchForm(data=data)
    if not form.is_valid():
        raise InvalidInput({k: [str(m) for m in v] for k, v in form.errors.items()})
    name = str(form.cleaned_data["name"])
    if not blind.name_tokens(blind.index_key(), name):
        raise InvalidInput({"name": [str(_("Give at least one word of two letters or more."))]})
    return PersonQuery(name=name, limit=form.cleaned_data["limit"] or DEFAULT_LIMIT)


@dataclass(frozen=True, kw_only=True)
class PersonHit:
    """One person found: their names and phones (decrypted), the score (0-100) of their best name, and the
    parties (with cases) in which the actor may see them."""

    person: Person
    score: int
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


def search_persons(*, actor: Actor, query: PersonQuery) -> tuple[list[PersonHit], int]:
    """The people the actor may see whose names best match `query`, best first, and how many candidates were
    scored. Reads only: callers audit (do_search_persons)."""
    # The POOL people sharing most tokens network-wide, then, in bulk and in that order, those of them the actor
    # may see, a chunk at a time until BLOCK are found (the same block as checking the whole pool at once).
    pool = candidate_ids(query.name, limit=POOL)
    ids: list[Any] = []
    seen: list[tuple[Any, Any, Any]] = []
    for start in range(0, len(pool), CHUNK):
        chunk = pool[start:start + CHUNK]
        rows = visible_parties_of(actor=actor, person_ids=chunk)
        seen += rows
        visible = {person_id for _party, person_id, _case in rows}
        ids += [pid for pid in chunk if pid in visible]
        if len(ids) >= BLOCK:
            break
    ids = ids[:BLOCK]
    if not ids:
        return [], 0
    # Score on the names alone (one query, decrypted as read); the people, phones and cases only for the top.
    wanted = _forms(query.name)
    best: dict[Any, float] = {}
    for row in PersonName.objects.filter(person_id__in=ids).only("person_id", "value_sealed"):
        best[row.person_id] = max(best.get(row.person_id, 0.0), name_score(wanted, row.value))
    ranked = sorted(((round(score), pid) for pid, score in best.items() if score >= MIN_SCORE),
                    key=lambda pair: (-pair[0], str(pair[1])))[:query.limit]
    people = Person.objects.filter(pk__in=[pid for _s, pid in ranked]).prefetch_related(
        Prefetch("names", queryset=PersonName.objects.order_by("position")),
        Prefetch("phones", queryset=PersonPhone.objects.order_by("created_at"))).in_bulk()
    top = [(score, people[pid]) for score, pid in ranked if pid in people]
    shown = {p.pk for _s, p in top}
    by_person: dict[uuid.UUID, list[CaseParty]] = {}
    for party in (CaseParty.objects.filter(pk__in=[pk for pk, person_id, _case in seen if person_id in shown])
                  .select_related("case").order_by("-case__reported_at", "role")):
        by_person.setdefault(party.person_id, []).append(party)
    return [PersonHit(person=p, score=s, parties=by_person.get(p.pk, [])) for s, p in top], len(ids)
