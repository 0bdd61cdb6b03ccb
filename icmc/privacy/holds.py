"""Legal holds: what keeps a person's record from being erased (docs/privacy.md, security checklist item 15).

Automatic holds are derived on read from the cases the person is a party to:
  open_case  the case is not closed (status Active or Follow-up)
  fir        the case has an FIR and is not closed
  trial      the case has a chargesheet or a hearing, and an accused of it has no verdict yet
Explicit holds (LegalHold rows) are placed with a reason on a case (all its people) or one person of it, and
released with a reason. Any hold blocks erasure.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from icmc.cases.codes import CaseStatus
from icmc.cases.models import Case, CaseParty
from icmc.privacy.models import LegalHold
from icmc.prosecution.models import FIR, Accused, Chargesheet, Hearing

REASONS = {
    "open_case": _("the case is open"),
    "fir": _("an FIR is registered and the case is not closed"),
    "trial": _("a trial is under way (chargesheet or hearing, and an accused without a verdict)"),
    "explicit": _("a legal hold was placed"),
}
OPEN_STATUSES = (CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP)


@dataclass(frozen=True, kw_only=True)
class Hold:
    case_id: uuid.UUID
    case_reference: str
    kind: str  # a key of REASONS
    hold_id: uuid.UUID | None = None  # for an explicit hold

    @property
    def reason(self) -> str:
        return str(REASONS[self.kind])


def holds_on_cases(*, case_ids: list[uuid.UUID], person_id: uuid.UUID | None = None) -> list[Hold]:
    """Every hold on these cases (and, with person_id, the explicit holds on that person in them)."""
    cases = {c.id: c for c in Case.objects.filter(pk__in=case_ids).only("id", "reference", "status")}
    found: list[Hold] = []

    def add(case_id: uuid.UUID, kind: str, hold_id: uuid.UUID | None = None) -> None:
        found.append(Hold(case_id=case_id, case_reference=cases[case_id].reference, kind=kind, hold_id=hold_id))

    open_ids = {cid for cid, c in cases.items() if c.status in OPEN_STATUSES}
    with_fir = set(FIR.objects.filter(case_id__in=cases).values_list("case_id", flat=True))
    tried = (set(Hearing.objects.filter(case_id__in=cases).values_list("case_id", flat=True))
             | set(Chargesheet.objects.filter(accused__case_id__in=cases).values_list("accused__case_id", flat=True)))
    undecided = set(Accused.objects.filter(case_id__in=cases, verdict__isnull=True)
                    .values_list("case_id", flat=True))
    explicit = LegalHold.objects.filter(case_id__in=cases, released_at__isnull=True)
    explicit = explicit.filter(Q(person__isnull=True) | Q(person_id=person_id)) if person_id else \
        explicit.filter(person__isnull=True)
    for case_id in sorted(cases, key=lambda c: cases[c].reference):
        if case_id in open_ids:
            add(case_id, "open_case")
        if case_id in with_fir and case_id in open_ids:
            add(case_id, "fir")
        if case_id in tried and case_id in undecided:
            add(case_id, "trial")
    for hold in explicit.order_by("created_at"):
        add(hold.case_id, "explicit", hold.id)
    return found


def holds_on_person(*, person_id: uuid.UUID) -> list[Hold]:
    """Every hold that blocks erasing this person, over every case they are a party to."""
    case_ids = list(CaseParty.objects.filter(person_id=person_id).values_list("case_id", flat=True).distinct())
    return holds_on_cases(case_ids=case_ids, person_id=person_id)


def hold_message(holds: list[Hold]) -> str:
    """The clear refusal for an erasure under hold: which case, which hold (never who the person is)."""
    lines = "; ".join(f"{h.case_reference}: {h.reason}" for h in holds)
    return str(_("This person cannot be erased while a legal hold applies (%(holds)s). Erasure is possible once "
                 "every case is closed, no trial is pending and explicit holds are released.")
               % {"holds": lines})


def explicit_holds(*, case_ids: list[uuid.UUID]) -> list[LegalHold]:
    return list(LegalHold.objects.filter(case_id__in=case_ids).select_related("case", "placed_by", "organisation")
                .order_by("-created_at"))
