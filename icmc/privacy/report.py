""""What we hold about this person, and with whom it was shared" (docs/privacy.md): for the owner's case manager
and the state nodal officer, through one case they see the person in. Reading it is audited
(`person.data_reported`). It lists categories and counts, never the values themselves: the case page shows those
to whoever may see them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q

from icmc.access.actor import Actor
from icmc.access.errors import NotFound
from icmc.access.policy import Perm
from icmc.access.queries import access_case, visible_cases, visible_parties
from icmc.audit.record import record_event
from icmc.cases.models import Case, CaseParty, Person, PersonName, PersonPhone
from icmc.privacy.approvals import state_of
from icmc.privacy.holds import Hold, holds_on_person
from icmc.privacy.models import ApprovalRequest, Disclosure, LegalHold
from icmc.referrals.models import Consent
from icmc.vault.actions import is_erased


@dataclass(frozen=True, kw_only=True)
class PersonReport:
    person: Person
    case: Case
    erased: bool
    cases: list[dict[str, Any]]  # the cases the reader sees the person in: id, reference, role
    held: dict[str, int]  # category -> how many records
    holds: list[Hold]
    explicit_holds: list[LegalHold]
    approvals: list[dict[str, Any]]
    consents: list[Consent]
    disclosures: list[Any] = field(default_factory=list)


def access_person_in_case(*, actor: Actor, case_id: uuid.UUID | str, person_id: uuid.UUID | str,
                          perm: Perm) -> tuple[Case, Person]:
    """The case (the actor holds `perm` on it) and a person of it the actor may see; NotFound else."""
    case = access_case(actor=actor, case_id=case_id, perm=perm)
    try:
        party = visible_parties(actor=actor).select_related("person").filter(case=case, person_id=person_id).first()
    except (ValueError, TypeError) as exc:
        raise NotFound from exc
    if party is None:
        raise NotFound
    return case, party.person


def _build(*, actor: Actor, case: Case, person: Person) -> PersonReport:
    parties = (CaseParty.objects.filter(person=person, case__in=visible_cases(actor=actor))
               .select_related("case").order_by("case__reported_at"))
    case_ids = [p.case_id for p in parties]
    approvals = [{"id": a.id, "kind": a.kind, "state": state_of(a), "created_at": a.created_at,
                  "decided_at": a.decided_at, "executed_at": a.executed_at}
                 for a in ApprovalRequest.objects.filter(person=person).order_by("-created_at")]
    return PersonReport(
        person=person, case=case, erased=is_erased(person_id=person.id),
        cases=[{"id": p.case_id, "reference": p.case.reference, "role": p.role} for p in parties],
        held={"names": PersonName.objects.filter(person=person).count(),
              "phones": PersonPhone.objects.filter(person=person).count(),
              "birth_date": int(person.birth_date is not None),
              "cases": len(case_ids)},
        holds=holds_on_person(person_id=person.id),
        explicit_holds=list(LegalHold.objects.filter(Q(person__isnull=True) | Q(person=person),
                                                     case_id__in=case_ids)
                            .select_related("case", "placed_by", "organisation").order_by("-created_at")),
        approvals=approvals,
        consents=list(Consent.objects.filter(party__person=person, case_id__in=case_ids)
                      .select_related("case", "organisation").order_by("-created_at")),
        disclosures=list(Disclosure.objects.filter(person=person, case_id__in=case_ids)
                         .select_related("to_organisation", "case").order_by("-disclosed_at")),
    )


@transaction.atomic
def do_report_person_data(*, actor: Actor, case_id: uuid.UUID | str, person_id: uuid.UUID | str
                          ) -> PersonReport:
    """The report, for someone holding `person.privacy_report` on the case; the reading is audited."""
    case, person = access_person_in_case(actor=actor, case_id=case_id, person_id=person_id,
                                         perm=Perm.PRIVACY_REPORT)
    report = _build(actor=actor, case=case, person=person)
    record_event(actor=actor, action="person.data_reported", object_type="person", object_id=person.id,
                 case_id=case.id, details={"cases": len(report.cases)})
    return report
