"""Rules 1-9, 12, 15 through the front door: each event opens its task with its due time and owner, and the event
that fulfils it closes it. One case under IPC/CrPC (FIR 2024-03-10), one under BNS/BNSS (FIR 2025-02-01)."""

from __future__ import annotations

import datetime

from icmc.deadlines.models import TaskState
from tests.deadlines.helpers import created, local, one, tasks
from tests.pathway.conftest import survivors, suspects
from tests.pathway.helpers import org_ids


def _fir(world, api, case, day):
    return created(api.post(f"/cases/{case.id}/prosecution/fir", {
        "police_station": org_ids(world)["ps_laitumkhrah"], "number": f"FIR-{day}", "registered_on": day}))


def test_rule_1_report_without_fir_then_fir_closes_it(world, api_as, two_survivor_case):
    case = two_survivor_case
    task = one(case, "fir_without_delay")
    assert task.owner_organisation == world.organisations["centre_ml"]
    assert task.owner_user == world.users["cm.meghalaya"]
    assert task.due_at == case.reported_at + datetime.timedelta(hours=24)
    _fir(world, api_as("cm.meghalaya"), case, "2025-02-01")
    task.refresh_from_db()
    assert (task.state, task.closed_by) == (TaskState.DONE, "fir_recorded")


def test_bns_case_rules_7_8_9_chargesheet_90_days(world, api_as, two_survivor_case):
    case, api = two_survivor_case, api_as("cm.meghalaya")
    fir = _fir(world, api, case, "2025-02-01")
    ps = world.organisations["ps_laitumkhrah"]
    informed = one(case, "victim_informed")  # rule 7: BNSS 193(3)(ii), 90 days
    assert (informed.basis, informed.owner_organisation) == ("BNSS 193(3)(ii)", ps)
    assert informed.due_at == local("2025-05-02")
    base = f"/cases/{case.id}/prosecution"
    created(api.post(f"{base}/charge", {"fir": fir["id"], "offence": "BNS-143(2)"}))
    accused = created(api.post(f"{base}/accused", {"party": str(suspects(case)[0].id),
                                                   "arrested_on": "2025-02-05", "bail_status": "in_custody"}))
    sheet = one(case, "chargesheet")  # rule 9: 60 days for BNS 143(2) (max 10 years, min 7)
    assert (sheet.basis, sheet.due_at) == ("BNSS 187(3)", local("2025-04-06"))
    created(api.post(f"{base}/charge", {"fir": fir["id"], "offence": "BNS-143(3)"}))  # min 10 years -> 90 days
    sheet.refresh_from_db()
    assert sheet.due_at == local("2025-05-06")
    assert tasks(case, "investigation_sexual") == []
    created(api.post(f"/cases/{case.id}/prosecution/chargesheet", {"accused": accused["id"],
                                                                    "filed_on": "2025-04-20", "number": "CS-1"}))
    sheet.refresh_from_db()
    assert (sheet.state, sheet.closed_by) == (TaskState.DONE, "chargesheet_recorded")


def test_ipc_case_chargesheet_crpc_and_no_victim_progress_rule(world, api_as, two_survivor_case):
    case, api = two_survivor_case, api_as("cm.meghalaya")
    fir = _fir(world, api, case, "2024-03-10")
    assert tasks(case, "victim_informed") == []  # BNSS 193(3)(ii) has no CrPC counterpart
    base = f"/cases/{case.id}/prosecution"
    created(api.post(f"{base}/charge", {"fir": fir["id"], "offence": "IPC-370"}))  # life -> 90 days
    created(api.post(f"{base}/accused", {"party": str(suspects(case)[0].id), "arrested_on": "2024-03-12",
                                         "bail_status": "in_custody"}))
    sheet = one(case, "chargesheet")
    assert (sheet.basis, sheet.due_at) == ("CrPC 167(2)", local("2024-06-10"))


