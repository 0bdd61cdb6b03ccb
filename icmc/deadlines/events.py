"""Events turn into tasks: `on_event` closes the open tasks the event fulfils and opens the tasks of the rules it
triggers, inside the transaction of the action that records the event. `on_records` reads the rows a pathway or
prosecution action wrote and raises the matching events.

Follow-up visits (rule 15) are stored tasks, one per FollowUpVisit row the pathway schedules (decided so that they
appear in the same lists, digests and escalations as the legal deadlines; a visit recorded closes its task, ending
the follow-up early cancels the rest).
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from icmc.access.actor import Actor
from icmc.accounts.models import Organisation
from icmc.accounts.reference import POLICE_KINDS
from icmc.audit.chain import lock_head
from icmc.cases.models import Case, CaseParty
from icmc.cases.people import is_minor
from icmc.deadlines.models import Task, TaskState
from icmc.deadlines.rules import BY_KEY, STATE_OVERRIDES, Offset, Rule, rules_closed_by, rules_for
from icmc.prosecution.law import law_regime
from icmc.prosecution.models import FIR, Charge, Offence
from icmc.sync.feed import record_changes
from icmc.sync.models import Change

# What an event carries: "lead", "cwc", "authority", "offence"; and, when the caller already knows them (the bulk
# writer, open_new_case_tasks), the case facts "fir_day" (first registered FIR date or None), "serious" and "police",
# which are otherwise read from the database.
Context = dict[str, Any]

SEXUAL_OFFENCES = frozenset({f"BNS-{n}" for n in range(64, 72)} | {"POCSO-4", "POCSO-6", "POCSO-8", "POCSO-10"})


def _minor(case: Case, party: CaseParty | None, ctx: Context) -> bool:
    return party is not None and bool(is_minor(person=party.person, on=timezone.localdate()))


CONDITIONS: dict[str, Callable[[Case, CaseParty | None, Context], bool]] = {
    "": lambda case, party, ctx: True,
    "no_fir": lambda case, party, ctx: _fir_day(case, ctx) is None,
    "minor": _minor,
    "adult": lambda case, party, ctx: party is not None and not _minor(case, party, ctx),
    "pocso": lambda case, party, ctx: ctx.get("offence") is not None and ctx["offence"].act == "POCSO",
    "sexual_offence": lambda case, party, ctx: ctx.get("offence") is not None
    and ctx["offence"].code in SEXUAL_OFFENCES,
}


def is_serious(offence: Offence) -> bool:
    """Death, life or a minimum of 10 years or more (BNSS 187(3) / CrPC 167(2): the 90-day chargesheet)."""
    high, low = offence.max_punishment.lower(), offence.min_punishment.lower()
    if "death" in high or "life" in high or "life" in low:
        return True
    match = re.match(r"\s*(\d+)\s*years?", low)
    return match is not None and int(match.group(1)) >= 10


def case_is_serious(case: Case) -> bool:
    return any(is_serious(c.offence) for c in Charge.objects.filter(fir__case=case).select_related("offence"))


def first_fir_date(case: Case) -> datetime.date | None:
    fir = FIR.objects.filter(case=case, registered_on__isnull=False).order_by("registered_on").first()
    return fir.registered_on if fir else None


def _fir_day(case: Case, ctx: Context) -> datetime.date | None:
    return ctx["fir_day"] if "fir_day" in ctx else first_fir_date(case)


def start_of_day(day: datetime.date, *, zone: str) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, ZoneInfo(zone))


def _add_months(day: datetime.date, months: int) -> datetime.date:
    from icmc.pathway.stages import add_months

    return add_months(day, months)


def due_at(*, at: datetime.datetime, offset: Offset, zone: str) -> datetime.datetime:
    """Hours count from the moment; days and months end at 23:59 (the owner's zone) of the last day."""
    if offset.hours and not (offset.days or offset.months):
        return at + datetime.timedelta(hours=offset.hours)
    tz = ZoneInfo(zone)
    day = _add_months(at.astimezone(tz).date(), offset.months) + datetime.timedelta(days=offset.days)
    return datetime.datetime.combine(day, datetime.time(23, 59), tz)


def _police(case: Case) -> Organisation:
    return police_of(case=case, fir=FIR.objects.filter(case=case).select_related("police_station")
                     .order_by("created_at").first())


def police_of(*, case: Case, fir: FIR | None) -> Organisation:
    """The police organisation of a case whose first FIR is `fir`."""
    if fir is not None and fir.police_station is not None and fir.police_station.kind in POLICE_KINDS:
        return fir.police_station
    return case.source_ahtu or case.destination_ahtu or case.owner


def owner_of(*, rule: Rule, case: Case, ctx: Context) -> tuple[Organisation, Any]:
    if rule.owner == "case_owner":
        return case.owner, case.case_manager
    if rule.owner == "rescue_lead" and ctx.get("lead") is not None:
        return ctx["lead"], None
    if rule.owner == "cwc" and ctx.get("cwc") is not None:
        return ctx["cwc"], None
    if rule.owner == "legal_services" and ctx.get("authority") is not None:
        return ctx["authority"], None
    return ctx["police"] if "police" in ctx else _police(case), None


def _offset(*, rule: Rule, case: Case, ctx: Context) -> tuple[str, Offset] | None:
    fir_day = _fir_day(case, ctx)
    regime = law_regime(registered_on=fir_day or timezone.localdate())
    variant = rule.variant(regime=str(regime))
    if variant is None:
        return None
    offset = variant.due
    if variant.due_if_serious is not None and (ctx["serious"] if "serious" in ctx else case_is_serious(case)):
        offset = variant.due_if_serious
    override = STATE_OVERRIDES.get(case.owner.jurisdiction.state_id or "", {}).get(rule.key)
    return variant.basis, override or offset


def draft_task(*, rule: Rule, case: Case, party: CaseParty | None, source_id: uuid.UUID | None,
               at: datetime.datetime, ctx: Context, now: datetime.datetime) -> Task | None:
    """The (unsaved) task the rule gives for this event, or None when the rule does not apply (law regime)."""
    found = _offset(rule=rule, case=case, ctx=ctx)
    if found is None:
        return None
    basis, offset = found
    organisation, user = owner_of(rule=rule, case=case, ctx=ctx)
    fir_day = _fir_day(case, ctx) if rule.key in ("investigation_sexual",) else None
    if fir_day is not None:
        at = start_of_day(fir_day, zone=organisation.time_zone)
    due = due_at(at=at, offset=offset, zone=organisation.time_zone)
    return Task(case=case, party=party, rule_key=rule.key, source_id=source_id, title=str(rule.title),
                basis=basis, owner_organisation=organisation, owner_user=user, due_at=due,
                created_at=now, updated_at=now)


def ensure_task(*, rule: Rule, case: Case, party: CaseParty | None, source_id: uuid.UUID | None,
                at: datetime.datetime, ctx: Context) -> Task | None:
    """Open the rule's task (or move the due time of the open one); one task per case, rule, survivor, source."""
    now = timezone.now()
    draft = draft_task(rule=rule, case=case, party=party, source_id=source_id, at=at, ctx=ctx, now=now)
    if draft is None:
        return None
    task = Task.objects.filter(case=case, rule_key=rule.key, party=party, source_id=source_id).first()
    if task is None:
        task = draft
    elif task.state != TaskState.OPEN or (task.due_at == draft.due_at and task.basis == draft.basis):
        return None
    else:
        task.due_at, task.basis, task.version, task.updated_at = draft.due_at, draft.basis, task.version + 1, now
    task.save()
    return task


def on_event(*, kind: str, case: Case, party: CaseParty | None = None, at: datetime.datetime | None = None,
             actor: Actor | None = None, source_id: uuid.UUID | None = None,
             closes: Iterable[uuid.UUID] | None = None, opens: bool = True, ctx: Context | None = None) -> list[Task]:
    """Close the open tasks that `kind` fulfils (of this survivor / these source records when given), then open
    the tasks of the rules `kind` triggers. Returns the tasks written (already appended to the change feed)."""
    ctx = ctx or {}
    at = at or timezone.now()
    now = timezone.now()
    written: list[Task] = []
    keys = rules_closed_by(event=kind)
    if keys:
        query = Task.objects.filter(case=case, rule_key__in=keys, state=TaskState.OPEN)
        if party is not None:
            query = query.filter(Q(party=None) | Q(party=party))
        if closes is not None:
            query = query.filter(Q(source_id=None) | Q(source_id__in=list(closes)))
        for task in query.select_for_update():
            task.state, task.closed_at, task.closed_by = TaskState.DONE, now, kind
            task.version, task.updated_at = task.version + 1, now
            task.save()
            written.append(task)
    if opens:
        for rule in rules_for(trigger=kind):
            if CONDITIONS[rule.condition](case, party, ctx):
                opened = ensure_task(rule=rule, case=case, party=party, source_id=source_id, at=at, ctx=ctx)
                if opened is not None:
                    written.append(opened)
    if written:
        record_changes(*written, case_id=case.id)
    return written


@dataclass(frozen=True, kw_only=True)
class NewCaseEvent:
    """An event on a case written in the current transaction, with its facts in ctx (fir_day, serious, police)."""

    kind: str
    case: Case
    at: datetime.datetime
    source_id: uuid.UUID | None = None
    ctx: Context


def draft_new_case_tasks(events: Sequence[NewCaseEvent], *, now: datetime.datetime) -> list[Task]:
    """The (unsaved) tasks of events on cases written in the current transaction: they have no tasks yet, so
    there is nothing to close or move; the same rules, conditions, owners and offsets as on_event, from the facts
    in each ctx instead of queries."""
    tasks: list[Task] = []
    for event in events:
        for rule in rules_for(trigger=event.kind):
            if CONDITIONS[rule.condition](event.case, None, event.ctx):
                task = draft_task(rule=rule, case=event.case, party=None, source_id=event.source_id, at=event.at,
                                  ctx=event.ctx, now=now)
                if task is not None:
                    tasks.append(task)
    return tasks


def open_new_case_tasks(events: Sequence[NewCaseEvent]) -> list[Task]:
    """Batch form of on_event for cases written in bulk in this transaction (icmc.demo.bulk): the tasks of
    draft_new_case_tasks, written with one insert for the tasks and one for their change-feed rows."""
    now = timezone.now()
    tasks = draft_new_case_tasks(events, now=now)
    Task.objects.bulk_create(tasks, batch_size=2000)
    lock_head()  # as record_changes does (commit order = seq order)
    label = f"{Task._meta.app_label}.{Task._meta.model_name}"
    Change.objects.bulk_create([Change(at=now, op="put", object_type=label, object_id=t.id, version=t.version,
                                       case_id=t.case_id) for t in tasks], batch_size=2000)
    return tasks


def cancel_tasks(*, case: Case, rule_key: str, party: CaseParty | None, reason: str) -> list[Task]:
    now = timezone.now()
    tasks = list(Task.objects.select_for_update().filter(case=case, rule_key=rule_key, party=party,
                                                         state=TaskState.OPEN))
    for task in tasks:
        task.state, task.closed_at, task.closed_by = TaskState.CANCELLED, now, reason
        task.version, task.updated_at = task.version + 1, now
        task.save()
    if tasks:
        record_changes(*tasks, case_id=case.id)
    return tasks


def rule_title(key: str) -> str:
    rule = BY_KEY.get(key)
    return str(rule.title) if rule else key
