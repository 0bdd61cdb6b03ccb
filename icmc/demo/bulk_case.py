"""The bulk writer's rows of one case: what do_report_case and do_add_note write for a report (the case, places,
people with sealed names and phones, parties, FIR, proposed referrals, notes, deadline tasks, audit events), built
as plain rows (icmc.demo.rows). icmc.demo.bulk_story adds a story's rows; icmc.demo.bulk writes them."""


from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Iterable
from typing import Any

from icmc.accounts.models import Membership, Organisation
from icmc.accounts.reference import POLICE_KINDS
from icmc.cases.codes import CaseStage, PartyRole
from icmc.cases.models import (
    Case,
    CaseParty,
    CasePlace,
    Note,
    Person,
    PersonName,
    PersonPhone,
)
from icmc.deadlines.events import due_at, start_of_day
from icmc.deadlines.models import Task, TaskState
from icmc.deadlines.rules import BY_KEY, STATE_OVERRIDES
from icmc.demo.directory import Centre, Directory
from icmc.demo.rows import Batch, Event, Table, new_id
from icmc.demo.specs import CaseSpec, PersonSpec
from icmc.demo.story import Story
from icmc.lib.scripts import detect_script
from icmc.pathway import models as pm
from icmc.prosecution import models as xm
from icmc.prosecution.law import law_regime
from icmc.referrals.codes import ReferralState
from icmc.referrals.models import Referral, ReferralTransition
from icmc.referrals.proposals import targets_for
from icmc.vault import blind
from icmc.vault.blind import index_key
from icmc.vault.crypto import field_aad, label_of, new_data_key, seal, wrap_data_key
from icmc.vault.models import CaseKey, PersonKey, SearchToken

# What do_report_case records as changed (keep in step with icmc.cases.actions; tests compare the two).
CASE_REPORTED_FIELDS = ("reference", "reported_at", "reporter_type", "summary", "exploitation_types", "places",
                        "source_ahtu", "destination_ahtu", "parties")
CaseType = Case.exploitation_types.through
RescuePartner = pm.RescueOperation.partner_organisations.through
_UTC = datetime.UTC
_IST = datetime.timezone(datetime.timedelta(hours=5, minutes=30))
_STAGE_ORDER = (CaseStage.REPORTED, CaseStage.RESCUED, CaseStage.REHABILITATION, CaseStage.REPATRIATION,
                CaseStage.REINTEGRATION, CaseStage.CLOSED)
_DECLINE = ("Outside our area of work.", "No place available at present.", "Referred to the wrong unit.")
_COMPLETE = ("Done: see the pathway records.", "Completed.", "")
_NAME_LABEL = label_of(PersonName, "value")
_PHONE_LABEL = label_of(PersonPhone, "number")
_PLACE_LABEL = label_of(CasePlace, "detail")
_SCHEME = "Victim Compensation Scheme (BNSS 396 / CrPC 357A)"

@functools.cache
def _title(key: str) -> str:
    return str(BY_KEY[key].title)


def _stable(*parts: object) -> float:
    """A number in [0, 1) fixed by `parts` (for choices the story leaves to the writer)."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") / 2**32

@functools.lru_cache(maxsize=32768)
def _name_keys(key: bytes, value: str) -> tuple[str, str, frozenset[tuple[str, str]]]:
    """A name's blind index, script and blocking tokens (icmc.vault.blind), made once per process: names repeat
    (828 distinct words in 5,000 cases) and the sound keys cost a quarter of building a case's rows."""
    return blind.name_index(key, value), detect_script(text=value), frozenset(blind.name_tokens(key, value))


_MEMBERSHIP_IDS: dict[Any, tuple[str, str, str]] = {}


def _ids_of(membership: Membership) -> tuple[str, str, str]:
    """A membership's user, own and organisation ids as text, made once (three per audit event otherwise)."""
    found = _MEMBERSHIP_IDS.get(membership.id)
    if found is None:
        found = _MEMBERSHIP_IDS[membership.id] = (str(membership.user_id), str(membership.id),
                                                  str(membership.organisation_id))
    return found