def test_rules_4_5_8_pocso_charge(world, api_as, two_survivor_case):
    case, api = two_survivor_case, api_as("cm.meghalaya")
    fir = _fir(world, api, case, "2025-02-01")
    created(api.post(f"/cases/{case.id}/prosecution/charge", {"fir": fir["id"], "offence": "POCSO-4"}))
    report = one(case, "pocso_report_cwc")  # rule 4: 24 h
    medical = one(case, "medical_examination")  # rule 5: 24 h
    investigation = one(case, "investigation_sexual")  # rule 8: 2 months from the FIR
    assert report.due_at - report.created_at < datetime.timedelta(hours=24, seconds=5)
    assert medical.basis == "BNSS 184"
    assert (investigation.basis, investigation.due_at) == ("BNSS 193(2)", local("2025-04-01"))
    created(api.post(f"/cases/{case.id}/pathway/support_service", {
        "party": str(survivors(case)[0].id), "kind": "medical", "status": "completed"}))
    medical.refresh_from_db()
    assert (medical.state, medical.closed_by) == (TaskState.DONE, "medical_recorded")


def test_rules_2_3_6_rescue_cwc_production(world, api_as, two_survivor_case):
    case, api = two_survivor_case, api_as("ahtu.ekh")
    minor, adult = survivors(case)
    org = org_ids(world)
    created(api.post(f"/cases/{case.id}/pathway/rescue_operation", {
        "rescued_on": "2025-03-01", "jurisdiction": "IN-ML-EAST-KHASI-HILLS", "lead_ahtu": org["ahtu_ekh"],
        "survivors": [str(minor.id), str(adult.id)]}))
    produce = one(case, "cwc_production")  # rule 2: the minor only, 24 h after the rescue
    assert (produce.party, produce.owner_organisation) == (minor, world.organisations["ahtu_ekh"])
    assert produce.due_at == local("2025-03-02", "00:00")
    magistrate = one(case, "itpa_magistrate")  # rule 6: the adult, 10 days of intermediate custody at most
    assert (magistrate.party, magistrate.due_at) == (adult, local("2025-03-11"))
    created(api_as("cm.meghalaya").post(f"/cases/{case.id}/pathway/cwc_production", {
        "party": str(minor.id), "produced_at": "2025-03-01T15:00", "cwc": org["cwc_ekh"], "outcome": "pending"}))
    produce.refresh_from_db()
    assert (produce.state, produce.closed_by) == (TaskState.DONE, "cwc_produced")
    sir, final = one(case, "social_investigation"), one(case, "cwc_final_order")  # rule 3
    assert sir.owner_organisation == world.organisations["cwc_ekh"]
    assert sir.due_at == local("2025-03-16") and final.due_at == local("2025-07-01")


def test_rule_12_compensation_enquiry(world, api_as, two_survivor_case):
    case, api = two_survivor_case, api_as("cm.meghalaya")
    org = org_ids(world)
    claim = created(api.post(f"/cases/{case.id}/pathway/compensation_claim", {
        "party": str(survivors(case)[1].id), "scheme": "Victim compensation scheme", "authority": org["dlsa_ekh"],
        "applied_on": "2025-02-10", "status": "applied"}))
    enquiry = one(case, "dlsa_enquiry")
    assert (enquiry.owner_organisation, enquiry.due_at) == (world.organisations["dlsa_ekh"], local("2025-04-10"))
    created(api.put(f"/cases/{case.id}/pathway/compensation_claim/{claim['id']}", {
        "party": str(survivors(case)[1].id), "scheme": "Victim compensation scheme", "authority": org["dlsa_ekh"],
        "applied_on": "2025-02-10", "status": "awarded", "amount_awarded": "100000", "awarded_on": "2025-03-30"}))
    enquiry.refresh_from_db()
    assert (enquiry.state, enquiry.closed_by) == (TaskState.DONE, "compensation_decided")
