"""The one write path for cases: reporting, people, notes. Each action checks permission, writes, records
one audit event and appends to the change feed, all in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput, NotFound, PermissionDenied
from icmc.access.policy import Perm
from icmc.access.queries import access_case, access_person, require_perm
from icmc.accounts.models import Organisation
from icmc.accounts.reference import Role
from icmc.audit.record import record_event
from icmc.cases.codes import PartyRole
from icmc.cases.inputs import AddPartyInput, PersonInput, ReportCaseInput
from icmc.cases.models import (
    Case,
    CaseParty,
    CasePlace,
    CaseReferenceCounter,
    ExploitationTypeRef,
    Note,
    Person,
    PersonName,
    PersonPhone,
)
from icmc.cases.search import FILTER_FIELDS, PersonHit, PersonQuery, search_persons
from icmc.deadlines.hooks import on_case_reported
from icmc.lib.models import SyncedModel
from icmc.lib.scripts import detect_script
from icmc.matching.detect import find_candidates, new_parties
from icmc.prosecution.models import FIR
from icmc.referrals.proposals import propose_report_referrals
from icmc.sync.feed import record_changes
from icmc.vault.identity import new_case_key, new_person_key
from icmc.vault.models import PersonKey, SearchToken

M = TypeVar("M", bound=SyncedModel)


def _stamp(obj: M) -> M:
    now = timezone.now()
    obj.created_at = now
    obj.updated_at = now
    return obj


def _next_reference(*, organisation: Organisation) -> str:
    if not organisation.reference_prefix:
        raise PermissionDenied(
            "Your organisation has no case reference prefix; an administrator must set one before it can "
            "register cases."
        )
    year = timezone.now().astimezone(ZoneInfo(organisation.time_zone)).year
    # The counter row locked for this transaction (concurrent reports of the organisation wait here), raised in
    # Python and written back: two queries; the row is made first on the organisation's first report of the year.
    counters = CaseReferenceCounter.objects.select_for_update()
    counter = counters.filter(organisation=organisation, year=year).first()
    if counter is None:
        CaseReferenceCounter.objects.get_or_create(organisation=organisation, year=year)
        counter = counters.get(organisation=organisation, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    # On a field node the reference is provisional ("F"): the upstream gives the real one when it replays the
    # report, and the pulled case takes it (docs/sync.md, "Field node").
    mark = "F" if settings.ICMC_NODE_MODE == "field" else ""
    return f"{organisation.reference_prefix}-{year}-{mark}{counter.last_number:05d}"


@dataclass(kw_only=True)
class _NewPeople:
    """People (with their keys, names, phones, search tokens and parties) built in memory, in the order they
    would have been saved one by one (ids are drawn in creation order: deterministic on a field node), and
    written with one INSERT per table (save)."""

    persons: list[Person] = field(default_factory=list)
    keys: list[PersonKey] = field(default_factory=list)
    names: list[PersonName] = field(default_factory=list)
    phones: list[PersonPhone] = field(default_factory=list)
    tokens: list[SearchToken] = field(default_factory=list)
    parties: list[CaseParty] = field(default_factory=list)

    def person(self, *, data: PersonInput, organisation: Organisation) -> tuple[Person, list[SyncedModel]]:
        """A person with their names and phone; returns the person and every synced row, in creation order."""
        person = _stamp(Person(
            gender=data.gender, birth_date=data.birth_date, estimated_age=data.estimated_age,
            age_estimated_on=timezone.localdate() if data.estimated_age is not None else None,
            citizenship=list(data.citizenship), languages=list(data.languages), registered_by=organisation,
        ))
        self.persons.append(person)
        # Names and phone are sealed under the person's own data key (icmc.vault).
        key, sealer = new_person_key(person_id=person.id)
        self.keys.append(key)
        rows: list[SyncedModel] = [person]
        names = [value for value in (data.name, data.alias) if value]
        for position, (value, is_alias) in enumerate([(data.name, False), (data.alias, True)]):
            if value:
                name = _stamp(PersonName(person=person, script=detect_script(text=value), is_alias=is_alias,
                                         position=position))
                sealer.name(name, value)
                self.names.append(name)
                rows.append(name)
        if data.phone:
            phone = _stamp(PersonPhone(person=person))
            sealer.phone(phone, data.phone)
            self.phones.append(phone)
            rows.append(phone)
        self.tokens += sealer.tokens(names)
        return person, rows

    def party(self, *, case: Case, person: Person, role: str) -> CaseParty:
        party = _stamp(CaseParty(case=case, person=person, role=role))
        self.parties.append(party)
        return party

    def save(self) -> None:
        # In the order of the foreign keys; bulk_create of an empty list runs no query.
        Person.objects.bulk_create(self.persons)
        PersonKey.objects.bulk_create(self.keys)
        PersonName.objects.bulk_create(self.names)
        PersonPhone.objects.bulk_create(self.phones)
        SearchToken.objects.bulk_create(self.tokens)
        CaseParty.objects.bulk_create(self.parties)


@transaction.atomic
def do_report_case(data: ReportCaseInput, *, actor: Actor) -> Case:
    """Register a reported case, with its people, places and (if known) FIR, owned by the actor's
    organisation."""
    require_perm(actor=actor, perm=Perm.CASE_REPORT)
    assert actor.membership is not None
    organisation = actor.membership.organisation
    case = _stamp(Case(
        reference=_next_reference(organisation=organisation),
        owner=organisation,
        case_manager=actor.user if actor.role == Role.CASE_MANAGER else None,
        reported_at=data.reported_at,
        reporter_type=data.reporter_type,
        summary=data.summary,
        source_ahtu=data.source_ahtu,
        destination_ahtu=data.destination_ahtu,
    ))
    case.save()
    _add_exploitation_types(case=case, codes=data.exploitation_types)
    written: list[SyncedModel] = [case]
    # Place details (whereabouts) are sealed under the case's own data key (icmc.vault).
    case_sealer = None
    if any(place.detail for place in data.places):
        case_key, case_sealer = new_case_key(case_id=case.id)
        case_key.save(force_insert=True)
    places = []
    for position, place in enumerate(data.places):
        row = _stamp(CasePlace(case=case, kind=place.kind, jurisdiction=place.jurisdiction, position=position))
        if case_sealer is not None:
            case_sealer.place(row, place.detail)
        places.append(row)
    CasePlace.objects.bulk_create(places)
    written.extend(places)
    people = [(PartyRole.SURVIVOR, p) for p in data.survivors] + [(PartyRole.SUSPECT, p) for p in data.suspects]
    if data.reporter is not None:
        people.append((PartyRole.REPORTER, data.reporter))
    new = _NewPeople()
    for role, person_input in people:
        person, rows = new.person(data=person_input, organisation=organisation)
        written.extend(rows)
        written.append(new.party(case=case, person=person, role=role))
    new.save()
    # Survivors and suspects whose name matches one of another case: flagged, never merged (icmc/matching).
    candidates = find_candidates(case=case, parties=new_parties(parties=new.parties, names=new.names,
                                                                   phones=new.phones))
    fir = None
    if not data.fir.is_blank:
        fir = _stamp(FIR(case=case, police_station=data.fir.police_station,
                         police_station_name=data.fir.police_station_name, number=data.fir.number,
                         registered_on=data.fir.registered_on))
        fir.save()
        written.append(fir)
    # Referrals to the case's AHTUs and partners, proposed for the case manager to send (icmc/referrals).
    proposed = propose_report_referrals(case=case, actor=actor, places=places)
    written.extend(proposed)
    # The deadline tasks the report opens (icmc/deadlines), on the change feed with the report's other rows.
    written.extend(on_case_reported(case=case, fir=fir))
    record_event(
        actor=actor, action="case.reported", object_type="case", object_id=case.id, case_id=case.id,
        changed_fields=["reference", "reported_at", "reporter_type", "summary", "exploitation_types", "places",
                        "source_ahtu", "destination_ahtu", "parties"] + (["fir"] if not data.fir.is_blank else []),
        details={"survivors": len(data.survivors), "suspects": len(data.suspects),
                 "reporter_named": data.reporter is not None, "fir": not data.fir.is_blank,
                 "referrals_proposed": sum(1 for row in proposed if row._meta.model_name == "referral"),
                 **({"duplicate_candidates": len(candidates)} if candidates else {})},
    )
    record_changes(*written, case_id=case.id, inserted=True)
    return case


def _add_exploitation_types(*, case: Case, codes: tuple[str, ...]) -> None:
    """The case's types of exploitation (a new case has none): one query for the reference rows (made if
    missing, as get_or_create did) and one INSERT of the links."""
    codes = tuple(dict.fromkeys(codes))
    known = set(ExploitationTypeRef.objects.filter(code__in=codes).values_list("code", flat=True))
    if missing := [code for code in codes if code not in known]:
        ExploitationTypeRef.objects.bulk_create([ExploitationTypeRef(code=code) for code in missing],
                                                ignore_conflicts=True)
    through = Case.exploitation_types.through
    through.objects.bulk_create([through(case_id=case.id, exploitationtyperef_id=code) for code in codes])


@transaction.atomic
def do_add_note(case: Case, *, actor: Actor, body: str) -> Note:
    """Append a note to a case. Notes are never edited or deleted."""
    case = access_case(actor=actor, case_id=case.id, perm=Perm.CASE_ADD_NOTE)
    assert actor.membership is not None
    note = _stamp(Note(case=case, author=actor.user, organisation=actor.membership.organisation, body=body))
    note.save()
    record_event(actor=actor, action="note.added", object_type="note", object_id=note.id, case_id=case.id,
                 changed_fields=["body"])
    record_changes(note, case_id=case.id)
    return note


@transaction.atomic
def do_add_party(case: Case, *, actor: Actor, data: AddPartyInput) -> CaseParty:
    """Add a person to a case in a role: a new person, or one the actor already sees in another case."""
    case = access_case(actor=actor, case_id=case.id, perm=Perm.CASE_ADD_PERSON)
    assert actor.membership is not None
    written: list[SyncedModel] = []
    new = _NewPeople()
    if data.existing_person_id is not None:
        person = access_person(actor=actor, person_id=data.existing_person_id)
        if CaseParty.objects.filter(case=case, person=person, role=data.role).exists():
            raise InvalidInput({"role": ["This person already has this role in the case."]})
    elif data.person is not None:
        person, rows = new.person(data=data.person, organisation=actor.membership.organisation)
        written.extend(rows)
    else:
        raise NotFound
    party = new.party(case=case, person=person, role=data.role)
    new.save()
    written.append(party)
    candidates = find_candidates(case=case, parties=new_parties(parties=new.parties, names=new.names,
                                                                   phones=new.phones))
    record_event(actor=actor, action="party.added", object_type="case_party", object_id=party.id,
                 case_id=case.id, changed_fields=["person", "role"],
                 details={"role": data.role, "new_person": data.existing_person_id is None,
                          **({"duplicate_candidates": len(candidates)} if candidates else {})})
    record_changes(*written, case_id=case.id)
    return party


@transaction.atomic
def do_search_persons(query: PersonQuery, *, actor: Actor) -> list[PersonHit]:
    """Find people by name among those the actor may see (icmc/cases/search.py). A read of identities, so it is
    audited: `person.searched` with the number of candidates and the ids of the people shown, never the name
    searched for."""
    require_perm(actor=actor, perm=Perm.PERSON_VIEW_IDENTITY)
    hits, candidates = search_persons(actor=actor, query=query)
    record_event(actor=actor, action="person.searched", object_type="person", object_id=None,
                 details={"candidates": candidates, "results": len(hits), "limit": query.limit,
                          "filters": [name for name in FILTER_FIELDS if getattr(query, name)],
                          "persons": [str(hit.person.pk) for hit in hits]})
    return hits
