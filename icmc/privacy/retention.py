"""Retention classes, declared once as data (docs/privacy.md; the periods are ASSUMPTIONS to be set by counsel,
docs/decisions/ — see the decision record on retention).

A person's records fall in the class of their role in a case; the period runs from the day the case was closed
(an open case is never due). A person is *due for review* when every case they are a party to is closed and the
longest period of their classes has passed since the last closure. Being due does not erase anyone: erasure
still needs a reason, two people and no legal hold (icmc/privacy/actions.py). `manage.py retention report`
lists, per class, how many persons are due, how many of them are under a hold, and how many are erased.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from icmc.cases.codes import CaseStatus, PartyRole
from icmc.cases.models import CaseParty
from icmc.privacy.holds import holds_on_person
from icmc.vault.models import PersonKey

YEAR = datetime.timedelta(days=365)


@dataclass(frozen=True, kw_only=True)
class RetentionClass:
    key: str
    label: Promise
    roles: frozenset[str]  # party roles whose records fall in this class
    period: datetime.timedelta  # from the closure of the (last) case
    basis: Promise  # why this period (an assumption until counsel sets it)


CLASSES: dict[str, RetentionClass] = {
    "survivor": RetentionClass(
        key="survivor", label=_("Survivors"), roles=frozenset({PartyRole.SURVIVOR}), period=10 * YEAR,
        basis=_("Assumed: compensation claims, re-trafficking checks and appeals years after closure.")),
    "family": RetentionClass(
        key="family", label=_("Guardians and family"), roles=frozenset({PartyRole.GUARDIAN}), period=10 * YEAR,
        basis=_("Assumed: kept as long as the survivor's record (family compensation, follow-up).")),
    "accused": RetentionClass(
        key="accused", label=_("Suspects and accused"), roles=frozenset({PartyRole.SUSPECT}), period=25 * YEAR,
        basis=_("Assumed: repeat-offender matching and the trafficker database; appeals.")),
    "witness_reporter": RetentionClass(
        key="witness_reporter", label=_("Witnesses and reporters"),
        roles=frozenset({PartyRole.WITNESS, PartyRole.REPORTER}), period=3 * YEAR,
        basis=_("Assumed: needed only until the case and any appeal are over.")),
}
CLOSED_STATUSES = (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED)


def class_of_role(role: str) -> RetentionClass | None:
    return next((c for c in CLASSES.values() if role in c.roles), None)


@dataclass(frozen=True, kw_only=True)
class ClassReport:
    retention_class: RetentionClass
    persons: int  # persons with a role of this class
    open: int  # in at least one open case
    due: int  # every case closed and the period passed
    due_held: int  # due, but under a legal hold
    erased: int


def report(*, now: datetime.datetime | None = None) -> list[ClassReport]:
    """Counts per retention class (no names, no references). A person with roles of several classes counts in
    each; whether they are due follows the longest period of their classes."""
    now = now or timezone.now()
    erased = set(PersonKey.objects.filter(destroyed_at__isnull=False).values_list("person_id", flat=True))
    rows = (CaseParty.objects.values("person_id", "role")
            .annotate(open=Max("case__status", filter=~Q(case__status__in=CLOSED_STATUSES)),
                      last_closed=Max("case__closed_at")))
    roles: dict[object, set[str]] = {}
    open_ids: set[object] = set()
    last: dict[object, datetime.datetime] = {}
    for row in rows:
        roles.setdefault(row["person_id"], set()).add(row["role"])
        if row["open"] is not None:
            open_ids.add(row["person_id"])
        if row["last_closed"] is not None:
            last[row["person_id"]] = max(last.get(row["person_id"], row["last_closed"]), row["last_closed"])
    due_ids: set[object] = set()
    for person_id, person_roles in roles.items():
        classes = [c for c in (class_of_role(r) for r in person_roles) if c is not None]
        if person_id in open_ids or person_id in erased or not classes or person_id not in last:
            continue
        if last[person_id] + max(c.period for c in classes) <= now:
            due_ids.add(person_id)
    held_ids = {pid for pid in due_ids if holds_on_person(person_id=pid)}  # type: ignore[arg-type]
    out = []
    for cls in CLASSES.values():
        members = {pid for pid, rs in roles.items() if rs & cls.roles}
        out.append(ClassReport(retention_class=cls, persons=len(members), open=len(members & open_ids),
                               due=len(members & due_ids), due_held=len(members & held_ids),
                               erased=len(members & erased)))
    return out
