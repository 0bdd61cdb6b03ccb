"""Reviewing duplicate candidates: the list a case manager or state nodal officer may see (those with at least one
of the two cases in their `duplicate.decide` scope), the one candidate (404 alike for missing and not yours), each
side as the reader may see it, and the decision (the one write path: permission, write, one audit event).

Candidates are not synced (icmc/matching/models.py), so a decision appends nothing to the change feed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput, NotFound
from icmc.access.policy import Perm
from icmc.access.queries import require_perm, visible_cases
from icmc.access.redaction import case_clearance, redact
from icmc.audit.record import record_event
from icmc.cases.models import Case, PersonName
from icmc.matching.models import CandidateStatus, DuplicateCandidate

DECISIONS = (CandidateStatus.SAME_PERSON, CandidateStatus.NOT_SAME)


def visible_candidates(*, actor: Actor) -> QuerySet[DuplicateCandidate]:
    """The candidates of which at least one case is in the actor's `duplicate.decide` scope (none for a role
    without it)."""
    cases = visible_cases(actor=actor, perm=Perm.DUPLICATE_DECIDE, referred=False).values("pk")
    return (DuplicateCandidate.objects.filter(Q(case_a__in=cases) | Q(case_b__in=cases))
            .select_related("case_a__owner", "case_b__owner"))


def open_candidates(*, actor: Actor, limit: int) -> list[DuplicateCandidate]:
    """The open candidates the actor may decide, newest first, at most `limit` (the page and the API)."""
    require_perm(actor=actor, perm=Perm.DUPLICATE_DECIDE)
    return list(visible_candidates(actor=actor).filter(status=CandidateStatus.OPEN)[:limit])


def access_candidate(*, actor: Actor, candidate_id: uuid.UUID | str) -> DuplicateCandidate:
    try:
        return visible_candidates(actor=actor).get(pk=candidate_id)
    except (DuplicateCandidate.DoesNotExist, ValueError) as exc:
        raise NotFound from exc


@dataclass(frozen=True, kw_only=True)
class Side:
    """One person of a candidate as the reader may see it: the owning organisation always; the case reference
    only if the reader sees the case; the names only through redact (P0: `person.view_identity` on the case)."""

    organisation: str
    case_id: uuid.UUID | None
    case_reference: str
    names: list[str]


@dataclass(frozen=True, kw_only=True)
class CandidateView:
    candidate: DuplicateCandidate
    sides: tuple[Side, Side]


def candidate_views(*, actor: Actor, candidates: list[DuplicateCandidate]) -> list[CandidateView]:
    """Each candidate with its two sides as the actor may see them (names decrypted only for the sides whose
    case the actor sees with identities; one query for the visible cases, one for the names)."""
    case_ids = {c.case_a_id for c in candidates} | {c.case_b_id for c in candidates}
    seen = set(visible_cases(actor=actor, referred=True).filter(pk__in=case_ids).values_list("pk", flat=True))
    clear: dict[uuid.UUID, bool] = {}
    for candidate in candidates:
        for case in (candidate.case_a, candidate.case_b):
            if case.pk in seen and case.pk not in clear:
                clear[case.pk] = case_clearance(actor=actor, case=case).identity
    wanted = {c.person_a_id for c in candidates if clear.get(c.case_a_id)} | {
        c.person_b_id for c in candidates if clear.get(c.case_b_id)}
    names: dict[uuid.UUID, list[str]] = {}
    for row in PersonName.objects.filter(person_id__in=wanted).order_by("position"):
        names.setdefault(row.person_id, []).append(row.value)

    def side(case: Case, person_id: uuid.UUID) -> Side:
        if case.pk not in seen:
            return Side(organisation=case.owner.name, case_id=None, case_reference="", names=[])
        shown = redact({"names": names.get(person_id, [])}, model="cases.Person",
                       clearance=case_clearance(actor=actor, case=case))
        return Side(organisation=case.owner.name, case_id=case.pk, case_reference=case.reference,
                    names=list(shown["names"]))

    return [CandidateView(candidate=c, sides=(side(c.case_a, c.person_a_id), side(c.case_b, c.person_b_id)))
            for c in candidates]


@transaction.atomic
def do_decide_duplicate_candidate(candidate_id: uuid.UUID | str, *, actor: Actor, status: str) -> DuplicateCandidate:
    """Decide an open candidate: the same person, or not. Nothing is merged or linked either way."""
    require_perm(actor=actor, perm=Perm.DUPLICATE_DECIDE)
    if status not in DECISIONS:
        raise InvalidInput({"status": ["Choose same_person or not_same."]})
    candidate = access_candidate(actor=actor, candidate_id=candidate_id)
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != CandidateStatus.OPEN:
        raise InvalidInput({"status": ["This candidate was already decided."]})
    candidate.status, candidate.decided_by, candidate.decided_at = status, actor.user, timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    mine = set(visible_cases(actor=actor, perm=Perm.DUPLICATE_DECIDE, referred=False)
               .filter(pk__in=[candidate.case_a_id, candidate.case_b_id]).values_list("pk", flat=True))
    record_event(actor=actor, action="duplicate.decided", object_type="duplicate_candidate", object_id=candidate.id,
                 case_id=candidate.case_a_id if candidate.case_a_id in mine else candidate.case_b_id,
                 changed_fields=["status"], details={"status": status, "role": candidate.role})
    return candidate
