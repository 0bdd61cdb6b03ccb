"""Referrals through the pages: the panel, propose, send (refused without consent), answer, consent, received."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from icmc.cases.models import Case
from icmc.demo.world import World
from icmc.referrals.models import Referral
from tests.referrals.conftest import ALL_PROMPTS, SURVIVOR_NAME, SUSPECT_NAME, party
from tests.web.conftest import has_text


def _case_url(case: Case) -> str:
    return reverse("web:case_detail", kwargs={"case_id": case.id})


def _propose_post(world: World, case: Case) -> dict[str, Any]:
    return {"to_organisation": str(world.organisations["shelter_shillong"].id), "purpose": "shelter",
            "survivor": str(party(case).id), "message": "Needs a safe place."}


def _consent_post(case: Case) -> dict[str, Any]:
    return {"survivor": str(party(case).id), "basis": "survivor", "response": "consented",
            "prompts_explained": ALL_PROMPTS, "purposes": ["shelter"], "given_on": "2025-01-10"}


def test_reported_case_page_lists_proposed_referrals(world: World, client_as: Any, case: Case) -> None:
    page = client_as("cm.meghalaya").get(_case_url(case))
    assert page.status_code == 200
    assert has_text(page, 'id="referrals"') and has_text(page, "AHTU East Khasi Hills")
    assert has_text(page, reverse("web:referral_propose", kwargs={"case_id": case.id}))


def test_shelter_referral_through_the_pages(world: World, client_as: Any, case: Case) -> None:
    cm, shelter = client_as("cm.meghalaya"), client_as("shelter.shillong")
    propose_url = reverse("web:referral_propose", kwargs={"case_id": case.id})
    assert cm.get(propose_url).status_code == 200
    assert shelter.get(propose_url).status_code == 404
    assert cm.post(propose_url, _propose_post(world, case)).status_code == 302
    referral = Referral.objects.get(case=case, purpose="shelter")
    send_url = reverse("web:referral_move", kwargs={"referral_id": referral.id, "verb": "send"})
    refused = cm.post(send_url, {"message": ""})
    assert refused.status_code == 200 and has_text(refused, "without consent")
    consent_url = reverse("web:consent_record", kwargs={"case_id": case.id})
    assert cm.get(consent_url).status_code == 200
    assert cm.post(consent_url, _consent_post(case)).status_code == 302
    assert cm.post(send_url, {"message": ""}).status_code == 302

    received = shelter.get(reverse("web:referrals_received"))
    assert received.status_code == 200 and has_text(received, case.reference)
    accept_url = reverse("web:referral_move", kwargs={"referral_id": referral.id, "verb": "accept"})
    assert shelter.get(accept_url).status_code == 200
    assert shelter.post(accept_url, {"message": "Bed ready."}).status_code == 302
    page = shelter.get(_case_url(case))
    assert page.status_code == 200
    assert has_text(page, SURVIVOR_NAME) and not has_text(page, SUSPECT_NAME)

    withdraw_url = reverse("web:referral_move", kwargs={"referral_id": referral.id, "verb": "withdraw"})
    assert shelter.post(withdraw_url, {"message": "x"}).status_code == 403
    assert cm.post(withdraw_url, {"message": ""}).status_code == 200  # message required: form shown again
    assert cm.post(withdraw_url, {"message": "Placed with family."}).status_code == 302
    assert shelter.get(_case_url(case)).status_code == 404


def test_declined_message_on_the_case_page(world: World, client_as: Any, case: Case) -> None:
    cm, shelter = client_as("cm.meghalaya"), client_as("shelter.shillong")
    cm.post(reverse("web:referral_propose", kwargs={"case_id": case.id}), _propose_post(world, case))
    cm.post(reverse("web:consent_record", kwargs={"case_id": case.id}), _consent_post(case))
    referral = Referral.objects.get(case=case, purpose="shelter")
    cm.post(reverse("web:referral_move", kwargs={"referral_id": referral.id, "verb": "send"}), {})
    decline_url = reverse("web:referral_move", kwargs={"referral_id": referral.id, "verb": "decline"})
    assert shelter.post(decline_url, {"message": "No beds free this week."}).status_code == 302
    page = cm.get(_case_url(case))
    assert has_text(page, "No beds free this week.") and has_text(page, "Declined")


def test_pages_denied_to_other_organisations(world: World, client_as: Any, case: Case) -> None:
    other = client_as("cm.assam")
    referral = Referral.objects.filter(case=case).first()
    assert referral is not None
    assert other.get(reverse("web:referral_detail", kwargs={"referral_id": referral.id})).status_code == 404
    assert other.get(reverse("web:consent_record", kwargs={"case_id": case.id})).status_code == 404
    assert client_as("nodal.meghalaya").get(
        reverse("web:consent_record", kwargs={"case_id": case.id})).status_code == 403
    assert client_as("cm.meghalaya").get(
        reverse("web:referral_detail", kwargs={"referral_id": referral.id})).status_code == 200
    assert client_as("admin").get(reverse("web:referrals_received")).status_code == 200
