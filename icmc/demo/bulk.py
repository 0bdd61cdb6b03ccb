"""Writer (b): synthetic cases in bulk, for benchmarks and load tests (100,000 cases in minutes).

It writes the same rows, with the same fields, as do_report_case and do_add_note would for the same spec
(checked by tests/demo): the case with version 1 and a reference continuing its organisation's counter, its
places, people, names, phones, parties, FIR, exploitation types and notes, one `case.reported` audit event
per case and one `note.added` per note (via "cli", as the owning centre's case manager) linked into the
audit hash chain, and the change-feed rows. It skips what makes the actions slow one by one (a permission
check and a transaction per case), not what they record. Rows are timed as if registered shortly after the
report (a backfill of past cases), never later than `now`. Batches of `batch_size` cases are written in one
transaction each.
"""

from __future__ import annotations

import datetime
import itertools
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models, transaction
from django.utils import timezone
from tqdm import tqdm

from icmc.accounts.models import Jurisdiction, Organisation
from icmc.audit.chain import HASHED_FIELDS, link_hash, lock_head
from icmc.audit.models import AuditEvent
from icmc.cases.codes import PartyRole
from icmc.cases.models import (
    Case,
    CaseParty,
    CasePlace,
    CaseReferenceCounter,
    Note,
    Person,
    PersonName,
    PersonPhone,
)
from icmc.deadlines.hooks import on_cases_reported
from icmc.demo.directory import Centre, Directory
from icmc.demo.specs import ZONE, CaseSpec, PersonSpec
from icmc.lib.scripts import detect_script
from icmc.prosecution.models import FIR
from icmc.referrals.codes import ReferralState
from icmc.referrals.models import Referral, ReferralTransition
from icmc.referrals.proposals import partners_in, targets_for
from icmc.sync.models import Change
from icmc.vault.blind import index_key
from icmc.vault.identity import new_case_key, new_person_key
from icmc.vault.models import CaseKey, PersonKey, SearchToken

# What do_report_case records as changed (keep in step with icmc.cases.actions; tests compare the two).
CASE_REPORTED_FIELDS = ("reference", "reported_at", "reporter_type", "summary", "exploitation_types", "places",
                        "source_ahtu", "destination_ahtu", "parties")
CaseType = Case.exploitation_types.through


@dataclass
class BulkResult:
    cases: int = 0
    persons: int = 0
    notes: int = 0
    seconds: float = 0.0


@dataclass
class _Rows:
    cases: list[Case] = field(default_factory=list)
    types: list[models.Model] = field(default_factory=list)
    places: list[CasePlace] = field(default_factory=list)
    case_keys: list[CaseKey] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    keys: list[PersonKey] = field(default_factory=list)
    names: list[PersonName] = field(default_factory=list)
    phones: list[PersonPhone] = field(default_factory=list)
    tokens: list[SearchToken] = field(default_factory=list)
    parties: list[CaseParty] = field(default_factory=list)
    firs: list[FIR] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    transitions: list[ReferralTransition] = field(default_factory=list)
    events: list[AuditEvent] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    reported: list[tuple[Case, FIR | None]] = field(default_factory=list)  # for the deadline engine

    def save(self) -> None:
        _chain(self.events)
        batches: list[tuple[type[models.Model], list[Any]]] = [
            (Case, self.cases), (CaseType, self.types), (CaseKey, self.case_keys), (CasePlace, self.places),
            (Person, self.persons), (PersonKey, self.keys), (PersonName, self.names), (PersonPhone, self.phones),
            (CaseParty, self.parties), (FIR, self.firs),
            (Note, self.notes), (Referral, self.referrals), (ReferralTransition, self.transitions),
            (AuditEvent, self.events), (Change, self.changes),
        ]
        for model, objs in batches:  # parents before children
            model._default_manager.bulk_create(objs, batch_size=2000)
        # Narrow rows, several per person: fewer, bigger inserts (well under PostgreSQL's 65,535 parameters).
        SearchToken.objects.bulk_create(self.tokens, batch_size=10000)


