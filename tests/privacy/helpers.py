"""Shared set-up for the privacy tests: a closed case (no automatic hold) with one survivor."""

from __future__ import annotations

from icmc.cases.models import Case, CaseParty, Person
from icmc.demo.world import World
from icmc.privacy import kinds as K
from icmc.privacy.actions import do_decide_approval, do_request_approval
from icmc.privacy.models import ApprovalRequest
from icmc.prosecution.actions import do_close_case
from tests.factories import person_data, report_case

NAME, PHONE = "Kynsai Erasableperson", "+919812300077"
REASON = "Data subject request received in writing, ref DSR-7/2026"


def closed_case(world: World, **overrides: object) -> tuple[Case, Person]:
    """A Shillong-centre case with every place in Meghalaya (so Assam's nodal officer has no scope on it)."""
    overrides.setdefault("destination_jurisdiction", "IN-ML-WEST-JAINTIA-HILLS")
    case = report_case(world, survivors=[person_data(NAME, phone=PHONE, estimated_age=30)], **overrides)
    do_close_case(case, actor=world.actor("cm.meghalaya"), outcome="no_prosecution_possible",
                  reason="The survivor did not wish to pursue; no offence could be proved.")
    person = CaseParty.objects.get(case=case, role="survivor").person
    return Case.objects.get(pk=case.pk), person


def request_erasure(world: World, case: Case, person: Person, username: str = "cm.meghalaya") -> ApprovalRequest:
    return do_request_approval(actor=world.actor(username), kind=K.ERASE_PERSON, case=case, person=person,
                               reason=REASON)


def approved_erasure(world: World, case: Case, person: Person, approver: str = "nodal.meghalaya"
                     ) -> ApprovalRequest:
    approval = request_erasure(world, case, person)
    return do_decide_approval(approval.id, actor=world.actor(approver), approve=True, stepped_up=True)


def erase(world: World, case: Case, person: Person) -> ApprovalRequest:
    """Erase through the one path: close the case if open, ask (case manager), approve (administrator), carry
    out (the case manager)."""
    from icmc.privacy.actions import do_erase_person

    case = Case.objects.get(pk=case.pk)
    if not case.closure_outcome:
        do_close_case(case, actor=world.actor("cm.meghalaya"), outcome="no_prosecution_possible",
                      reason="The survivor did not wish to pursue it.")
    approval = request_erasure(world, case, person)
    do_decide_approval(approval.id, actor=world.actor("admin"), approve=True, stepped_up=True)
    return do_erase_person(approval.id, actor=world.actor("cm.meghalaya"), stepped_up=True)
