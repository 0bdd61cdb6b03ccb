"""Rules of individual records: shelters, transfers, repatriation steps, follow-up, compensation."""

from __future__ import annotations

import datetime

from django.utils import timezone

from icmc.pathway.models import FollowUpVisit, ShelterStay
from tests.pathway.conftest import survivors
from tests.pathway.helpers import DAY, org_ids, to_repatriation_unsafe


def test_transfer_closes_the_open_stay(world, api_as, two_survivor_case):
    org, party = org_ids(world), str(survivors(two_survivor_case)[1].id)
    api = api_as("cm.meghalaya")
    base = f"/cases/{two_survivor_case.id}/pathway/shelter_stay"
    first = api.post(base, {"party": party, "shelter": org["shelter_shillong"], "admitted_on": DAY}).json()
    again = api.post(base, {"party": party, "shelter": org["shelter_shillong"], "admitted_on": DAY})
    assert "transfer_from" in again.json()["errors"]
    moved = api.post(base, {"party": party, "shelter": org["shelter_ngo_jowai"], "admitted_on": DAY,
                            "reason_not_government": "Closer to family", "transfer_from": first["id"]})
    assert moved.status_code == 201
    closed = ShelterStay.objects.get(pk=first["id"])
    assert (closed.end_reason, closed.ended_on.isoformat()) == ("transfer", DAY)


def test_unapproved_ngo_shelter_is_refused(world, api_as, two_survivor_case):
    shelter = world.organisations["shelter_ngo_jowai"]
    shelter.is_approved = False
    shelter.save()
    response = api_as("cm.meghalaya").post(f"/cases/{two_survivor_case.id}/pathway/shelter_stay", {
        "party": str(survivors(two_survivor_case)[0].id), "shelter": str(shelter.id), "admitted_on": DAY,
        "reason_not_government": "Full"})
    assert response.json()["errors"] == {"shelter": ["This NGO shelter is not registered and approved."]}


def test_missed_visit_and_early_end_needs_a_reason(world, api_as, two_survivor_case):
    adult = survivors(two_survivor_case)[1]
    api = api_as("cm.meghalaya")
    to_repatriation_unsafe(world=world, cm=api, ahtu=api_as("ahtu.ekh"), case=two_survivor_case,
                           party=str(adult.id))
    api.post(f"/cases/{two_survivor_case.id}/survivors/{adult.id}/stage", {"to": "reintegration"})
    visit = FollowUpVisit.objects.order_by("due_on").first()
    visit.due_on = timezone.localdate() - datetime.timedelta(days=3)
    visit.save()
    survivor = api.get(f"/cases/{two_survivor_case.id}/pathway").json()["survivors"][1]
    assert survivor["follow_up"]["visits"][0]["status"] == "missed"
    plan = survivor["follow_up"]["id"]
    url = f"/cases/{two_survivor_case.id}/pathway/follow_up_plan/{plan}"
    assert api.put(url, {"ended_early_on": DAY, "end_reason": ""}).json()["errors"] == {
        "end_reason": ["Ending follow-up early needs a reason."]}
    refused = api.post(f"/cases/{two_survivor_case.id}/survivors/{adult.id}/stage", {"to": "closed"})
    assert refused.status_code == 409
    assert api.post(f"/cases/{two_survivor_case.id}/pathway/follow_up_plan", {}).status_code == 404


def test_cross_border_repatriation_needs_its_steps(world, api_as, two_survivor_case):
    org, party = org_ids(world), str(survivors(two_survivor_case)[0].id)
    api = api_as("cm.meghalaya")
    base = f"/cases/{two_survivor_case.id}/pathway"
    hir = api.post(f"{base}/home_investigation", {"party": party, "organisation": org["partner_bd"],
                                                  "investigated_on": DAY, "findings": "ok", "is_safe": True}).json()
    errors = api.post(f"{base}/repatriation", {
        "party": party, "home_investigation": hir["id"], "destination": "BD-22", "is_cross_border": True,
        "repatriated_on": DAY, "steps_done": ["travel_permit_issued"]}).json()["errors"]
    assert set(errors) == {"travel_permit_number", "steps_done"}
    unsafe_only = api.post(f"{base}/placement", {"party": party, "home_investigation": hir["id"],
                                                 "welfare_department": org["welfare_ml"], "placed_on": DAY,
                                                 "plan_kind": "education"})
    assert "home_investigation" in unsafe_only.json()["errors"]