class CaseWriter:
    """The rows of one case, kept by the batch; events are collected and put in time order at the end."""

    def __init__(self, owner: ReportBuilder, *, spec: CaseSpec, centre: Centre, at: datetime.datetime) -> None:
        self.b, self.spec, self.centre, self.at = owner, spec, centre, at
        self.batch = owner.batch
        self.now = owner.now
        self.id = new_id()
        self.events: list[Event] = []
        self.written: list[tuple[Table, list[Any]]] = []
        self.cm = centre.membership

    # --- helpers -----------------------------------------------------------------------------------------

    def clamp(self, at: datetime.datetime) -> datetime.datetime:
        return min(max(at, self.at), self.now)

    def moment(self, day: datetime.date, hour: int = 11, minute: int = 0) -> datetime.datetime:
        """A time on `day` (India), in UTC, never before the case was registered nor after now."""
        return self.clamp(datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=_IST))

    def row(self, model: type[Any], *, at: datetime.datetime, version: int = 1,
            updated: datetime.datetime | None = None, **values: Any) -> list[Any]:
        table = self.batch.table(model)
        assert table.synced, table.label
        row = table.add(**values)
        # id, version, created_at, updated_at: SyncedModel's fields come first (checked by Table).
        row[0], row[1], row[2], row[3] = new_id(), version, at, updated or at
        self.written.append((table, row))
        return row

    def event(self, membership: Membership, at: datetime.datetime, action: str, object_type: str,
              object_id: Any, changed: Iterable[str] = (), **details: Any) -> None:
        actor_id, membership_id, organisation_id = _ids_of(membership)
        self.events.append(Event(at=at, actor_id=actor_id, membership_id=membership_id,
                                 organisation_id=organisation_id, role=membership.role,
                                 action=action, object_type=object_type, object_id=str(object_id), case_id=self.id,
                                 changed=changed, details=details))

    def finish(self) -> None:
        for table, row in self.written:
            self.batch.change(table, row, case_id=self.id)
        self.events.sort(key=lambda e: e.at)
        self.batch.events.extend(self.events)