def _chain(events: list[AuditEvent]) -> None:
    """Link the events into the audit hash chain after its head, as record_event does one at a time (the head
    stays locked until the batch's transaction ends)."""
    head = lock_head()
    seq, prev_hash = head.last_seq, head.last_hash
    for event in events:
        seq += 1
        event.seq = seq
        event.prev_hash = prev_hash
        event.hash = prev_hash = link_hash(prev_hash=prev_hash, values={f: getattr(event, f) for f in HASHED_FIELDS})
    head.last_seq, head.last_hash = seq, prev_hash
    head.save(update_fields=["last_seq", "last_hash"])


def _chunks(specs: Iterable[CaseSpec], size: int) -> Iterator[list[CaseSpec]]:
    iterator = iter(specs)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _year(at: datetime.datetime, centre: Centre) -> int:
    return at.astimezone(ZoneInfo(centre.organisation.time_zone)).year


def _allocate_references(keys: list[tuple[Centre, int]]) -> list[str]:
    """The next references of each (organisation, year) counter, in the order of `keys`, locking the counters
    as do_report_case does."""
    wanted = Counter((centre.organisation.id, year) for centre, year in keys)
    next_number: dict[tuple[uuid.UUID, int], int] = {}
    for org_id, year in sorted(wanted, key=str):
        CaseReferenceCounter.objects.get_or_create(organisation_id=org_id, year=year)
        counter = CaseReferenceCounter.objects.select_for_update().get(organisation_id=org_id, year=year)
        next_number[(org_id, year)] = counter.last_number + 1
        counter.last_number += wanted[(org_id, year)]
        counter.save(update_fields=["last_number"])
    references = []
    for centre, year in keys:
        key = (centre.organisation.id, year)
        references.append(f"{centre.organisation.reference_prefix}-{year}-{next_number[key]:05d}")
        next_number[key] += 1
    return references


