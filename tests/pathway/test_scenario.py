"""One case from report to "closed with conviction", through the API, with two survivors on different paths."""

from __future__ import annotations

import datetime

from django.utils import timezone

from icmc.audit.models import AuditEvent
from icmc.cases.models import Case
from icmc.pathway.models import FollowUpVisit, SurvivorPathway
from icmc.pathway.workflow import FOLLOW_UP_MONTHS
from tests.pathway.conftest import survivors, suspects


def _ok(response, status=200):
    assert response.status_code == status, response.json()
    return response.json()


def test_report_to_closed_with_conviction(world, api_as, two_survivor_case):
    case = two_survivor_case
    org = {k: str(o.id) for k, o in world.organisations.items()}
    minor, adult = (str(p.id) for p in survivors(case))
    first, second = (str(p.id) for p in suspects(case))
    cm, ahtu = api_as("cm.meghalaya"), api_as("ahtu.ekh")
    base = f"/cases/{case.id}"
    today = timezone.localdate()
    day = (today - datetime.timedelta(days=200)).isoformat()

    def stage(party: str, to: str, who=cm, status=200):
        return who.post(f"{base}/survivors/{party}/stage", {"to": to}), status

    # Rescue: both survivors rescued in one raid led by the AHTU.
    _ok(ahtu.post(f"{base}/pathway/rescue_operation", {
        "rescued_on": day, "jurisdiction": "IN-AS-KAMRUP-METROPOLITAN", "place_detail": "A hotel",
        "lead_ahtu": org["ahtu_ekh"], "partner_organisations": [org["centre_ml"]],
        "checklist": ["intelligence_verified", "women_officers"], "post_rescue_needs": "Medical check",
        "survivors": [minor, adult]}), 201)
    assert _ok(cm.get(f"{base}/pathway"))["case_stage"] == "rescued"
    _ok(ahtu.post(f"{base}/pathway/cwc_production", {
        "party": minor, "produced_at": f"{day}T10:00", "cwc": org["cwc_ekh"], "outcome": "pending"}), 201)
    cwc = cm.get(f"{base}/pathway").json()["survivors"][0]["records"]["cwc_production"][0]

    # Rehabilitation: a government shelter, and an approved NGO shelter with a reason.
    _ok(cm.post(f"{base}/pathway/shelter_stay", {"party": minor, "shelter": org["shelter_shillong"],
                                                  "admitted_on": day}), 201)
    _ok(cm.post(f"{base}/pathway/shelter_stay", {"party": adult, "shelter": org["shelter_ngo_jowai"],
                                                  "admitted_on": day, "reason_not_government": "Near family"}),
        201)
    _ok(cm.post(f"{base}/pathway/support_service", {"party": adult, "kind": "counselling", "status": "ongoing",
                                                     "started_on": day}), 201)
    _ok(cm.post(f"{base}/pathway/care_plan", {"party": adult, "long_term_goal": "Tailoring work"}), 201)
    for party in (minor, adult):
        _ok(cm.post(f"{base}/survivors/{party}/stage", {"to": "rehabilitation"}))

    # Repatriation: HIR safe for the minor (Bangladesh), not safe for the adult.
    _ok(cm.post(f"{base}/pathway/home_investigation", {
        "party": minor, "organisation": org["partner_bd"], "investigated_on": day, "findings": "Mother waits",
        "is_safe": True, "recommendation": "Return"}), 201)
    adult_hir = _ok(cm.post(f"{base}/pathway/home_investigation", {
        "party": adult, "organisation": org["welfare_ml"], "investigated_on": day, "findings": "Recruiter nearby",
        "is_safe": False}), 201)
    for party in (minor, adult):
        _ok(cm.post(f"{base}/survivors/{party}/stage", {"to": "repatriation"}))
    minor_hir = cm.get(f"{base}/pathway").json()["survivors"][0]["records"]["home_investigation"][0]["id"]
    _ok(cm.post(f"{base}/pathway/repatriation", {
        "party": minor, "home_investigation": minor_hir, "repatriated_on": day, "escort": "Partner staff",
        "destination": "BD-22", "is_cross_border": True,
        "steps_done": ["frro_informed", "mha_mea_informed", "mission_verification", "hir_received",
                       "travel_permit_issued", "border_handover"],
        "travel_permit_number": "TP-1", "travel_permit_expires_on": today.isoformat()}), 201)
    _ok(cm.post(f"{base}/pathway/placement", {
        "party": adult, "home_investigation": adult_hir["id"], "welfare_department": org["welfare_ml"],
        "placed_on": day, "plan_kind": "vocational_training", "plan": "Tailoring course"}), 201)

    # Re-integration: the minor needs the CWC's order first.
    refused = cm.post(f"{base}/survivors/{minor}/stage", {"to": "reintegration"})
    assert refused.status_code == 409
    assert "Child Welfare Committee" in refused.json()["detail"]
    _ok(ahtu.put(f"{base}/pathway/cwc_production/{cwc['id']}", {
        "party": minor, "produced_at": f"{day}T10:00", "cwc": org["cwc_ekh"], "outcome": "restoration",
        "order_text": "Restore to mother via partner"}))
    for party in (minor, adult):
        _ok(cm.post(f"{base}/survivors/{party}/stage", {"to": "reintegration"}))
    view = _ok(cm.get(f"{base}/pathway"))
    assert view["case_stage"] == "reintegration"
    visits = view["survivors"][0]["follow_up"]["visits"]
    assert len(visits) == len(FOLLOW_UP_MONTHS)
    _ok(cm.put(f"{base}/pathway/follow_up_visit/{visits[0]['id']}", {
        "visited_on": today.isoformat(), "mode": "through_partner", "outcome": "well", "discreet": True}))
    assert FollowUpVisit.objects.filter(visited_on__isnull=False).count() == 1

    # Re-compensation: a paid claim for the adult.
    claim = _ok(cm.post(f"{base}/pathway/compensation_claim", {
        "party": adult, "scheme": "Meghalaya Victim Compensation Scheme", "authority": org["dlsa_ekh"],
        "applied_on": day, "amount_claimed": "300000", "interim_amount": "50000", "interim_on": day,
        "amount_awarded": "200000", "awarded_on": day, "amount_paid": "200000.00", "paid_on": today.isoformat(),
        "status": "paid"}), 201)
    assert claim["amount_paid"] == "200000.00"

    # Prosecution: FIR, charge, two accused, chargesheets, a hearing, one conviction and one acquittal.
    fir = _ok(ahtu.post(f"{base}/prosecution/fir", {"police_station": org["ps_laitumkhrah"], "number": "12/2025",
                                                    "registered_on": "2025-01-10"}), 201)
    _ok(ahtu.post(f"{base}/prosecution/charge", {"fir": fir["id"], "offence": "BNS-143(5)"}), 201)
    accused = [_ok(ahtu.post(f"{base}/prosecution/accused", {"party": s, "arrested_on": "2025-01-12",
                                                             "bail_status": "in_custody"}), 201)
               for s in (first, second)]
    for a in accused:
        _ok(ahtu.post(f"{base}/prosecution/chargesheet", {"accused": a["id"], "filed_on": "2025-03-20"}), 201)
    _ok(cm.post(f"{base}/prosecution/hearing", {"held_on": "2025-09-01", "court_name": "Sessions Court",
                                                "purpose": "judgment"}), 201)
    _ok(cm.post(f"{base}/prosecution/verdict", {"accused": accused[0]["id"], "decided_on": "2025-09-01",
                                                "result": "convicted", "sentence_years": "14", "fine": "50000"}),
        201)
    _ok(cm.post(f"{base}/prosecution/verdict", {"accused": accused[1]["id"], "decided_on": "2025-09-01",
                                                "result": "acquitted"}), 201)
    track = _ok(cm.get(f"{base}/prosecution"))
    assert [a["verdict"]["result"] for a in track["accused"]] == ["convicted", "acquitted"]
    assert track["firs"][0]["law_regime"] == "BNS/BNSS"

    # Follow-up ended early (with a reason), pathways closed, case closed with conviction.
    for index, party in enumerate((minor, adult)):
        plan = cm.get(f"{base}/pathway").json()["survivors"][index]["follow_up"]
        _ok(cm.put(f"{base}/pathway/follow_up_plan/{plan['id']}", {
            "ended_early_on": today.isoformat(), "end_reason": "Settled; partner continues contact"}))
        _ok(cm.post(f"{base}/survivors/{party}/stage", {"to": "closed"}))
    assert set(SurvivorPathway.objects.values_list("stage", flat=True)) == {"closed"}
    closed = _ok(cm.post(f"{base}/close", {"outcome": "closed_with_conviction"}))
    assert closed == {"status": "Closed", "stage": "closed", "closure_outcome": "closed_with_conviction"}
    case = Case.objects.get(pk=case.pk)
    assert case.closed_at is not None
    actions = list(AuditEvent.objects.filter(case_id=case.id).values_list("action", flat=True))
    assert actions[-1] == "case.closed"
    assert actions.count("survivor.stage_changed") == 8
    detail = _ok(cm.get(f"{base}"))
    assert detail["status"] == "Closed"