class ReportBuilder:
    def __init__(self, *, batch: Batch, directory: Directory, now: datetime.datetime) -> None:
        self.batch = batch
        self.directory = directory
        self.now = now
        self._partners = directory.partners  # kept with the directory: the network does not change meanwhile
        self._index_key = index_key()  # blind index key, once per batch
        self.persons = self.notes = 0
        self.cases: list[tuple[Centre, list[Any]]] = []  # (centre, case row), for the references

    def _partners_of(self, states: set[str]) -> list[Organisation]:
        from icmc.referrals.proposals import partners_in

        key = frozenset(states)
        if key not in self._partners:
            self._partners[key] = partners_in(state_ids=states)
        return self._partners[key]

    # --- the report (what do_report_case writes) ------------------------------------------------------------

    def _person(self, w: CaseWriter, spec: PersonSpec, *, role: str) -> str:
        """A person as _create_person writes one: names and phone sealed under the person's own data key
        (icmc.vault: AES-256-GCM with the person, field and row as associated data; a blind index; blocking
        tokens), the key wrapped by the master key."""
        at = w.at
        batch = self.batch
        person = w.row(Person, at=at, gender=spec.gender, birth_date=spec.birth_date,
                       estimated_age=spec.estimated_age,
                       age_estimated_on=w.spec.reported_at.astimezone(_IST).date()
                       if spec.estimated_age is not None else None,
                       citizenship=list(spec.citizenship), languages=list(spec.languages),
                       registered_by_id=w.centre.organisation.id)
        person_id = person[0]
        self.persons += 1
        data_key = new_data_key()
        master_key_id, wrapped = wrap_data_key(data_key, owner_id=person_id, kind="person")
        batch.table(PersonKey).add(person_id=person_id, wrapped=wrapped, master_key_id=master_key_id, created_at=at)
        key = self._index_key
        pairs: set[tuple[str, str]] = set()
        for position, (value, is_alias) in enumerate([(spec.name, False), (spec.alias, True)]):
            if value:
                row_id = new_id()
                sealed = seal(data_key, aad=field_aad(owner_id=person_id, label=_NAME_LABEL, row_id=row_id),
                              plaintext=value)
                index, script, name_tokens = _name_keys(key, value)
                name = w.row(PersonName, at=at, person_id=person_id, value_sealed=sealed, value_index=index,
                             script=script, is_alias=is_alias, position=position)
                name[0] = row_id
                pairs |= name_tokens
        tokens = batch.table(SearchToken)
        for kind, token in sorted(pairs):
            tokens.add(person_id=person_id, kind=kind, token=token)
        if spec.phone:
            row_id = new_id()
            sealed = seal(data_key, aad=field_aad(owner_id=person_id, label=_PHONE_LABEL, row_id=row_id),
                          plaintext=spec.phone)
            phone = w.row(PersonPhone, at=at, person_id=person_id, number_sealed=sealed,
                          number_index=blind.phone_index(key, spec.phone))
            phone[0] = row_id
        party = w.row(CaseParty, at=at, case_id=w.id, person_id=person_id, role=role)
        return str(party[0])

    def report(self, w: CaseWriter) -> dict[str, Any]:
        spec, directory, at = w.spec, self.directory, w.at
        source_ahtu, destination_ahtu = directory.source_ahtu(spec), directory.destination_ahtu(spec)
        case = w.row(Case, at=at, reference="", owner_id=w.centre.organisation.id,
                     case_manager_id=w.cm.user_id, reported_at=spec.reported_at, reporter_type=spec.reporter_type,
                     summary=spec.summary, source_ahtu_id=source_ahtu.id if source_ahtu else None,
                     destination_ahtu_id=destination_ahtu.id if destination_ahtu else None)
        case[0] = w.id
        types = self.batch.table(CaseType)
        for code in spec.exploitation_types:
            types.add(case_id=w.id, exploitationtyperef_id=code)
        place_states = []
        # Sealed as do_report_case does: one data key per case with a place detail (icmc.vault).
        case_key = new_data_key() if any(place.detail for place in spec.places) else None
        if case_key is not None:
            key_id, wrapped = wrap_data_key(case_key, owner_id=w.id, kind="case")
            self.batch.table(CaseKey).add(case_id=w.id, wrapped=wrapped, master_key_id=key_id, created_at=at)
        for position, place in enumerate(spec.places):
            row_id = new_id()
            sealed = seal(case_key, aad=field_aad(owner_id=w.id, label=_PLACE_LABEL, row_id=row_id),
                          plaintext=place.detail) if case_key is not None and place.detail else ""
            row = w.row(CasePlace, at=at, case_id=w.id, kind=place.kind, jurisdiction_id=place.code,
                        detail_sealed=sealed, position=position)
            row[0] = row_id
            place_states.append((place.kind, directory.states.get(place.code)))
        survivors = [self._person(w, p, role=PartyRole.SURVIVOR) for p in spec.survivors]
        suspects = [self._person(w, p, role=PartyRole.SUSPECT) for p in spec.suspects]
        if spec.reporter is not None:
            self._person(w, spec.reporter, role=PartyRole.REPORTER)
        fir = None
        if spec.fir is not None:
            station = directory.police_station(spec.fir.district)
            fir = w.row(xm.FIR, at=at, case_id=w.id, police_station_id=station.id if station else None,
                        police_station_name="" if station else spec.fir.station_name, number=spec.fir.number,
                        registered_on=spec.fir.registered_on)
        targets = targets_for(owner_id=w.centre.organisation.id, ahtus=(source_ahtu, destination_ahtu),
                              place_states=place_states, partners=self._partners_of)
        referrals = []
        for org, purpose in targets:
            referral = w.row(Referral, at=at, case_id=w.id, from_organisation_id=w.centre.organisation.id,
                             to_organisation_id=org.id, purpose=purpose, state=ReferralState.PROPOSED,
                             automatic=True, consent_ids=[])
            step = w.row(ReferralTransition, at=at, referral_id=referral[0], from_state="",
                         to_state=ReferralState.PROPOSED, actor_id=w.cm.user_id, membership_id=w.cm.id,
                         organisation_id=w.cm.organisation_id, message="")
            referrals.append((referral, org, step))
        w.event(w.cm, at, "case.reported", "case", w.id, CASE_REPORTED_FIELDS + (("fir",) if spec.fir else ()),
                survivors=len(spec.survivors), suspects=len(spec.suspects), reporter_named=spec.reporter is not None,
                fir=spec.fir is not None, referrals_proposed=len(targets))
        for note_spec in spec.notes:
            note_at = self.now if w.at >= self.now else min(
                max(at, spec.reported_at + datetime.timedelta(days=note_spec.days_after, hours=3)), self.now)
            note = w.row(Note, at=note_at, case_id=w.id, author_id=w.cm.user_id,
                         organisation_id=w.centre.organisation.id, body=note_spec.body)
            w.event(w.cm, note_at, "note.added", "note", note[0], ("body",))
            self.notes += 1
        police = self._police(fir=fir, source=source_ahtu, destination=destination_ahtu, owner=w.centre.organisation)
        return {"case": case, "survivors": survivors, "suspects": suspects, "fir": fir, "referrals": referrals,
                "police": police, "source_ahtu": source_ahtu, "destination_ahtu": destination_ahtu}

    def _police(self, *, fir: list[Any] | None, source: Organisation | None, destination: Organisation | None,
                owner: Organisation) -> Organisation:
        """police_of (icmc.deadlines.events) on the rows at hand."""
        if fir is not None:
            station = self.directory.stations_by_id.get(fir[self.batch.table(xm.FIR).index["police_station_id"]])
            if station is not None and station.kind in POLICE_KINDS:
                return station
        return source or destination or owner

    # --- deadline tasks -------------------------------------------------------------------------------------

    def task(self, w: CaseWriter, *, key: str, at: datetime.datetime, fir_day: datetime.date | None,
             owner: Organisation, user_id: Any = None, party: Any = None, source_id: Any = None,
             serious: bool = False, closed: tuple[datetime.datetime, str] | None = None) -> list[Any] | None:
        """The task draft_task gives for rule `key` (same offsets, law regime, state overrides, owner zone),
        closed at `closed` = (when, by which event) if the story fulfils it."""
        rule = BY_KEY[key]
        variant = rule.variant(regime=str(law_regime(registered_on=fir_day or self.now.date())))
        if variant is None:
            return None
        offset = variant.due_if_serious if serious and variant.due_if_serious is not None else variant.due
        offset = STATE_OVERRIDES.get(w.centre.organisation.jurisdiction.state_id or "", {}).get(key) or offset
        if key == "investigation_sexual" and fir_day is not None:
            at = start_of_day(fir_day, zone=owner.time_zone)
        due = due_at(at=at, offset=offset, zone=owner.time_zone)
        created = w.clamp(at)
        values: dict[str, Any] = {}
        version = 1
        if closed is not None and closed[0] < self.now:
            version = 2
            values = {"state": TaskState.DONE, "closed_at": w.clamp(closed[0]), "closed_by": closed[1]}
        return w.row(Task, at=created, version=version, updated=values.get("closed_at") or created, case_id=w.id,
                     party_id=party, rule_key=key, source_id=source_id, title=_title(key), basis=variant.basis,
                     owner_organisation_id=owner.id, owner_user_id=user_id, due_at=due, **values)

    def manual(self, w: CaseWriter, task: list[Any] | None, story: Story, *, actor: Membership | None) -> None:
        """A task closed by hand ("manual" rules): done, with its `task.completed` event, if its time has come."""
        if task is None or actor is None:
            return
        table = self.batch.table(Task)
        due = table.get(task, "due_at")
        if due >= self.now or _stable(w.spec.index, table.get(task, "rule_key"), due) >= story.manual_done:
            return
        done = w.clamp(due - datetime.timedelta(hours=1 + int(_stable(due) * 72)))
        table.set(task, state=TaskState.DONE, closed_at=done, closed_by="manual", version=2, updated_at=done,
                  note="Done.")
        w.event(actor, done, "task.completed", "task", table.get(task, "id"), ("state", "note"),
                rule=table.get(task, "rule_key"))

    # --- the story ---------------------------------------------------------------------------------------

    # --- one case ------------------------------------------------------------------------------------------

    def case(self, spec: CaseSpec, *, centre: Centre, at: datetime.datetime) -> None:
        """The report's rows (and, in StoryBuilder, the story's); the reference is set when the batch is
        written (icmc.demo.bulk), in the order the counters give."""
        w = CaseWriter(self, spec=spec, centre=centre, at=at)
        facts = self.report(w)
        self.cases.append((centre, facts["case"]))
        self.after_report(w, facts)
        w.finish()

    def after_report(self, w: CaseWriter, facts: dict[str, Any]) -> None:
        self._report_tasks(w, facts)

    def _report_tasks(self, w: CaseWriter, facts: dict[str, Any]) -> None:
        """The tasks on_case_reported opens: help register the FIR, or inform the victim (BNSS, FIR known)."""
        spec = w.spec
        owner = w.centre.organisation
        if spec.fir is None:
            self.task(w, key="fir_without_delay", at=spec.reported_at, fir_day=None, owner=owner,
                      user_id=w.cm.user_id)
        else:
            self.task(w, key="victim_informed", at=start_of_day(spec.fir.registered_on, zone=owner.time_zone),
                      fir_day=spec.fir.registered_on, owner=facts["police"], source_id=facts["fir"][0])

