"""Fetching referrals (fail closed: missing and not-yours give the same NotFound) and cutting a case's detail
down to what referrals share with the actor."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Coalesce

from icmc.access.actor import Actor
from icmc.access.errors import NotFound
from icmc.access.policy import Perm, has_perm
from icmc.access.queries import in_own_scopes, visible_cases, visible_parties
from icmc.cases.models import Case, CasePlace
from icmc.lib.context import request_memo
from icmc.referrals.codes import ReferralState
from icmc.referrals.models import Referral, ReferralTransition
from icmc.referrals.sharing import Share, referrals_giving_access, share_of
from icmc.referrals.workflow import Side


def _active(actor: Actor) -> bool:
    return actor.membership is not None and actor.membership.is_active and actor.user.is_active


def visible_referrals(*, actor: Actor) -> QuerySet[Referral]:
    """Every referral of the cases the actor sees whole (own, assigned, state); besides, the referrals sent
    by or to the actor's organisation (to it: once sent, whatever became of them)."""
    if not _active(actor):
        return Referral.objects.none()
    assert actor.membership is not None
    org_id = actor.membership.organisation_id
    q = Q(case__in=visible_cases(actor=actor, perm=Perm.CASE_VIEW, referred=False))
    if has_perm(role=actor.role, perm=Perm.REFERRAL_SEND):  # not the analyst or administrator of a sender
        q |= Q(from_organisation_id=org_id)
    if has_perm(role=actor.role, perm=Perm.REFERRAL_RESPOND):
        q |= Q(to_organisation_id=org_id) & ~Q(state=ReferralState.PROPOSED)
    return Referral.objects.filter(q)


def access_referral(*, actor: Actor, referral_id: uuid.UUID | str, lock: bool = False) -> Referral:
    try:
        ref_uuid = referral_id if isinstance(referral_id, uuid.UUID) else uuid.UUID(str(referral_id))
        queryset = visible_referrals(actor=actor)
        if lock:
            # Lock the row only (PostgreSQL refuses FOR UPDATE over the nullable side of an outer join).
            Referral.objects.select_for_update().filter(pk__in=queryset.filter(pk=ref_uuid).values("pk")).get()
        return queryset.select_related("case", "from_organisation", "to_organisation").get(pk=ref_uuid)
    except (ValueError, Referral.DoesNotExist) as exc:
        raise NotFound from exc


def sides_of(*, actor: Actor, referral: Referral) -> frozenset[Side]:
    """Which side(s) of the referral the actor may act for."""
    if not _active(actor):
        return frozenset()
    assert actor.membership is not None
    org_id = actor.membership.organisation_id
    sides = set()
    if referral.from_organisation_id == org_id and visible_cases(
            actor=actor, perm=Perm.REFERRAL_SEND).filter(pk=referral.case_id).exists():
        sides.add(Side.SENDER)
    if referral.to_organisation_id == org_id and visible_cases(
            actor=actor, perm=Perm.REFERRAL_RESPOND).filter(pk=referral.case_id).exists():
        sides.add(Side.RECEIVER)
    return frozenset(sides)


def _of_case(*, actor: Actor, case: Case) -> QuerySet[Referral]:
    """The case's referrals the actor may see: what visible_referrals gives, which is every referral of the case
    when the actor sees it through its own scopes (then without visible_referrals' subquery over every case the
    actor sees)."""
    if in_own_scopes(actor=actor, case=case):
        return Referral.objects.filter(case=case)
    return visible_referrals(actor=actor).filter(case=case)


def case_referrals(*, actor: Actor, case: Case) -> list[Referral]:
    return list(_of_case(actor=actor, case=case)
                .select_related("from_organisation", "to_organisation", "party")
                .prefetch_related(Prefetch("transitions", queryset=ReferralTransition.objects.select_related(
                    "actor", "organisation").order_by("created_at")))
                .order_by("created_at"))


def case_referral_rows(*, actor: Actor, case: Case) -> list[Referral]:
    """The case's referrals the actor may see, oldest first, for the case page: with their organisations and
    `last_message` (the last message of their steps, "" if none) in one query, remembered for the request (the
    referrals panel and who-does-what read the same rows)."""
    last = (ReferralTransition.objects.filter(referral_id=OuterRef("pk")).exclude(message="")
            .order_by("-created_at").values("message")[:1])
    return request_memo(("case_referral_rows", actor.membership_id, case.pk), lambda: list(
        _of_case(actor=actor, case=case).select_related("from_organisation", "to_organisation")
        .annotate(last_message=Coalesce(Subquery(last), Value(""), output_field=TextField()))
        .order_by("created_at", "id")))


def received_referrals(*, actor: Actor, state: str | None = None) -> QuerySet[Referral]:
    if not _active(actor) or not has_perm(role=actor.role, perm=Perm.REFERRAL_RESPOND):
        return Referral.objects.none()
    assert actor.membership is not None
    queryset = visible_referrals(actor=actor).filter(to_organisation_id=actor.membership.organisation_id)
    if state:
        queryset = queryset.filter(state=state)
    return (queryset.select_related("case", "from_organisation", "to_organisation")
            .prefetch_related("transitions").order_by("-updated_at"))


def referred_share_purposes(*, actor: Actor, case: Case) -> frozenset[str] | None:
    """None if the actor sees the case whole (own, assigned, state); else the purposes of the referrals that give
    it access. Remembered on the case object (which lives for one request)."""
    memo: dict[object, frozenset[str] | None] = case.__dict__.setdefault("_icmc_referred_purposes", {})
    if actor.membership_id not in memo:
        if not _active(actor) or in_own_scopes(actor=actor, case=case):
            memo[actor.membership_id] = None
        else:
            assert actor.membership is not None
            memo[actor.membership_id] = frozenset(Referral.objects.filter(
                referrals_giving_access(organisation_id=actor.membership.organisation_id), case=case,
            ).values_list("purpose", flat=True))
    return memo[actor.membership_id]


def referred_share(*, actor: Actor, case: Case) -> Share | None:
    """None if the actor sees the case whole (own, assigned, state); else what its referrals share."""
    purposes = referred_share_purposes(actor=actor, case=case)
    return None if purposes is None else share_of(purposes)


def shared_detail(*, actor: Actor, case: Case, detail: dict[str, Any]) -> dict[str, Any]:
    """The case detail (icmc.cases.queries.case_detail_queryset) cut down to what the actor's referrals share:
    only the shared parties; FIRs if the purpose shares them; notes of the actor's own organisation; no place
    details. Unchanged when the actor sees the case whole."""
    share = referred_share(actor=actor, case=case)
    if share is None or share.whole_case:
        return detail
    shared_ids = set(visible_parties(actor=actor).filter(case=case).values_list("pk", flat=True))
    return {
        **detail,
        "parties": [p for p in detail["parties"] if p.pk in shared_ids],
        "firs": detail["firs"] if share.firs else [],
        "notes": [n for n in detail["notes"] if n.organisation_id == actor.organisation_id],
        # Copies with the place detail (whereabouts, P0) blanked; never saved.
        "places": [_without_detail(p) for p in detail["places"]],
    }


def _without_detail(place: CasePlace) -> CasePlace:
    blanked = copy.copy(place)
    blanked.detail = ""
    return blanked
