"""Finding duplicate candidates when persons are added to a case (called by icmc.cases.actions.do_report_case and
do_add_party, inside their transaction; docs/decisions/0008-duplicate-candidates.md).

What matches: a new survivor (suspect) and a survivor (suspect) of ANOTHER case share a whole name or alias,
compared by the vault's blind index (`PersonName.value_index`: keyed, normalised for case, width and spacing),
or a phone number (`PersonPhone.number_index`, the same keyed index of the E.164 number), never by plaintext and
without decrypting anything. A name match is ruled out when both birth years are known (birth date, or estimated
age and the day it was estimated) and differ by more than two; a phone match is not (a number is what a
trafficker keeps across cases, whatever age is guessed for him). The basis lists what matched ("name", "phone",
and "age" when both birth years are known and agree). One query for names and one for phones, each bounded by
MATCH_LIMIT.

The bulk generator (icmc/demo/bulk.py) writes rows without the actions and does not look for candidates; nor
does a field node (the centre finds them when it replays the node's intake, where it holds every case).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from icmc.accounts.models import Organisation
from icmc.cases.codes import PartyRole
from icmc.cases.models import Case, CaseParty, Person, PersonName, PersonPhone
from icmc.deadlines.models import Notification
from icmc.deadlines.notify import notification, notify_all
from icmc.matching.models import DuplicateCandidate, MatchBasis

MATCH_LIMIT = 50  # matching (person, case) rows read per action: a very common name flags the first 50 only
AGE_TOLERANCE = 2  # years
ROLES = (PartyRole.SURVIVOR, PartyRole.SUSPECT)


@dataclass(frozen=True, kw_only=True)
class NewParty:
    """A person just put in the case in a role, with the blind indexes of their names."""

    person: Person
    role: str
    name_indexes: frozenset[str]
    phone_indexes: frozenset[str] = frozenset()


def new_parties(*, parties: Iterable[CaseParty], names: Iterable[PersonName],
                phones: Iterable[PersonPhone] = ()) -> list[NewParty]:
    by_person: dict[uuid.UUID, set[str]] = {}
    for name in names:
        if name.value_index:
            by_person.setdefault(name.person_id, set()).add(name.value_index)
    phones_of: dict[uuid.UUID, set[str]] = {}
    for phone in phones:
        if phone.number_index:
            phones_of.setdefault(phone.person_id, set()).add(phone.number_index)
    return [NewParty(person=party.person, role=party.role,
                     name_indexes=frozenset(by_person.get(party.person_id, ())),
                     phone_indexes=frozenset(phones_of.get(party.person_id, ())))
            for party in parties
            if party.role in ROLES and (party.person_id in by_person or party.person_id in phones_of)]


def birth_year(*, birth_date: datetime.date | None, estimated_age: int | None,
               age_estimated_on: datetime.date | None) -> int | None:
    if birth_date is not None:
        return birth_date.year
    if estimated_age is not None:
        return (age_estimated_on or timezone.localdate()).year - estimated_age
    return None


def find_candidates(*, case: Case, parties: list[NewParty]) -> list[DuplicateCandidate]:
    """Record the duplicate candidates of the new parties of `case` (each unordered pair once, ever) and notify
    both cases' owners. Returns the candidates made."""
    if settings.ICMC_NODE_MODE == "field" or not parties:
        return []
    new_ids = {party.person.id for party in parties}
    roles = sorted({p.role for p in parties})
    names = _matching_rows(case=case, new_ids=new_ids, roles=roles, lookup="person__names__value_index",
                           indexes={index for party in parties for index in party.name_indexes})
    phones = _matching_rows(case=case, new_ids=new_ids, roles=roles, lookup="person__phones__number_index",
                            indexes={index for party in parties for index in party.phone_indexes})
    if not names and not phones:
        return []
    now = timezone.now()
    matched: dict[tuple[uuid.UUID, uuid.UUID], tuple[NewParty, dict[str, Any], set[MatchBasis]]] = {}
    for party in parties:
        for basis, rows, own in ((MatchBasis.NAME, names, party.name_indexes),
                                 (MatchBasis.PHONE, phones, party.phone_indexes)):
            for row in rows:
                if row["role"] == party.role and row["index"] in own:
                    pair = _pair(party.person.id, row["person_id"])
                    matched.setdefault(pair, (party, row, set()))[2].add(basis)
    found: dict[tuple[uuid.UUID, uuid.UUID], DuplicateCandidate] = {}
    for pair, (party, row, bases) in matched.items():
        year = birth_year(birth_date=party.person.birth_date, estimated_age=party.person.estimated_age,
                          age_estimated_on=party.person.age_estimated_on)
        other = birth_year(birth_date=row["person__birth_date"], estimated_age=row["person__estimated_age"],
                           age_estimated_on=row["person__age_estimated_on"])
        gap = abs(year - other) if year is not None and other is not None else None
        if gap is not None and gap > AGE_TOLERANCE:
            if MatchBasis.PHONE not in bases:
                continue  # a namesake of another age
        elif gap is not None:
            bases.add(MatchBasis.AGE)
        found[pair] = _candidate(mine=(party.person.id, case.id), other=(row["person_id"], row["case_id"]),
                                 role=party.role, basis=[str(b) for b in MatchBasis if b in bases], now=now)
    known = set(DuplicateCandidate.objects.filter(
        person_a_id__in=[a for a, _b in found], person_b_id__in=[b for _a, b in found])
        .values_list("person_a_id", "person_b_id"))
    made = [candidate for pair, candidate in found.items() if pair not in known]
    # A concurrent intake may have flagged the same pair meanwhile: the pair's unique constraint keeps one.
    DuplicateCandidate.objects.bulk_create(made, ignore_conflicts=True)
    _notify(case=case, candidates=made)
    return made


