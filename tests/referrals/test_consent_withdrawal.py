"""Withdrawing consent (docs/referrals.md, docs/privacy.md): when a survivor's consent for a purpose is withdrawn
(or refused after it was given), the sent or accepted referrals that relied on it are withdrawn through the
referral action (a transition row, one `referral.withdrawn` audit event naming the consent), their share-ledger
rows get an end, the receiving organisation is told without names, and it loses the case: the same 404 by page
and API as for a case that does not exist."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.urls import reverse

from icmc.audit.models import AuditEvent
from icmc.cases.models import Case
from icmc.deadlines.models import Notification
from icmc.demo.world import World
from icmc.privacy.models import Disclosure
from icmc.referrals.models import Referral, ReferralTransition
from tests.referrals.conftest import SURVIVOR_NAME, consent_body, party, propose

pytestmark = pytest.mark.django_db


def _page(content: bytes, case_id: object) -> bytes:
    """A page without what differs on every answer (the CSRF token, the CSP nonce) and the id asked for."""
    content = re.sub(rb'(value|nonce)="[^"]*"', b"", content)
    return content.replace(str(case_id).encode(), b"")


def _send(api: Any, case: Case, world: World, *, to: str, purpose: str) -> str:
    referral_id = propose(api, case, world, to=to, purpose=purpose).json()["id"]
    assert api.post(f"/referrals/{referral_id}/send", {"message": ""}).status_code == 200
    return str(referral_id)


def test_withdrawing_consent_withdraws_the_referrals_relying_on_it(
        world: World, api_as: Any, client_as: Any, case: Case) -> None:
    cm = api_as("cm.meghalaya")
    assert cm.post(f"/cases/{case.id}/consents", consent_body(case, purposes=["shelter", "medical"])).status_code \
        == 201
    shelter_id = _send(cm, case, world, to="shelter_shillong", purpose="shelter")
    medical_id = _send(cm, case, world, to="centre_as", purpose="medical")
    shelter = api_as("shelter.shillong")
    assert shelter.post(f"/referrals/{shelter_id}/accept", {}).status_code == 200  # accepted: in progress
    assert shelter.get(f"/cases/{case.id}").status_code == 200
    assert client_as("shelter.shillong").get(reverse("web:case_detail", kwargs={"case_id": case.id})) \
        .status_code == 200
    assert Disclosure.objects.filter(referral_id=shelter_id, ended_at__isnull=True).count() == 1

    withdrawal = cm.post(f"/cases/{case.id}/consents", consent_body(
        case, response="withdrawn", prompts_explained=[], purposes=["shelter"], given_on="2025-02-01"))
    assert withdrawal.status_code == 201, withdrawal.json()

    # The shelter referral is withdrawn through the referral action; the medical one (still consented) is not.
    assert Referral.objects.get(pk=shelter_id).state == "withdrawn"
    assert Referral.objects.get(pk=medical_id).state == "sent"
    step = ReferralTransition.objects.get(referral_id=shelter_id, to_state="withdrawn")
    assert step.from_state == "accepted" and step.actor == world.users["cm.meghalaya"]
    event = AuditEvent.objects.get(action="referral.withdrawn", object_id=str(shelter_id))
    assert event.details["reason"] == "consent_withdrawn"
    assert event.details["consent"] == withdrawal.json()["id"] and event.details["disclosures_ended"] == 1
    # The ledger rows of that referral end; the other referral's rows last.
    ended = Disclosure.objects.get(referral_id=shelter_id)
    assert ended.ended_at is not None and ended.end_reason == "consent_withdrawn"
    assert Disclosure.objects.get(referral_id=medical_id).ended_at is None
    report = cm.get(f"/cases/{case.id}/persons/{party(case).person_id}/privacy").json()["disclosures"]
    assert sorted(d["end_reason"] for d in report) == ["", "consent_withdrawn"]
    # The receiving organisation is told, without the survivor's name.
    told = Notification.objects.get(kind="referral_withdrawn", organisation=world.organisations["shelter_shillong"])
    assert case.reference in told.text
    assert not any(word in told.text for word in SURVIVOR_NAME.split())

    # It loses the case: the same 404 as a case that does not exist, by API and by page.
    missing = uuid.uuid4()
    gone, absent = shelter.get(f"/cases/{case.id}"), shelter.get(f"/cases/{missing}")
    assert gone.status_code == absent.status_code == 404 and gone.json() == absent.json()
    assert shelter.get(f"/persons/{party(case).person_id}").status_code == 404
    page = client_as("shelter.shillong")
    gone_page = page.get(reverse("web:case_detail", kwargs={"case_id": case.id}))
    absent_page = page.get(reverse("web:case_detail", kwargs={"case_id": missing}))
    assert gone_page.status_code == absent_page.status_code == 404
    assert _page(gone_page.content, case.id) == _page(absent_page.content, missing)
    # The organisation whose referral still rests on consent keeps it.
    assert api_as("cm.assam").get(f"/cases/{case.id}").status_code == 200


def test_a_refusal_withdraws_a_whole_case_referral_and_only_a_deciding_basis_counts(
        world: World, api_as: Any, case: Case) -> None:
    cm = api_as("cm.meghalaya")
    cm.post(f"/cases/{case.id}/consents", consent_body(case, purposes=["prosecution"]))
    whole = propose(cm, case, world, to="prosecution_ekh", purpose="prosecution", whole_case=True).json()["id"]
    assert cm.post(f"/referrals/{whole}/send", {}).status_code == 200
    refused = consent_body(case, response="refused", prompts_explained=[], purposes=["prosecution"])
    assert cm.post(f"/cases/{case.id}/consents", refused).status_code == 201
    assert Referral.objects.get(pk=whole).state == "withdrawn"
    assert api_as("prosecutor.ekh").get(f"/cases/{case.id}").status_code == 404
    # Sent again on an override (written reason): a refusal on a basis that does not decide for an adult (a
    # guardian's) leaves it; the survivor's own refusal, the latest record that decides, withdraws it.
    override = consent_body(case, basis="override", response="", prompts_explained=[], purposes=["prosecution"],
                            reason="The trial needs her statement; the court ordered the disclosure.")
    assert cm.post(f"/cases/{case.id}/consents", override).status_code == 201
    again = propose(cm, case, world, to="prosecution_ekh", purpose="prosecution", whole_case=True).json()["id"]
    assert cm.post(f"/referrals/{again}/send", {}).status_code == 200
    guardian = {**refused, "basis": "guardian"}
    assert cm.post(f"/cases/{case.id}/consents", guardian).status_code == 201
    assert Referral.objects.get(pk=again).state == "sent"
    assert cm.post(f"/cases/{case.id}/consents", refused).status_code == 201
    assert Referral.objects.get(pk=again).state == "withdrawn"

def test_withdrawing_or_declining_a_referral_by_hand_ends_its_ledger_rows(
        world: World, api_as: Any, case: Case) -> None:
    cm = api_as("cm.meghalaya")
    cm.post(f"/cases/{case.id}/consents", consent_body(case, purposes=["shelter", "medical"]))
    shelter_id = _send(cm, case, world, to="shelter_shillong", purpose="shelter")
    assert cm.post(f"/referrals/{shelter_id}/withdraw", {"message": "Placed elsewhere."}).status_code == 200
    assert Disclosure.objects.get(referral_id=shelter_id).end_reason == "referral_withdrawn"
    medical_id = _send(cm, case, world, to="centre_as", purpose="medical")
    assert api_as("cm.assam").post(f"/referrals/{medical_id}/decline", {"message": "No doctor."}).status_code \
        == 200
    assert Disclosure.objects.get(referral_id=medical_id).end_reason == "referral_declined"
