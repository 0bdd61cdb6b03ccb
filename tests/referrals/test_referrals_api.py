"""Referrals through the API: proposals on report, sharing by purpose, states, consent, allowed and denied."""

from __future__ import annotations

from typing import Any

from icmc.audit.models import AuditEvent
from icmc.cases.codes import PartyRole
from icmc.cases.models import Case
from icmc.demo.world import World
from icmc.referrals.models import Referral
from tests.factories import person_data, report_data
from tests.referrals.conftest import consent_body, party, propose, sent_shelter_referral


def test_reporting_a_case_proposes_referrals_to_its_ahtus_and_partners(world: World, api_as: Any) -> None:
    cm = api_as("cm.meghalaya")
    body = report_data(source_ahtu=str(world.organisations["ahtu_ekh"].id),
                       destination_ahtu=str(world.organisations["ahtu_wjh"].id),
                       destination_jurisdiction="IN-ML-WEST-JAINTIA-HILLS",
                       survivors=[person_data()], suspects=[])
    response = cm.post("/cases", body)
    assert response.status_code == 201
    case_id = response.json()["id"]
    referrals = cm.get(f"/cases/{case_id}/referrals").json()
    got = {(r["to_organisation"]["id"], r["purpose"], r["state"], r["automatic"]) for r in referrals}
    orgs = world.organisations
    assert (str(orgs["ahtu_ekh"].id), "investigation", "proposed", True) in got
    assert (str(orgs["ahtu_wjh"].id), "investigation", "proposed", True) in got
    # The registered NGO shelter of Meghalaya (source and destination state): rescue and repatriation.
    assert (str(orgs["shelter_ngo_jowai"].id), "rescue", "proposed", True) in got
    assert (str(orgs["shelter_ngo_jowai"].id), "repatriation", "proposed", True) in got
    assert not any(r["to_organisation"]["id"] == str(orgs["partner_np"].id) for r in referrals)
    # Still one audit event for the report, counting the proposals.
    event = AuditEvent.objects.get(action="case.reported", case_id=case_id)
    assert event.details["referrals_proposed"] == len(referrals) == 4


def test_a_case_from_nepal_is_proposed_to_the_partner_there(world: World, api_as: Any) -> None:
    cm = api_as("cm.meghalaya")
    body = report_data(source_jurisdiction="NP-P3", survivors=[person_data()], suspects=[])
    case_id = cm.post("/cases", body).json()["id"]
    referrals = cm.get(f"/cases/{case_id}/referrals").json()
    assert {(r["to_organisation"]["id"], r["purpose"]) for r in referrals} == {
        (str(world.organisations["partner_np"].id), "repatriation")}


def test_shelter_sees_the_referred_survivor_and_not_the_accused(world: World, api_as: Any, case: Case) -> None:
    shelter = api_as("shelter.shillong")
    survivor, accused = party(case), party(case, PartyRole.SUSPECT)
    assert shelter.get(f"/cases/{case.id}").status_code == 404  # nothing before a referral is sent
    referral_id = sent_shelter_referral(api_as, case, world)
    assert shelter.post(f"/referrals/{referral_id}/accept", {"message": "We have a bed."}).status_code == 200

    detail = shelter.get(f"/cases/{case.id}")
    assert detail.status_code == 200
    parties = detail.json()["parties"]
    assert [p["role"] for p in parties] == ["survivor"]
    assert parties[0]["person"]["names"]  # identity and care fields of the referred survivor
    assert parties[0]["person"]["gender"] == "Feminine"
    assert detail.json()["firs"] == [] and all(p["detail"] == "" for p in detail.json()["places"])
    assert shelter.get(f"/persons/{survivor.person_id}").status_code == 200
    assert shelter.get(f"/persons/{accused.person_id}").status_code == 404
    # The case manager still sees everyone.
    roles = {p["role"] for p in api_as("cm.meghalaya").get(f"/cases/{case.id}").json()["parties"]}
    assert roles == {"survivor", "suspect", "reporter"}


def test_investigation_referral_shares_the_whole_case(world: World, api_as: Any, case: Case) -> None:
    cm = api_as("cm.meghalaya")
    cm.post(f"/cases/{case.id}/consents", consent_body(case, purposes=["prosecution"]))
    referral_id = propose(cm, case, world, to="prosecution_ekh", purpose="prosecution", whole_case=True).json()["id"]
    assert cm.post(f"/referrals/{referral_id}/send", {}).status_code == 200
    prosecutor = api_as("prosecutor.ekh")
    roles = {p["role"] for p in prosecutor.get(f"/cases/{case.id}").json()["parties"]}
    assert roles == {"survivor", "suspect", "reporter"}
    assert prosecutor.get(f"/persons/{party(case, PartyRole.SUSPECT).person_id}").status_code == 200