class _Builder:
    def __init__(self, *, rows: _Rows, directory: Directory, now: datetime.datetime) -> None:
        self.rows = rows
        self.directory = directory
        self.now = now
        self._states: dict[str, str | None] = {}
        self._partners: dict[frozenset[str], list[Organisation]] = {}
        self._index_key = index_key()  # blind index key, once per batch

    def _state_of(self, code: str | None) -> str | None:
        if code is None:
            return None
        if code not in self._states:
            self._states[code] = Jurisdiction.objects.filter(code=code).values_list("state_id", flat=True).first()
        return self._states[code]

    def _partners_of(self, states: set[str]) -> list[Organisation]:
        key = frozenset(states)
        if key not in self._partners:
            self._partners[key] = partners_in(state_ids=states)
        return self._partners[key]

    def _propose(self, *, case: Case, centre: Centre, at: datetime.datetime, places: list[CasePlace],
                 ahtus: tuple[Organisation | None, Organisation | None]) -> list[models.Model]:
        """The referrals do_report_case proposes (icmc.referrals.proposals), from cached look-ups."""
        written: list[models.Model] = []
        targets = targets_for(owner_id=case.owner_id, ahtus=ahtus,
                              place_states=[(p.kind, self._state_of(p.jurisdiction_id)) for p in places],
                              partners=self._partners_of)
        m = centre.membership
        for org, purpose in targets:
            referral = Referral(id=uuid.uuid4(), created_at=at, updated_at=at, case_id=case.id,
                                from_organisation_id=case.owner_id, to_organisation_id=org.id, purpose=purpose,
                                state=ReferralState.PROPOSED, automatic=True)
            step = ReferralTransition(id=uuid.uuid4(), created_at=at, updated_at=at, referral_id=referral.id,
                                      from_state="", to_state=ReferralState.PROPOSED, actor_id=m.user_id,
                                      membership_id=m.id, organisation_id=m.organisation_id, message="")
            self.rows.referrals.append(referral)
            self.rows.transitions.append(step)
            written.extend([referral, step])
        return written

    def _change(self, obj: models.Model, *, at: datetime.datetime, case_id: uuid.UUID) -> None:
        label = f"{obj._meta.app_label}.{obj._meta.model_name}"
        self.rows.changes.append(Change(at=at, op="put", object_type=label, object_id=obj.pk, version=1,
                                        case_id=case_id))

    def _event(self, centre: Centre, *, at: datetime.datetime, action: str, object_type: str,
               object_id: uuid.UUID, case_id: uuid.UUID, changed: Iterable[str], details: dict[str, Any]) -> None:
        m = centre.membership
        self.rows.events.append(AuditEvent(
            # In UTC, as it is read back from the database, so that its hash verifies.
            at=at.astimezone(datetime.UTC),
            actor_id=m.user_id, membership_id=m.id, organisation_id=m.organisation_id, role=m.role,
            action=action, object_type=object_type, object_id=str(object_id), case_id=case_id,
            changed_fields=sorted(set(changed)), details=details, request_id="", via="cli", ip=None,
        ))

    def _person(self, spec: PersonSpec, *, case: Case, role: str, at: datetime.datetime) -> list[models.Model]:
        rows = self.rows
        person = Person(id=uuid.uuid4(), created_at=at, updated_at=at, gender=spec.gender,
                        birth_date=spec.birth_date, estimated_age=spec.estimated_age,
                        age_estimated_on=case.reported_at.astimezone(ZONE).date()
                        if spec.estimated_age is not None else None,
                        citizenship=list(spec.citizenship), languages=list(spec.languages),
                        registered_by_id=case.owner_id)
        rows.persons.append(person)
        # Sealed as _create_person does: one data key per person (icmc.vault), wrapped once.
        key, sealer = new_person_key(person_id=person.id, index_key=self._index_key, now=at)
        rows.keys.append(key)
        written: list[models.Model] = [person]
        for position, (value, is_alias) in enumerate([(spec.name, False), (spec.alias, True)]):
            if value:
                name = PersonName(id=uuid.uuid4(), created_at=at, updated_at=at, person_id=person.id,
                                  script=detect_script(text=value), is_alias=is_alias, position=position)
                sealer.name(name, value)
                rows.names.append(name)
                written.append(name)
        rows.tokens.extend(sealer.tokens(v for v in (spec.name, spec.alias) if v))
        if spec.phone:
            phone = PersonPhone(id=uuid.uuid4(), created_at=at, updated_at=at, person_id=person.id)
            sealer.phone(phone, spec.phone)
            rows.phones.append(phone)
            written.append(phone)
        party = CaseParty(id=uuid.uuid4(), created_at=at, updated_at=at, case_id=case.id, person_id=person.id,
                          role=role)
        rows.parties.append(party)
        written.append(party)
        return written

    def case(self, spec: CaseSpec, *, centre: Centre, reference: str, at: datetime.datetime) -> None:
        rows, directory = self.rows, self.directory
        source_ahtu, destination_ahtu = directory.source_ahtu(spec), directory.destination_ahtu(spec)
        # Related objects, not ids: the deadline engine reads them (icmc.deadlines.hooks.on_cases_reported).
        case = Case(id=uuid.uuid4(), created_at=at, updated_at=at, reference=reference,
                    owner=centre.organisation, case_manager=centre.membership.user,
                    reported_at=spec.reported_at, reporter_type=spec.reporter_type, summary=spec.summary,
                    source_ahtu=source_ahtu, destination_ahtu=destination_ahtu)
        rows.cases.append(case)
        rows.types.extend(CaseType(case_id=case.id, exploitationtyperef_id=code) for code in spec.exploitation_types)
        written: list[models.Model] = [case]
        places = []
        # Sealed as do_report_case does: one data key per case with a place detail (icmc.vault).
        case_sealer = None
        if any(place.detail for place in spec.places):
            case_key, case_sealer = new_case_key(case_id=case.id, now=at)
            rows.case_keys.append(case_key)
        for position, place in enumerate(spec.places):
            row = CasePlace(id=uuid.uuid4(), created_at=at, updated_at=at, case_id=case.id, kind=place.kind,
                            jurisdiction_id=place.code, position=position)
            if case_sealer is not None:
                case_sealer.place(row, place.detail)
            places.append(row)
        rows.places.extend(places)
        written.extend(places)
        people = [(PartyRole.SURVIVOR, p) for p in spec.survivors] + [(PartyRole.SUSPECT, p) for p in spec.suspects]
        if spec.reporter is not None:
            people.append((PartyRole.REPORTER, spec.reporter))
        for role, person in people:
            written.extend(self._person(person, case=case, role=role, at=at))
        fir = None
        if spec.fir is not None:
            station = directory.police_station(spec.fir.district)
            fir = FIR(id=uuid.uuid4(), created_at=at, updated_at=at, case_id=case.id, police_station=station,
                      police_station_name="" if station else spec.fir.station_name, number=spec.fir.number,
                      registered_on=spec.fir.registered_on)
            rows.firs.append(fir)
            written.append(fir)
        rows.reported.append((case, fir))
        proposed = self._propose(case=case, centre=centre, at=at, places=places, ahtus=(source_ahtu, destination_ahtu))
        written.extend(proposed)
        self._event(centre, at=at, action="case.reported", object_type="case", object_id=case.id, case_id=case.id,
                    changed=CASE_REPORTED_FIELDS + (("fir",) if spec.fir else ()),
                    details={"survivors": len(spec.survivors), "suspects": len(spec.suspects),
                             "reporter_named": spec.reporter is not None, "fir": spec.fir is not None,
                             "referrals_proposed": len(proposed) // 2})
        for obj in written:
            self._change(obj, at=at, case_id=case.id)
        for note_spec in spec.notes:
            note_at = min(max(at, spec.reported_at + datetime.timedelta(days=note_spec.days_after, hours=3)),
                          self.now)
            note = Note(id=uuid.uuid4(), created_at=note_at, updated_at=note_at, case_id=case.id,
                        author_id=centre.membership.user_id, organisation_id=centre.organisation.id,
                        body=note_spec.body)
            rows.notes.append(note)
            self._event(centre, at=note_at, action="note.added", object_type="note", object_id=note.id,
                        case_id=case.id, changed=("body",), details={})
            self._change(note, at=note_at, case_id=case.id)


def _write_batch(specs: list[CaseSpec], *, directory: Directory, now: datetime.datetime) -> _Rows:
    centres = [directory.centre(spec) for spec in specs]
    # Registered shortly after the report (a backfill), never in the future.
    times = [min(spec.reported_at + datetime.timedelta(minutes=20 + spec.index % 97), now) for spec in specs]
    references = _allocate_references([(c, _year(at, c)) for c, at in zip(centres, times, strict=True)])
    rows = _Rows()
    builder = _Builder(rows=rows, directory=directory, now=now)
    for spec, centre, reference, at in zip(specs, centres, references, times, strict=True):
        builder.case(spec, centre=centre, reference=reference, at=at)
    rows.save()
    # The deadline tasks the report opens, through the deadlines engine itself (one rule set, no copy here).
    on_cases_reported(rows.reported)
    return rows


def write_bulk(specs: Iterable[CaseSpec], *, directory: Directory | None = None, batch_size: int = 2000,
               total: int | None = None, progress: bool = False,
               now: datetime.datetime | None = None) -> BulkResult:
    """Write `specs` in batches; `total` sizes the progress bar (shown on stderr when `progress`)."""
    started = time.perf_counter()
    directory = directory or Directory.load()
    now = now or timezone.now()
    result = BulkResult()
    with tqdm(total=total, unit="case", disable=not progress, dynamic_ncols=True) as bar:
        for batch in _chunks(specs, max(1, batch_size)):
            with transaction.atomic():
                rows = _write_batch(batch, directory=directory, now=now)
            result.cases += len(rows.cases)
            result.persons += len(rows.persons)
            result.notes += len(rows.notes)
            bar.update(len(batch))
    result.seconds = time.perf_counter() - started
    return result
