"""Notifications (in-app) and e-mails: referral moves, tasks due soon and overdue, the daily digest and the daily
escalation to state nodal officers. Texts carry the case reference, codes and organisation names only — never a
person's name, phone or whereabouts. Run by cron: `manage.py deadlines digest` and `manage.py deadlines escalate`."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from icmc.access.actor import Actor
from icmc.accounts.models import Membership, Organisation
from icmc.accounts.reference import Role
from icmc.cases.models import Case
from icmc.deadlines.models import Notification, Task, TaskState
from icmc.deadlines.queries import visible_tasks

DUE_SOON = datetime.timedelta(hours=24)


def notification(*, kind: str, text: str, case: Case | None = None, user: Any = None,
                 organisation: Organisation | None = None, task: Task | None = None) -> Notification:
    """A notification, not saved yet (for notify_all)."""
    return Notification(kind=kind, text=text[:300], case_id=case.id if case else None, user=user,
                        organisation=organisation if user is None else None, task=task, created_at=timezone.now())


def notify(*, kind: str, text: str, case: Case | None = None, user: Any = None,
           organisation: Organisation | None = None, task: Task | None = None) -> Notification:
    row = notification(kind=kind, text=text, case=case, user=user, organisation=organisation, task=task)
    row.save()
    return row


def notify_all(rows: list[Notification]) -> None:
    """Save several notifications in one INSERT."""
    Notification.objects.bulk_create(rows)


def notify_referral(*, referral: Any) -> None:
    """Received (sent to the organisation), accepted or declined (back to the sender: the case manager if any),
    withdrawn after it was sent (to the receiving organisation, which loses access)."""
    case, purpose = referral.case, referral.get_purpose_display()
    values = {"case": case.reference, "purpose": purpose, "to": referral.to_organisation.name,
              "from": referral.from_organisation.name}
    if referral.state == "sent":
        notify(kind="referral_received", case=case, organisation=referral.to_organisation,
               text=gettext("Referral received from %(from)s: case %(case)s, %(purpose)s.") % values)
    elif referral.state in ("accepted", "declined"):
        text = (gettext("%(to)s accepted the referral of case %(case)s (%(purpose)s).") if referral.state ==
                "accepted" else gettext("%(to)s declined the referral of case %(case)s (%(purpose)s).")) % values
        manager = case.case_manager if case.owner_id == referral.from_organisation_id else None
        notify(kind=f"referral_{referral.state}", case=case, text=text, user=manager,
               organisation=referral.from_organisation)
    elif referral.state == "withdrawn" and referral.transitions.filter(to_state="sent").exists():
        # The receiving organisation had access: it loses it now. The case reference and purpose, never names.
        notify(kind="referral_withdrawn", case=case, organisation=referral.to_organisation,
               text=gettext("%(from)s withdrew the referral of case %(case)s (%(purpose)s): your organisation "
                            "no longer has access to it.") % values)


def task_text(task: Task, *, template: str) -> str:
    local = timezone.localtime(task.due_at, ZoneInfo(task.owner_organisation.time_zone))
    return template % {"title": task.title, "case": task.case.reference,
                       "due": local.strftime("%Y-%m-%d %H:%M %Z")}


@transaction.atomic
def notify_due_tasks(*, now: datetime.datetime | None = None) -> int:
    """One notification per open task when it is due within 24 hours and one when it is overdue."""
    now = now or timezone.now()
    made = 0
    open_tasks = Task.objects.filter(state=TaskState.OPEN, due_at__lt=now + DUE_SOON).select_related(
        "case", "owner_organisation")
    for task in open_tasks:
        kind = "task_overdue" if task.due_at < now else "task_due_soon"
        if Notification.objects.filter(task=task, kind=kind).exists():
            continue
        template = gettext("Overdue: %(title)s, case %(case)s, was due %(due)s.") if kind == "task_overdue" \
            else gettext("Due soon: %(title)s, case %(case)s, by %(due)s.")
        notify(kind=kind, case=task.case, task=task, user=task.owner_user, organisation=task.owner_organisation,
               text=task_text(task, template=template))
        made += 1
    return made


@transaction.atomic
def escalate(*, now: datetime.datetime | None = None) -> int:
    """Tell each state nodal officer of the overdue tasks of the cases of the state (once per task)."""
    now = now or timezone.now()
    made = 0
    for membership in Membership.objects.filter(role=Role.STATE_NODAL_OFFICER, is_active=True,
                                                user__is_active=True).select_related("user", "organisation"):
        actor = Actor(user=membership.user, membership=membership, via="cli")
        overdue = visible_tasks(actor=actor).filter(state=TaskState.OPEN, due_at__lt=now)
        for task in overdue:
            if Notification.objects.filter(task=task, kind="task_escalated", user=membership.user).exists():
                continue
            notify(kind="task_escalated", case=task.case, task=task, user=membership.user,
                   text=task_text(task, template=gettext(
                       "Escalated: %(title)s, case %(case)s, overdue since %(due)s.")))
            made += 1
    return made


def send_digest(*, kinds: tuple[str, ...] | None = None) -> int:
    """E-mail each user with an address the notifications not yet e-mailed (their own and their organisations')."""
    sent = 0
    users: dict[Any, list[Notification]] = {}
    pending = Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True)
    if kinds is not None:
        pending = pending.filter(kind__in=kinds)
    for row in pending.select_related("user"):
        recipients = [row.user] if row.user is not None else [
            m.user for m in Membership.objects.filter(organisation=row.organisation_id, is_active=True)
            .select_related("user")]
        for user in recipients:
            if user.email and user.is_active:
                users.setdefault(user, []).append(row)
    for user, rows in users.items():
        body = "\n".join(f"- {row.text}" for row in rows)
        send_mail(subject=gettext("ICMC: %(n)d notifications") % {"n": len(rows)},
                  message=body + "\n\n" + gettext("Open ICMC to see the cases."),
                  from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[user.email])
        sent += 1
    Notification.objects.filter(id__in=[r.id for rows in users.values() for r in rows]).update(
        emailed_at=timezone.now())
    return sent