def _matching_rows(*, case: Case, new_ids: set[uuid.UUID], roles: list[str], lookup: str,
                   indexes: set[str]) -> list[dict[str, Any]]:
    """The parties (in `roles`) of other cases whose name or phone index (`lookup`) is one of `indexes`."""
    if not indexes:
        return []
    rows: list[dict[str, Any]] = [dict(row) for row in
        CaseParty.objects.filter(role__in=roles, **{f"{lookup}__in": sorted(indexes)})
        .exclude(case_id=case.id).exclude(person_id__in=new_ids)
        .values("person_id", "case_id", "role", "person__birth_date", "person__estimated_age",
                "person__age_estimated_on", index=F(lookup))
        .order_by("person_id", "case_id")[:MATCH_LIMIT]]
    return rows


def _pair(one: uuid.UUID, two: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    return (one, two) if one < two else (two, one)


def _candidate(*, mine: tuple[uuid.UUID, uuid.UUID], other: tuple[uuid.UUID, uuid.UUID], role: str,
               basis: list[str], now: datetime.datetime) -> DuplicateCandidate:
    (person_a, case_a), (person_b, case_b) = sorted([mine, other], key=lambda pair: pair[0])
    return DuplicateCandidate(person_a_id=person_a, person_b_id=person_b, case_a_id=case_a, case_b_id=case_b,
                              role=role, basis=basis, found_at=now)


def _role_label(role: str) -> str:
    return gettext("A survivor") if role == PartyRole.SURVIVOR else gettext("A suspect")


def _notify(*, case: Case, candidates: list[DuplicateCandidate]) -> None:
    """Tell the owners of both cases. The texts carry case references and organisation names, never a name; an
    organisation is given the reference of the other case only when it owns that case too."""
    other_ids = {c.case_b_id if c.case_a_id == case.id else c.case_a_id for c in candidates}
    others = Case.objects.select_related("owner").in_bulk(list(other_ids))
    owner: Organisation = case.owner
    rows = []
    for candidate in candidates:
        other = others[candidate.case_b_id if candidate.case_a_id == case.id else candidate.case_a_id]
        rows.append(_tell(organisation=owner, case=case, other=other, role=candidate.role))
        if other.owner_id != owner.id:
            rows.append(_tell(organisation=other.owner, case=other, other=case, role=candidate.role))
    notify_all(rows)  # one INSERT whatever the number of candidates


def _tell(*, organisation: Organisation, case: Case, other: Case, role: str) -> Notification:
    values: dict[str, Any] = {"who": _role_label(role), "case": case.reference, "other": other.reference,
                              "org": other.owner.name}
    if other.owner_id == organisation.id:
        text = gettext("%(who)s of case %(case)s may be the same person as one in your case %(other)s. "
                       "Review it under Duplicate candidates.") % values
    else:
        text = gettext("%(who)s of case %(case)s may be the same person as one in a case of another "
                       "organisation (%(org)s). Review it under Duplicate candidates.") % values
    return notification(kind="duplicate_candidate", case=case, organisation=organisation, text=text)
