"""Access functions: every case-related object is fetched through these. They fail closed, and raise
NotFound alike for a missing object and one the actor may not see."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import BooleanField, Exists, Expression, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone

from icmc.access.actor import Actor
from icmc.access.errors import NotFound, PermissionDenied
from icmc.access.policy import Perm, Scope, has_perm, scopes_for
from icmc.cases.models import Case, CaseParty, CasePlace, Person
from icmc.emergency.models import EmergencyAccess
from icmc.emergency.scope import emergency_case_ids
from icmc.lib.context import request_memo
from icmc.lib.idlists import ids_q
from icmc.referrals.models import Referral
from icmc.referrals.sharing import WHOLE_CASE_PURPOSES, referrals_giving_access, shared_parties_q, states_for

# Up to this many referred cases are inlined as ids in the scope filter (see _case_scope_q).
REFERRED_IDS_INLINE = 2000
# Organisations known to have more than REFERRED_IDS_INLINE referred cases (this process, until the time given).
MANY_REFERRED_SECONDS = 300.0
_MANY_REFERRED: dict[tuple[uuid.UUID, int], float] = {}
# Every referral state that gives some permission its access (icmc/referrals/sharing.py).
_ACCESS_STATES = sorted(frozenset().union(*(states_for(perm=perm) for perm in Perm)))


def _case_scope_q(*, actor: Actor, perm: Perm, referred: bool = True, emergency: bool = True, probe: bool = False,
                  via: str = "") -> Q | None:
    """A filter on Case for the scopes in which the actor holds `perm`; None when it reaches no case.
    With referred=False the `referred` scope is left out (what the actor sees whole, not through a referral); with
    emergency=False the `emergency` scope too (what the actor sees through its organisation alone).
    `probe`: the filter will be applied to one case (access_case): the case's referrals and emergency accesses are
    tested on its row (EXISTS, an index probe each) instead of as lists of the actor's referred and emergency case
    ids (a query each, and the permissions on one case need no list of a thousand referred ids).
    `via`: the same filter on a model pointing to Case through this foreign key path (e.g. "case__" on
    CaseParty), tested on the joined case row instead of through an `IN (visible cases)` subquery; own scopes
    only (referred=False: referrals are shared by parties, see visible_parties_joined)."""
    if via and referred:
        raise ValueError("_case_scope_q(via=...) covers the own scopes only: pass referred=False")
    if actor.membership is None or not actor.membership.is_active or not actor.user.is_active:
        return None
    scopes = scopes_for(role=actor.role, perm=perm)
    org = actor.membership.organisation
    parts: list[Q] = []
    if Scope.OWN_ORGANISATION in scopes:
        parts.append(Q(**{f"{via}owner_id": org.id}))
    if Scope.ASSIGNED in scopes:
        parts.append(Q(**{f"{via}source_ahtu_id": org.id}) | Q(**{f"{via}destination_ahtu_id": org.id}))
    if Scope.STATE in scopes:
        state_id = org.jurisdiction.state_id
        if state_id is not None:
            place_in_state = CasePlace.bare.filter(case_id=OuterRef(f"{via}pk"), jurisdiction__state_id=state_id)
            parts.append(Q(**{f"{via}owner__jurisdiction__state_id": state_id}) | Q(Exists(place_in_state)))
    if referred and Scope.REFERRED in scopes:
        referred_q = _referred_probe(org_id=org.id, states=states_for(perm=perm)) if probe \
            else _referred_q(org_id=org.id, perm=perm)
        if referred_q is not None:
            parts.append(referred_q)
    if emergency and Scope.EMERGENCY in scopes:  # break the glass: the cases of the membership's unexpired grants
        membership_id = actor.membership.id
        if probe:
            parts.append(_emergency_probe(membership_id=membership_id, via=via))
        else:
            emergency_ids = request_memo(("emergency", membership_id),
                                         lambda: emergency_case_ids(membership_id=membership_id))
            if emergency_ids:
                parts.append(ids_q(column=f"{via}pk", ids=emergency_ids))
    if not parts:
        return None
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q


def _referred_probe(*, org_id: uuid.UUID, states: frozenset[str]) -> Q:
    """The case (of the query's row) has a referral to the organisation in one of `states`."""
    return Q(Exists(Referral.objects.filter(to_organisation_id=org_id, case_id=OuterRef("pk"),
                                            state__in=sorted(states))))


def _emergency_probe(*, membership_id: uuid.UUID, via: str = "") -> Q:
    """The membership holds an unexpired emergency access to the case (of the query's row); the same grants as
    icmc.emergency.scope.emergency_case_ids."""
    return Q(Exists(EmergencyAccess.objects.filter(membership_id=membership_id, case_id=OuterRef(f"{via}pk"),
                                                   expires_at__gt=timezone.now())))


def _referred_q(*, org_id: uuid.UUID, perm: Perm) -> Q | None:
    """The `referred` scope of `perm`: the cases referred to the organisation in a state that gives its access."""
    states = states_for(perm=perm)
    # The cases referred to one organisation are few; as a list of ids the planner can combine them with the
    # owner index (a bitmap OR) instead of testing an EXISTS on every case of the table. One query per request
    # for every permission: (case, state) pairs in any state that gives some access.
    many_key = (org_id, REFERRED_IDS_INLINE)
    if _MANY_REFERRED.get(many_key, 0.0) < time.monotonic():
        pairs = request_memo(("referred", org_id), lambda: list(
            Referral.objects.filter(to_organisation_id=org_id, state__in=_ACCESS_STATES).order_by()
            .values_list("case_id", "state").distinct()[:REFERRED_IDS_INLINE + 1]))
        if len(pairs) <= REFERRED_IDS_INLINE:
            ids = sorted({pk for pk, state in pairs if state in states})
            return ids_q(column="pk", ids=ids) if ids else None
        # Remembered for a while, so that the next requests skip reading 2,001 rows to learn it again. It only
        # chooses the query's shape: both shapes select the same cases.
        _MANY_REFERRED[many_key] = time.monotonic() + MANY_REFERRED_SECONDS
    # Many referred cases, many rows to filter: IN (subquery) under the OR is one hashed subplan, where an EXISTS
    # stays a probe per row (at 100,000 cases an AHTU's filtered list count: 300 -> 62 ms).
    referrals = Referral.objects.filter(referrals_giving_access(organisation_id=org_id, perm=perm))
    return Q(pk__in=referrals.values("case_id"))


def visible_cases(*, actor: Actor, perm: Perm = Perm.CASE_VIEW, referred: bool = True) -> QuerySet[Case]:
    q = _case_scope_q(actor=actor, perm=perm, referred=referred)
    if q is None:
        return Case.objects.none()
    return Case.objects.filter(q)


def access_case(*, actor: Actor, case_id: uuid.UUID | str, perm: Perm = Perm.CASE_VIEW,
                related: tuple[str, ...] = (), annotations: Mapping[str, Expression] | None = None) -> Case:
    """The case, if the actor holds `perm` on it. NotFound if it is missing or not visible; PermissionDenied
    if the actor can see it but may not do `perm` to it. `related`: more foreign keys to fetch in the same
    query (the owner always is). `annotations`: more values of the case computed in the same query (attributes of
    the case returned; the caller shows them only to an actor holding the permission they need)."""
    try:
        case_uuid = case_id if isinstance(case_id, uuid.UUID) else uuid.UUID(str(case_id))
    except ValueError as exc:
        raise NotFound from exc
    q = _case_scope_q(actor=actor, perm=Perm.CASE_VIEW, probe=True)
    if q is None:
        raise NotFound
    # The actor's permissions on the case and the own-scopes flag come with the case, in the same query.
    facts = _Facts.of(actor=actor)
    try:
        case = (Case.objects.filter(q).select_related("owner", *related)
                .annotate(**facts.annotations, **(annotations or {})).get(pk=case_uuid))
    except Case.DoesNotExist as exc:
        raise NotFound from exc
    facts.remember(actor=actor, case=case, row={name: getattr(case, name) for name in facts.annotations})
    if perm is not Perm.CASE_VIEW and perm not in perms_on_case(actor=actor, case=case):
        raise PermissionDenied("Your role may not do this on this case.")
    return case


def perms_on_case(*, actor: Actor, case: Case) -> frozenset[Perm]:
    """Every permission the actor holds on this case, found in one query. Remembered on the case object (which
    lives for one request), so that a page asking "may she do X, Y, Z here?" costs one query, not one each."""
    return _case_facts(actor=actor, case=case).held


def in_own_scopes(*, actor: Actor, case: Case) -> bool:
    """Whether the actor sees the case through its own scopes (own organisation, assigned, state, emergency),
    not only through a referral. Computed in the same query as perms_on_case and remembered alike."""
    return _case_facts(actor=actor, case=case).own_scopes


def under_emergency(*, actor: Actor, case: Case) -> bool:
    """Whether the actor's membership holds an unexpired emergency access to this case (for a role whose case
    view reaches the `emergency` scope). Computed in the same query as perms_on_case and remembered alike."""
    return _case_facts(actor=actor, case=case).emergency


@dataclass(frozen=True, kw_only=True)
class CaseFacts:
    held: frozenset[Perm]
    own_scopes: bool
    emergency: bool


def _case_facts(*, actor: Actor, case: Case) -> CaseFacts:
    memo: dict[object, CaseFacts] = case.__dict__.setdefault("_icmc_perms_on_case", {})
    if actor.membership_id in memo:
        return memo[actor.membership_id]
    facts = _Facts.of(actor=actor)
    row = Case.objects.filter(pk=case.pk).annotate(**facts.annotations).values(*facts.annotations).first() \
        if facts.annotations else None
    return facts.remember(actor=actor, case=case, row=row)


@dataclass(frozen=True, kw_only=True)
class _Group:
    """Permissions the actor holds in the same scopes and, through referrals, the same referral states."""
    perms: list[Perm]
    own: str | None  # the annotation saying the case is in the group's own scopes (organisation, assigned, state)
    referred: str | None  # the annotation saying the case is referred to the organisation in the group's states
    emergency: bool  # the group's scopes include `emergency`


@dataclass(frozen=True, kw_only=True)
class _Facts:
    """Boolean annotations on a case that tell every permission the actor holds on it, the own-scopes flag and the
    emergency flag, in the query that fetches the case (or one query of their own). Each group of permissions
    alike has one annotation for its own scopes (a case manager's fifteen OWN permissions are one
    `owner_id = ...`, not fifteen); the case's referrals to the organisation (one EXISTS per set of states
    that give some permission) and the membership's emergency access (one EXISTS) are tested once and shared by
    every group."""
    groups: list[_Group]
    annotations: dict[str, ExpressionWrapper]
    own_scopes: str | None
    emergency: str | None

    @classmethod
    def of(cls, *, actor: Actor) -> _Facts:
        by_scope: dict[tuple[frozenset[Scope], frozenset[str] | None], list[Perm]] = {}
        for perm in Perm:
            scopes = scopes_for(role=actor.role, perm=perm)
            if scopes:
                states = states_for(perm=perm) if Scope.REFERRED in scopes else None
                by_scope.setdefault((scopes, states), []).append(perm)
        annotations: dict[str, ExpressionWrapper] = {}

        def column(name: str, q: Q | None) -> str | None:
            if q is None:
                return None
            annotations[name] = ExpressionWrapper(q, output_field=BooleanField())
            return name

        active = actor.membership is not None and actor.membership.is_active and actor.user.is_active
        referred: dict[frozenset[str], str | None] = {}
        groups = []
        for i, ((scopes, states), perms) in enumerate(by_scope.items()):
            if states is not None and states not in referred and active:
                assert actor.membership is not None
                referred[states] = column(f"referred_{len(referred)}", _referred_probe(
                    org_id=actor.membership.organisation_id, states=states))
            groups.append(_Group(perms=perms, own=column(f"held_{i}", _case_scope_q(
                actor=actor, perm=perms[0], referred=False, emergency=False)),
                referred=referred.get(states) if states is not None else None,
                emergency=Scope.EMERGENCY in scopes))
        emergency = column("emergency", _emergency_probe(membership_id=actor.membership.id)) \
            if active and actor.membership is not None and any(g.emergency for g in groups) else None
        own = column("own_scopes", _case_scope_q(actor=actor, perm=Perm.CASE_VIEW, referred=False,
                                                 emergency=False))
        return cls(groups=groups, annotations=annotations, own_scopes=own, emergency=emergency)

    def remember(self, *, actor: Actor, case: Case, row: dict[str, object] | None) -> CaseFacts:
        """Remember on the case object (it lives for one request) what the actor holds on it."""
        def true(name: str | None) -> bool:
            return bool(name and row and row.get(name))

        emergency = true(self.emergency)
        held = frozenset(perm for group in self.groups
                         if true(group.own) or true(group.referred) or (group.emergency and emergency)
                         for perm in group.perms)
        case_view = Scope.EMERGENCY in scopes_for(role=actor.role, perm=Perm.CASE_VIEW)
        memo: dict[object, CaseFacts] = case.__dict__.setdefault("_icmc_perms_on_case", {})
        memo[actor.membership_id] = CaseFacts(held=held, own_scopes=true(self.own_scopes) or (case_view and emergency),
                                              emergency=case_view and emergency)
        return memo[actor.membership_id]


def visible_parties(*, actor: Actor) -> QuerySet[CaseParty]:
    """Parties of the cases where the actor may see identities; through a referral, only the parties its
    purpose shares (icmc/referrals/sharing.py)."""
    q = Q(case__in=visible_cases(actor=actor, perm=Perm.PERSON_VIEW_IDENTITY, referred=False))
    shared = _shared_parties_q(actor=actor)
    return CaseParty.objects.filter(q | shared if shared is not None else q)


def _shared_parties_q(*, actor: Actor, per_row: bool = False) -> Q | None:
    """The parties referrals to the actor's organisation share with it, if its role sees identities through
    referrals (None otherwise). `per_row`: as probes of each party's referrals (see shared_parties_q)."""
    if (actor.membership is not None and actor.membership.is_active and actor.user.is_active
            and Scope.REFERRED in scopes_for(role=actor.role, perm=Perm.PERSON_VIEW_IDENTITY)):
        return shared_parties_q(organisation_id=actor.membership.organisation_id, per_row=per_row)
    return None


def visible_parties_joined(*, actor: Actor) -> QuerySet[CaseParty]:
    """The parties visible_parties gives, tested row by row: the actor's own scopes on each party's joined case
    row, or a referral of that case or party (EXISTS probes), instead of `case IN (every visible case)` and
    `IN (every referral)`: for a bounded set of parties (person search tests its candidates one by one), where the
    database probes those rows instead of hashing every case the actor sees (a centre may own 40,000) or every
    referral it received (an AHTU ~10,000)."""
    own = _case_scope_q(actor=actor, perm=Perm.PERSON_VIEW_IDENTITY, referred=False, via="case__")
    shared = _shared_parties_q(actor=actor, per_row=True)
    parts = [q for q in (own, shared) if q is not None]
    if not parts:
        return CaseParty.objects.none()
    return CaseParty.objects.filter(parts[0] | parts[1] if len(parts) == 2 else parts[0])


def visible_party_ids(*, actor: Actor, case: Case) -> set[object]:
    """The ids of the parties of `case` the actor may see (all of them, or what a referral shares)."""
    return set(visible_parties(actor=actor).filter(case=case).values_list("id", flat=True))


def sees_whole_case(*, actor: Actor, case: Case) -> bool:
    """Whether the actor sees the whole case (own scopes, or a referral whose purpose shares the whole case), as
    opposed to the part a referral's purpose shares. Whole-case panels (prosecution, rescues) need this."""
    if in_own_scopes(actor=actor, case=case):
        return True
    if actor.membership is None or Scope.REFERRED not in scopes_for(role=actor.role, perm=Perm.CASE_VIEW):
        return False
    return Referral.objects.filter(referrals_giving_access(organisation_id=actor.membership.organisation_id),
                                   case=case, purpose__in=WHOLE_CASE_PURPOSES).exists()


def visible_persons(*, actor: Actor) -> QuerySet[Person]:
    """Persons who are a visible party (see visible_parties) of some case."""
    return Person.objects.filter(Exists(visible_parties(actor=actor).filter(person_id=OuterRef("pk"))))


def access_person(*, actor: Actor, person_id: uuid.UUID | str) -> Person:
    try:
        person_uuid = person_id if isinstance(person_id, uuid.UUID) else uuid.UUID(str(person_id))
        return visible_persons(actor=actor).get(pk=person_uuid)
    except (ValueError, Person.DoesNotExist) as exc:
        raise NotFound from exc


def require_perm(*, actor: Actor, perm: Perm) -> None:
    """For actions with no case (reporting one, managing users): the role must hold `perm` somewhere."""
    if actor.membership is None or not actor.membership.is_active or not actor.user.is_active:
        raise PermissionDenied("You have no active membership to act through.")
    if not has_perm(role=actor.role, perm=perm):
        raise PermissionDenied("Your role may not do this.")
