"""The kinds of two-person approval, declared once (docs/privacy.md, security checklist item 11). Read by the
actions, the pages, the API and the docs.

One user asks (the requester, who must hold `request_perm` on the subject); another user decides (a different
user, holding `approval.decide` in a scope that covers the subject, in one of `decider_roles`); the requester then
carries it out once, before it lapses. Deciding and carrying out both need a fresh second factor (step-up).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from icmc.access.policy import Perm
from icmc.accounts.reference import Role


class Subject(models.TextChoices):
    PERSON = "person", _("a person of a case")
    REFERRAL = "referral", _("a referral")
    EXPORT = "export", _("an export of the case list")
    ALERT = "alert", _("a media alert")


@dataclass(frozen=True, kw_only=True)
class ApprovalKind:
    key: str
    label: Promise
    subject: str  # Subject
    request_perm: Perm | None  # the requester holds this on the subject case (or, for exports, anywhere)
    decider_roles: frozenset[Role]
    pending_for: datetime.timedelta  # an undecided request lapses after this
    valid_for: datetime.timedelta  # an approval must be carried out within this, from the decision
    available: bool = True  # False: declared, but nothing in ICMC performs it yet


ERASE_PERSON = "erase_person"
EXPORT_IDENTITIES = "export_identities"
CROSS_BORDER_REFERRAL = "cross_border_referral"
PUBLISH_CHILD_ALERT = "publish_child_alert"

_NODAL = frozenset({Role.STATE_NODAL_OFFICER})

KINDS: dict[str, ApprovalKind] = {
    ERASE_PERSON: ApprovalKind(
        key=ERASE_PERSON, label=_("Erase a person (destroy their key)"), subject=Subject.PERSON,
        request_perm=Perm.PERSON_ERASE_REQUEST, decider_roles=_NODAL | {Role.ADMINISTRATOR},
        pending_for=datetime.timedelta(days=14), valid_for=datetime.timedelta(hours=72)),
    EXPORT_IDENTITIES: ApprovalKind(
        key=EXPORT_IDENTITIES, label=_("Export the case list with identities"), subject=Subject.EXPORT,
        request_perm=Perm.CASE_EXPORT, decider_roles=_NODAL,
        pending_for=datetime.timedelta(days=7), valid_for=datetime.timedelta(hours=24)),
    CROSS_BORDER_REFERRAL: ApprovalKind(
        key=CROSS_BORDER_REFERRAL, label=_("Send a referral across a border"), subject=Subject.REFERRAL,
        request_perm=Perm.REFERRAL_SEND, decider_roles=_NODAL,
        pending_for=datetime.timedelta(days=7), valid_for=datetime.timedelta(hours=72)),
    # Media alerts do not exist yet (no outreach app): the kind is declared so that publishing one about a child
    # is wired to it when they are built (Juvenile Justice Act s.74: CWC permission as well).
    PUBLISH_CHILD_ALERT: ApprovalKind(
        key=PUBLISH_CHILD_ALERT, label=_("Publish an alert about a child"), subject=Subject.ALERT,
        request_perm=None, decider_roles=_NODAL,
        pending_for=datetime.timedelta(days=2), valid_for=datetime.timedelta(hours=24), available=False),
}


def kind_of(key: str) -> ApprovalKind | None:
    return KINDS.get(key)


def available_kinds() -> list[ApprovalKind]:
    return [k for k in KINDS.values() if k.available]
