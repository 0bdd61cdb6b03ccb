"""Two-person approval and erasure (security checklist items 11, 12, 15): the rules, through the actions."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from icmc.access.errors import InvalidInput, NotFound, PermissionDenied
from icmc.accounts.models import Membership
from icmc.accounts.reference import Role
from icmc.audit.models import AuditEvent
from icmc.cases.models import PersonName, PersonPhone
from icmc.privacy import kinds as K
from icmc.privacy.actions import do_decide_approval, do_erase_person, do_request_approval
from icmc.privacy.approvals import access_approval, requests_to_decide
from icmc.privacy.models import ApprovalRequest, ApprovalState
from icmc.vault.models import PersonKey
from icmc.vault.search import persons_by_name, persons_by_phone
from tests.factories import person_data, report_case
from tests.privacy.helpers import NAME, PHONE, approved_erasure, closed_case, request_erasure


def test_asked_approved_and_carried_out_the_identity_is_unreadable(world):
    case, person = closed_case(world)
    approval = approved_erasure(world, case, person)
    assert approval.state == ApprovalState.APPROVED and approval.decided_by == world.users["nodal.meghalaya"]
    do_erase_person(approval.id, actor=world.actor("cm.meghalaya"), stepped_up=True)
    assert PersonKey.objects.get(person=person).destroyed_at is not None
    assert {n.value for n in PersonName.objects.filter(person=person)} == {"[erased]"}
    assert [p.number for p in PersonPhone.objects.filter(person=person)] == ["[erased]"]
    assert not persons_by_name(NAME).exists() and not persons_by_phone(PHONE).exists()
    assert ApprovalRequest.objects.get(pk=approval.pk).state == ApprovalState.EXECUTED
    actions = list(AuditEvent.objects.filter(object_id__in=[str(approval.id), str(person.id)])
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["approval.requested", "approval.approved", "person.erased"]
    erased = AuditEvent.objects.get(action="person.erased")
    assert erased.details["approval"] == str(approval.id) and erased.role == Role.CASE_MANAGER
    assert NAME not in str(list(AuditEvent.objects.values_list("details", flat=True)))


def test_an_administrator_may_approve_an_erasure(world):
    case, person = closed_case(world)
    approval = approved_erasure(world, case, person, approver="admin")
    assert approval.state == ApprovalState.APPROVED


def test_the_requester_cannot_approve_even_holding_a_deciding_role(world):
    """nodal.meghalaya also works as a case manager of the Shillong centre: asking in one role and approving in
    the other is still one person."""
    user = world.users["nodal.meghalaya"]
    now = timezone.now()
    membership = Membership.objects.create(user=user, organisation=world.organisations["centre_ml"],
                                           role=Role.CASE_MANAGER, created_at=now, updated_at=now)
    case, person = closed_case(world)
    from icmc.access.actor import Actor

    approval = do_request_approval(actor=Actor(user=user, membership=membership, via="cli"),
                                   kind=K.ERASE_PERSON, case=case, person=person, reason="Subject asked, DSR-9")
    with pytest.raises(PermissionDenied, match="another person"):
        do_decide_approval(approval.id, actor=world.actor("nodal.meghalaya"), approve=True, stepped_up=True)
    assert approval not in requests_to_decide(actor=world.actor("nodal.meghalaya"))
    assert ApprovalRequest.objects.get(pk=approval.pk).state == ApprovalState.PENDING


def test_deciding_and_carrying_out_need_step_up(world):
    case, person = closed_case(world)
    approval = request_erasure(world, case, person)
    with pytest.raises(PermissionDenied, match="Confirm it is you"):
        do_decide_approval(approval.id, actor=world.actor("nodal.meghalaya"), approve=True, stepped_up=False)
    do_decide_approval(approval.id, actor=world.actor("nodal.meghalaya"), approve=True, stepped_up=True)
    with pytest.raises(PermissionDenied, match="Confirm it is you"):
        do_erase_person(approval.id, actor=world.actor("cm.meghalaya"), stepped_up=False)
    assert PersonKey.objects.get(person=person).destroyed_at is None
    assert ApprovalRequest.objects.get(pk=approval.pk).state == ApprovalState.APPROVED


def test_expired_requests_and_approvals_are_refused(world):
    case, person = closed_case(world)
    approval = request_erasure(world, case, person)
    ApprovalRequest.objects.filter(pk=approval.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(InvalidInput) as lapsed:
        do_decide_approval(approval.id, actor=world.actor("nodal.meghalaya"), approve=True, stepped_up=True)
    assert "lapsed" in str(lapsed.value.errors["state"])
    again = request_erasure(world, case, person)  # a lapsed request does not block asking again
    do_decide_approval(again.id, actor=world.actor("nodal.meghalaya"), approve=True, stepped_up=True)
    ApprovalRequest.objects.filter(pk=again.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(InvalidInput, match="invalid input") as late:
        do_erase_person(again.id, actor=world.actor("cm.meghalaya"), stepped_up=True)
    assert "lapsed" in str(late.value.errors["state"])
    assert PersonKey.objects.get(person=person).destroyed_at is None


def test_an_approval_is_used_once(world):
    case, person = closed_case(world)
    approval = approved_erasure(world, case, person)
    do_erase_person(approval.id, actor=world.actor("cm.meghalaya"), stepped_up=True)
    with pytest.raises(InvalidInput) as twice:
        do_erase_person(approval.id, actor=world.actor("cm.meghalaya"), stepped_up=True)
    assert "already been used" in str(twice.value.errors["state"])
    assert AuditEvent.objects.filter(action="person.erased").count() == 1


def test_only_the_requester_carries_it_out(world):
    case, person = closed_case(world)
    approval = approved_erasure(world, case, person)
    with pytest.raises(PermissionDenied, match="Only the person who asked"):
        do_erase_person(approval.id, actor=world.actor("nodal.meghalaya"), stepped_up=True)
    with pytest.raises(NotFound):  # not the requester, and may not decide it
        do_erase_person(approval.id, actor=world.actor("cm.assam"), stepped_up=True)


def test_refusal_needs_a_note_and_ends_the_request(world):
    case, person = closed_case(world)
    approval = request_erasure(world, case, person)
    with pytest.raises(InvalidInput):
        do_decide_approval(approval.id, actor=world.actor("admin"), approve=False, note="", stepped_up=True)
    do_decide_approval(approval.id, actor=world.actor("admin"), approve=False, note="Identity not verified",
                       stepped_up=True)
    with pytest.raises(InvalidInput, match="invalid input"):
        do_erase_person(approval.id, actor=world.actor("cm.meghalaya"), stepped_up=True)
    assert AuditEvent.objects.filter(action="approval.refused").count() == 1


@pytest.mark.parametrize("username", ["nodal.assam", "ahtu.ekh", "cm.assam", "media.shillong", "analyst"])
def test_outside_the_deciders_scope_the_request_does_not_exist(world, username):
    case, person = closed_case(world)
    approval = request_erasure(world, case, person)
    with pytest.raises(NotFound):
        access_approval(actor=world.actor(username), approval_id=approval.id)
    with pytest.raises(NotFound):
        do_decide_approval(approval.id, actor=world.actor(username), approve=True, stepped_up=True)
    assert not requests_to_decide(actor=world.actor(username)).exists()


@pytest.mark.parametrize("username", ["nodal.meghalaya", "shelter.shillong", "ahtu.ekh", "admin"])
def test_only_the_owners_case_managers_may_ask_for_an_erasure(world, username):
    case, person = closed_case(world)
    with pytest.raises((PermissionDenied, NotFound)):
        request_erasure(world, case, person, username=username)


def test_one_live_request_at_a_time_and_unknown_kinds_refused(world):
    case, person = closed_case(world)
    request_erasure(world, case, person)
    with pytest.raises(InvalidInput, match="invalid input") as dup:
        request_erasure(world, case, person)
    assert "already asked" in str(dup.value.errors["kind"])
    for kind in ("nonsense", K.PUBLISH_CHILD_ALERT):  # declared, but media alerts do not exist yet
        with pytest.raises(InvalidInput):
            do_request_approval(actor=world.actor("cm.meghalaya"), kind=kind, case=case, person=person,
                                reason="A long enough reason")
    with pytest.raises(InvalidInput):
        do_request_approval(actor=world.actor("cm.meghalaya"), kind=K.ERASE_PERSON, case=case, person=person,
                            reason="short")


def test_an_open_case_fir_or_trial_blocks_erasure_with_a_clear_message(world):
    case = report_case(world, survivors=[person_data("Held Openperson")], fir_police_station_name="Sadar PS",
                       fir_number="9/2026")
    person = case.parties.get(role="survivor").person
    with pytest.raises(InvalidInput) as held:
        request_erasure(world, case, person)
    message = held.value.errors["hold"][0]
    assert case.reference in message and "FIR" in message and "case is open" in message
    assert "Openperson" not in message
    assert not ApprovalRequest.objects.exists()


def test_a_hold_placed_after_approval_blocks_the_erasure(world):
    from icmc.privacy.actions import do_place_hold, do_release_hold

    case, person = closed_case(world)
    approval = approved_erasure(world, case, person)
    hold = do_place_hold(case, actor=world.actor("nodal.meghalaya"), reason="Court order 12/2026 to preserve")
    with pytest.raises(InvalidInput) as held:
        do_erase_person(approval.id, actor=world.actor("cm.meghalaya"), stepped_up=True)
    assert "legal hold" in held.value.errors["hold"][0]
    assert PersonKey.objects.get(person=person).destroyed_at is None
    assert ApprovalRequest.objects.get(pk=approval.pk).state == ApprovalState.APPROVED  # rolled back, not used
    do_release_hold(hold.id, actor=world.actor("cm.meghalaya"), reason="Order lifted on appeal 3/2027")
    do_erase_person(approval.id, actor=world.actor("cm.meghalaya"), stepped_up=True)
    assert PersonKey.objects.get(person=person).destroyed_at is not None
    assert AuditEvent.objects.filter(action__in=["hold.placed", "hold.released"]).count() == 2
