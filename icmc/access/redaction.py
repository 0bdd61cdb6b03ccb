"""Redaction, done once and server-side: `redact` is the one function that cuts a record's values down to the
sensitivity classes (icmc/access/sensitivity.py) a reader may receive. The case page, the API serialisers and
the sync projection all call it; templates only show what it returns. Each P0 value it lets through is noted,
and the request records one `person.identity_viewed` audit event (icmc/access/identity_reads.py).

A `Clearance` says which classes a reader receives, and whether they read under an emergency access. It is
worked out by `case_clearance` (a reader of one case), `person_clearance` (a reader of one person) and
`node_clearance` (a field node, for all its users).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from icmc.access import identity_reads
from icmc.access.actor import Actor
from icmc.access.policy import Perm, Scope, has_perm, scopes_for
from icmc.access.sensitivity import P0, Sensitivity, purposes_classes, role_ceiling, sensitivity
from icmc.lib.context import request_memo

if TYPE_CHECKING:
    from icmc.cases.models import Case, Person
    from icmc.sync.models import Node


@dataclass(frozen=True, kw_only=True)
class Clearance:
    classes: frozenset[Sensitivity]
    actor: Actor | None = None  # who reads (None for a node)
    case_id: Any = None  # the case read, when there is one
    person_id: Any = None  # the person read, when one person is read for themselves
    emergency: bool = False  # read under an emergency access ("break the glass")
    # Whether revealing P0 records `person.identity_viewed` (icmc/access/identity_reads.py); off only where the
    # action itself audits the read with the people shown (person search: `person.searched`).
    audit: bool = True

    @property
    def identity(self) -> bool:
        return P0 in self.classes


class Redacted(dict[str, Any]):
    """The values a reader may receive; `withheld` names the keys whose values were taken out."""

    withheld: frozenset[str] = frozenset()


def withheld_value(value: Any) -> Any:
    """What a withheld value becomes: an empty list, an empty text, or None — never the value."""
    if isinstance(value, list | tuple | set | frozenset):
        return []
    if isinstance(value, str):
        return ""
    return None


def redact(values: Mapping[str, Any], *, model: str, clearance: Clearance) -> Redacted:
    """`values` (keys: fields or derived values of `model`, e.g. "cases.Person") with every value whose class
    the clearance does not hold replaced by `withheld_value`. A key the registry does not classify raises
    UnclassifiedField: nothing unclassified is ever served."""
    out = Redacted()
    withheld, revealed = set(), []
    for key, value in values.items():
        cls = sensitivity(model=model, field=key)
        if cls in clearance.classes:
            out[key] = value
            if cls is P0 and value not in (None, "", [], ()):
                revealed.append(key)
        else:
            out[key] = withheld_value(value)
            withheld.add(key)
    out.withheld = frozenset(withheld)
    if revealed:
        identity_reads.note(clearance=clearance, model=model, keys=revealed)
    return out


# --- who receives what -----------------------------------------------------------------------------------


def _emergency(*, actor: Actor, case_id: Any) -> bool:
    """Whether the actor reads this case under an emergency access (the same look-up as the scope's, remembered
    for the request); for a person's cases (person_clearance). A case's own clearance asks under_emergency, which
    the query of the case answered."""
    from icmc.emergency.scope import emergency_case_ids

    if actor.membership is None or Scope.EMERGENCY not in scopes_for(role=actor.role, perm=Perm.CASE_VIEW):
        return False
    membership_id = actor.membership.id
    ids = request_memo(("emergency", membership_id), lambda: emergency_case_ids(membership_id=membership_id))
    return case_id in ids


def case_clearance(*, actor: Actor, case: Case) -> Clearance:
    """What the actor receives of this (visible) case: the role's ceiling; P0 only with `person.view_identity`
    on the case; through referrals only, what their purposes give. Remembered on the case object."""
    from icmc.access.queries import perms_on_case, under_emergency
    from icmc.referrals.queries import referred_share_purposes

    memo: dict[object, Clearance] = case.__dict__.setdefault("_icmc_clearance", {})
    if actor.membership_id in memo:
        return memo[actor.membership_id]
    active = actor.membership is not None and actor.membership.is_active and actor.user.is_active
    classes = role_ceiling(role=actor.role) if active else frozenset()
    if Perm.PERSON_VIEW_IDENTITY not in perms_on_case(actor=actor, case=case):
        classes -= {P0}
    purposes = referred_share_purposes(actor=actor, case=case)
    if purposes is not None:  # seen through referrals only
        classes &= purposes_classes(purposes)
    clearance = Clearance(classes=classes, actor=actor, case_id=case.pk,
                          emergency=under_emergency(actor=actor, case=case))
    memo[actor.membership_id] = clearance
    return clearance


def reader_clearance(*, actor: Actor) -> Clearance:
    """What the actor receives of persons that were already limited to those it may see with their identities
    (person search): the role's ceiling, P0 only for a role holding `person.view_identity`."""
    active = actor.membership is not None and actor.membership.is_active and actor.user.is_active
    classes = role_ceiling(role=actor.role) if active else frozenset()
    if not has_perm(role=actor.role, perm=Perm.PERSON_VIEW_IDENTITY):
        classes -= {P0}
    return Clearance(classes=classes, actor=actor, audit=False)


def person_clearance(*, actor: Actor, person: Person) -> Clearance:
    """What the actor receives of a person it may see (icmc.access.queries.access_person): the role's ceiling;
    if the person is not in any case the actor sees whole, what the purposes of the referrals that share them
    give."""
    from icmc.access.queries import visible_cases
    from icmc.cases.models import CaseParty
    from icmc.referrals.models import Referral
    from icmc.referrals.sharing import referrals_giving_access

    classes = role_ceiling(role=actor.role)
    case_ids = CaseParty.objects.filter(person=person).values("case_id")
    whole = visible_cases(actor=actor, perm=Perm.PERSON_VIEW_IDENTITY, referred=False).filter(pk__in=case_ids)
    if actor.membership is None:
        classes = frozenset()
    elif not whole.exists():
        purposes = set(Referral.objects.filter(
            referrals_giving_access(organisation_id=actor.membership.organisation_id,
                                    perm=Perm.PERSON_VIEW_IDENTITY),
            case_id__in=case_ids).values_list("purpose", flat=True))
        classes &= purposes_classes(purposes)
    emergency = False
    if actor.membership is not None and Scope.EMERGENCY in scopes_for(role=actor.role, perm=Perm.CASE_VIEW):
        emergency = any(_emergency(actor=actor, case_id=c) for c in
                        CaseParty.objects.filter(person=person).values_list("case_id", flat=True))
    return Clearance(classes=classes, actor=actor, person_id=person.pk, emergency=emergency)


def node_clearance(*, node: Node) -> Clearance:
    """What a node receives: everything on it is readable by each of its users, so the classes every one of its
    active users may receive (a user: the union over their active memberships' role ceilings). A node whose
    users may not see P0 gets no P0; a node with no active user gets nothing."""
    classes: frozenset[Sensitivity] | None = None
    for user in node.users.filter(is_active=True).order_by("pk"):
        mine: frozenset[Sensitivity] = frozenset()
        for membership in user.memberships.filter(is_active=True, organisation__is_active=True):
            mine |= role_ceiling(role=membership.role)
        classes = mine if classes is None else classes & mine
    return Clearance(classes=classes or frozenset())