def test_declined_referral_is_visible_to_the_case_manager_with_its_message(world: World, api_as: Any,
                                                                           case: Case) -> None:
    referral_id = sent_shelter_referral(api_as, case, world)
    shelter = api_as("shelter.shillong")
    refused = shelter.post(f"/referrals/{referral_id}/decline", {"message": ""})
    assert refused.status_code == 422 and "message" in refused.json()["errors"]
    assert shelter.post(f"/referrals/{referral_id}/decline", {"message": "No beds free this week."}).status_code \
        == 200
    rows = api_as("cm.meghalaya").get(f"/cases/{case.id}/referrals").json()
    declined = next(r for r in rows if r["id"] == referral_id)
    assert declined["state"] == "declined"
    assert declined["transitions"][-1]["message"] == "No beds free this week."
    assert declined["transitions"][-1]["organisation"]["id"] == str(world.organisations["shelter_shillong"].id)
    assert shelter.get(f"/cases/{case.id}").status_code == 404  # declined: no access


def test_withdrawn_referral_ends_access(world: World, api_as: Any, case: Case) -> None:
    referral_id = sent_shelter_referral(api_as, case, world)
    shelter = api_as("shelter.shillong")
    assert shelter.get(f"/cases/{case.id}").status_code == 200
    cm = api_as("cm.meghalaya")
    assert cm.post(f"/referrals/{referral_id}/withdraw", {"message": ""}).status_code == 422
    assert cm.post(f"/referrals/{referral_id}/withdraw", {"message": "Placed elsewhere."}).status_code == 200
    assert shelter.get(f"/cases/{case.id}").status_code == 404
    assert shelter.get(f"/persons/{party(case).person_id}").status_code == 404
    assert shelter.post(f"/cases/{case.id}/notes", {"body": "Late note"}).status_code == 404


def test_completed_referral_keeps_read_only_access(world: World, api_as: Any, case: Case) -> None:
    referral_id = sent_shelter_referral(api_as, case, world)
    shelter = api_as("shelter.shillong")
    assert shelter.post(f"/cases/{case.id}/notes", {"body": "Arrived safely."}).status_code == 201
    shelter.post(f"/referrals/{referral_id}/accept", {})
    assert shelter.post(f"/referrals/{referral_id}/complete", {"message": "Discharged home."}).status_code == 200
    assert shelter.get(f"/cases/{case.id}").status_code == 200
    assert shelter.post(f"/cases/{case.id}/notes", {"body": "Another"}).status_code == 403


def test_sending_without_consent_is_refused(world: World, api_as: Any, case: Case) -> None:
    cm = api_as("cm.meghalaya")
    referral_id = propose(cm, case, world).json()["id"]
    response = cm.post(f"/referrals/{referral_id}/send", {})
    assert response.status_code == 422
    assert "consent" in response.json()["errors"]
    assert Referral.objects.get(pk=referral_id).state == "proposed"
    # Consent for another purpose does not cover it; a refusal does not either.
    cm.post(f"/cases/{case.id}/consents", consent_body(case, purposes=["medical"]))
    assert cm.post(f"/referrals/{referral_id}/send", {}).status_code == 422
    cm.post(f"/cases/{case.id}/consents", consent_body(case, response="refused"))
    assert cm.post(f"/referrals/{referral_id}/send", {}).status_code == 422


def test_a_child_needs_a_guardian_or_cwc_and_an_override_goes_through_audited(world: World, api_as: Any,
                                                                              minor_case: Case) -> None:
    cm = api_as("cm.meghalaya")
    referral_id = propose(cm, minor_case, world).json()["id"]
    # The child's own consent is not enough.
    cm.post(f"/cases/{minor_case.id}/consents", consent_body(minor_case, response="assented"))
    cm.post(f"/cases/{minor_case.id}/consents", consent_body(minor_case))
    assert cm.post(f"/referrals/{referral_id}/send", {}).status_code == 422
    # An override needs a written reason.
    no_reason = cm.post(f"/cases/{minor_case.id}/consents",
                        consent_body(minor_case, basis="override", response="", prompts_explained=[]))
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["errors"]
    override = cm.post(f"/cases/{minor_case.id}/consents", consent_body(
        minor_case, basis="override", response="", prompts_explained=[],
        reason="The guardian is named as the recruiter; CWC sitting awaited."))
    assert override.status_code == 201
    assert cm.post(f"/referrals/{referral_id}/send", {}).status_code == 200
    event = AuditEvent.objects.get(action="consent.overridden", case_id=minor_case.id)
    assert event.details["basis"] == "override" and "reason" in event.changed_fields
    sent = AuditEvent.objects.get(action="referral.sent", object_id=referral_id)
    assert sent.details["consent_bases"] == ["override"]


def test_a_cwc_decision_counts_for_a_child(world: World, api_as: Any, minor_case: Case) -> None:
    cm = api_as("cm.meghalaya")
    referral_id = propose(cm, minor_case, world).json()["id"]
    recorded = cm.post(f"/cases/{minor_case.id}/consents", consent_body(
        minor_case, basis="cwc_decision", prompts_explained=[], reason="CWC order 12/2025"))
    assert recorded.status_code == 201
    assert cm.post(f"/referrals/{referral_id}/send", {}).status_code == 200
    assert AuditEvent.objects.filter(action="consent.recorded", case_id=minor_case.id).count() == 1
