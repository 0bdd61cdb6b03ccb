"""Sending a case across a border needs a second person's approval and step-up (checklist item 11)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from icmc.access.errors import InvalidInput, NotFound, PermissionDenied
from icmc.audit.models import AuditEvent
from icmc.cases.models import CaseParty
from icmc.identity import session as mfa_session
from icmc.privacy import kinds as K
from icmc.privacy.actions import do_decide_approval, do_request_approval
from icmc.privacy.models import ApprovalRequest, ApprovalState
from icmc.referrals.actions import do_propose_referral, do_record_consent, do_send_referral
from icmc.referrals.inputs import ConsentInput, ProposeReferralInput
from icmc.referrals.models import Referral
from tests.factories import person_data, report_case

PROMPTS = ("purpose", "uses", "access_right", "retention", "withdrawal")


def _referral(world, *, to: str = "partner_np", purpose: str = "repatriation") -> Referral:
    case = report_case(world, survivors=[person_data("Maya Crossborder", estimated_age=22, citizenship=["NP"])],
                       destination_jurisdiction="IN-ML-WEST-JAINTIA-HILLS")
    survivor = CaseParty.objects.get(case=case, role="survivor")
    actor = world.actor("cm.meghalaya")
    do_record_consent(case, actor=actor, data=ConsentInput(
        party=survivor, basis="survivor", response="consented", prompts_explained=PROMPTS,
        purposes=("repatriation", "shelter"), reason="", given_on=datetime.date(2026, 1, 10)))
    return do_propose_referral(case, actor=actor, data=ProposeReferralInput(
        to_organisation=world.organisations[to], purpose=purpose, party=survivor, message=""))


def _ask(world, referral: Referral) -> ApprovalRequest:
    return do_request_approval(actor=world.actor("cm.meghalaya"), kind=K.CROSS_BORDER_REFERRAL,
                               referral=referral, reason="Repatriation to her family in Nepal, HIR done")


def test_sending_abroad_needs_an_approved_request(world):
    referral = _referral(world)
    with pytest.raises(InvalidInput) as refused:
        do_send_referral(referral, actor=world.actor("cm.meghalaya"), stepped_up=True)
    assert "approval" in refused.value.errors
    approval = _ask(world, referral)
    with pytest.raises(InvalidInput):  # asked, not yet approved
        do_send_referral(referral, actor=world.actor("cm.meghalaya"), stepped_up=True)
    with pytest.raises(NotFound):  # administrators decide erasures only
        do_decide_approval(approval.id, actor=world.actor("admin"), approve=True, stepped_up=True)
    do_decide_approval(approval.id, actor=world.actor("nodal.meghalaya"), approve=True, stepped_up=True)
    with pytest.raises(PermissionDenied, match="Confirm it is you"):
        do_send_referral(referral, actor=world.actor("cm.meghalaya"), stepped_up=False)
    sent = do_send_referral(referral, actor=world.actor("cm.meghalaya"), stepped_up=True)
    assert sent.state == "sent"
    assert ApprovalRequest.objects.get(pk=approval.pk).state == ApprovalState.EXECUTED
    event = AuditEvent.objects.get(action="referral.sent")
    assert event.details["approval"] == str(approval.id)


def test_a_referral_within_the_country_needs_no_approval(world):
    referral = _referral(world, to="shelter_shillong", purpose="shelter")
    with pytest.raises(InvalidInput) as refused:
        _ask(world, referral)
    assert "does not cross a border" in refused.value.errors["referral"][0]
    assert do_send_referral(referral, actor=world.actor("cm.meghalaya")).state == "sent"


def test_the_referral_page_asks_for_step_up_before_sending_abroad(world):
    referral = _referral(world)
    approval = _ask(world, referral)
    do_decide_approval(approval.id, actor=world.actor("nodal.meghalaya"), approve=True, stepped_up=True)
    client = Client()
    client.force_login(world.users["cm.meghalaya"])
    store = client.session
    store[mfa_session.MFA_AT] -= 10 * 60
    store.save()
    stale = client.post(f"/referrals/{referral.id}/send/", {"message": ""})
    assert stale.status_code == 302 and stale["Location"].startswith("/account/mfa/step-up/")
    assert Referral.objects.get(pk=referral.pk).state == "proposed"
    fresh = Client()
    fresh.force_login(world.users["cm.meghalaya"])
    assert fresh.post(f"/referrals/{referral.id}/send/", {"message": ""}).status_code == 302
    assert Referral.objects.get(pk=referral.pk).state == "sent"


def test_asking_on_the_referral_page(world):
    referral = _referral(world)
    client = Client()
    client.force_login(world.users["cm.meghalaya"])
    assert "Ask for approval" in client.get(f"/referrals/{referral.id}/").content.decode()
    asked = client.post(f"/approvals/new/referral/{referral.id}/", {"reason": "Repatriation after the HIR"})
    approval = ApprovalRequest.objects.get(referral=referral)
    assert asked.status_code == 302 and asked["Location"] == f"/approvals/{approval.id}/"
