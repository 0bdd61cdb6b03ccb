"""The share ledger (item 14), the CSV export with formula neutralisation and identity columns only through an
approved request (item 17), and the retention report (item 15)."""

from __future__ import annotations

import csv
import datetime
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from icmc.access.errors import InvalidInput, PermissionDenied
from icmc.audit.models import AuditEvent
from icmc.cases.models import CaseParty
from icmc.privacy import kinds as K
from icmc.privacy.actions import do_decide_approval, do_request_approval
from icmc.privacy.export import do_export_cases, do_export_identities, neutralise
from icmc.privacy.models import ApprovalRequest, ApprovalState, Disclosure
from icmc.privacy.retention import CLASSES, report
from icmc.referrals.actions import do_accept_referral, do_propose_referral, do_record_consent, do_send_referral
from icmc.referrals.inputs import ConsentInput, ProposeReferralInput
from tests.api.conftest import Api, make_token
from tests.factories import person_data, report_case
from tests.privacy.helpers import closed_case

PROMPTS = ("purpose", "uses", "access_right", "retention", "withdrawal")
FORMULA_NAME = "=HYPERLINK(\"http://evil.example\",\"Click\")"


def _consented_case(world, *, survivors=None, suspects=None):
    case = report_case(world, survivors=survivors or [person_data("Lakyntiew Ledger", estimated_age=25)],
                       suspects=suspects or [], destination_jurisdiction="IN-ML-WEST-JAINTIA-HILLS")
    actor = world.actor("cm.meghalaya")
    for party in CaseParty.objects.filter(case=case, role="survivor"):
        do_record_consent(case, actor=actor, data=ConsentInput(
            party=party, basis="survivor", response="consented", prompts_explained=PROMPTS,
            purposes=("shelter", "investigation", "prosecution", "repatriation"), reason="",
            given_on=datetime.date(2026, 1, 5)))
    return case


def _send(world, case, *, to, purpose, party=None):
    referral = do_propose_referral(case, actor=world.actor("cm.meghalaya"), data=ProposeReferralInput(
        to_organisation=world.organisations[to], purpose=purpose, party=party, message=""))
    return do_send_referral(referral, actor=world.actor("cm.meghalaya"))


def test_a_sent_referral_writes_one_ledger_row_per_person_shared(world):
    case = _consented_case(world, suspects=[person_data("Bah Ledgeraccused", gender="Masculine")])
    survivor = CaseParty.objects.get(case=case, role="survivor")
    referral = _send(world, case, to="shelter_shillong", purpose="shelter", party=survivor)
    rows = list(Disclosure.objects.all())
    assert [(r.person_id, r.to_organisation_id, r.channel, r.purpose) for r in rows] == [
        (survivor.person_id, world.organisations["shelter_shillong"].id, "referral", "shelter")]
    assert "names" in rows[0].categories and "place_details" not in rows[0].categories
    assert rows[0].from_organisation_id == world.organisations["centre_ml"].id and rows[0].referral_id == referral.id
    assert AuditEvent.objects.get(action="referral.sent").details["disclosed_persons"] == 1
    do_accept_referral(referral, actor=world.actor("shelter.shillong"))
    assert Disclosure.objects.count() == 1  # the share happened when it was sent
    # a whole-case referral shares everyone, the accused and the reporter included
    _send(world, case, to="prosecution_ekh", purpose="prosecution")
    whole = Disclosure.objects.filter(purpose="prosecution")
    assert whole.count() == CaseParty.objects.filter(case=case).count() == 3
    assert "place_details" in whole.first().categories


def test_the_report_lists_the_shares_and_is_audited(world):
    case = _consented_case(world)
    survivor = CaseParty.objects.get(case=case, role="survivor")
    _send(world, case, to="shelter_shillong", purpose="shelter", party=survivor)
    cm = Api(Client(), make_token(world, "cm.meghalaya"))
    body = cm.get(f"/cases/{case.id}/persons/{survivor.person_id}/privacy").json()
    assert [(d["organisation"], d["channel"], d["purpose"]) for d in body["disclosures"]] == [
        ("Shakti Sadan Shillong", "referral", "shelter")]
    assert "Ledger" not in json.dumps(body)  # categories and counts, never the values
    assert body["held"]["names"] == 1 and body["consents"][0]["purposes"]
    assert AuditEvent.objects.filter(action="person.data_reported", object_id=str(survivor.person_id)).exists()
    page = Client()
    page.force_login(world.users["cm.meghalaya"])
    html = page.get(f"/cases/{case.id}/persons/{survivor.person_id}/privacy/").content.decode()
    assert "Shakti Sadan Shillong" in html and "Ledger" not in html
    shelter = Api(Client(), make_token(world, "shelter.shillong"))  # the receiver does not get the report
    assert shelter.get(f"/cases/{case.id}/persons/{survivor.person_id}/privacy").status_code == 403


def test_a_cross_border_send_is_in_the_ledger_as_such(world):
    case = _consented_case(world)
    survivor = CaseParty.objects.get(case=case, role="survivor")
    referral = do_propose_referral(case, actor=world.actor("cm.meghalaya"), data=ProposeReferralInput(
        to_organisation=world.organisations["partner_np"], purpose="repatriation", party=survivor, message=""))
    approval = do_request_approval(actor=world.actor("cm.meghalaya"), kind=K.CROSS_BORDER_REFERRAL,
                                   referral=referral, reason="Repatriation after the HIR")
    do_decide_approval(approval.id, actor=world.actor("nodal.meghalaya"), approve=True, stepped_up=True)
    do_send_referral(referral, actor=world.actor("cm.meghalaya"), stepped_up=True)
    row = Disclosure.objects.get()
    assert row.channel == "cross_border" and row.approval_id == approval.id
    assert row.to_organisation_id == world.organisations["partner_np"].id


def test_formulas_are_neutralised():
    for cell in ("=1+1", "+91980000", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(cell) == "'" + cell
    assert neutralise("Shillong") == "Shillong" and neutralise(None) == "" and neutralise(3) == "3"


def _rows(content: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content)))


def test_the_plain_export_has_no_identities_and_needs_step_up(world):
    case = report_case(world, survivors=[person_data(FORMULA_NAME, phone="+919800011122")],
                       destination_jurisdiction="IN-ML-WEST-JAINTIA-HILLS")
    with pytest.raises(PermissionDenied, match="Confirm it is you"):
        do_export_cases(actor=world.actor("cm.meghalaya"), data={}, stepped_up=False)
    export = do_export_cases(actor=world.actor("cm.meghalaya"), data={}, stepped_up=True)
    rows = _rows(export.content)
    assert [r["reference"] for r in rows] == [case.reference]
    assert "survivor_names" not in rows[0] and "HYPERLINK" not in export.content and "98000" not in export.content
    event = AuditEvent.objects.get(action="cases.exported")
    assert event.details == {"rows": 1, "identity": False, "filters": []}
    with pytest.raises(InvalidInput):
        do_export_cases(actor=world.actor("cm.meghalaya"), data={"stage": "nonsense"}, stepped_up=True)
    with pytest.raises(PermissionDenied):  # media liaisons export nothing
        do_export_cases(actor=world.actor("media.shillong"), data={}, stepped_up=True)


def test_identities_only_through_an_approved_request_used_once(world):
    case = report_case(world, survivors=[person_data(FORMULA_NAME, phone="+919800011122")],
                       destination_jurisdiction="IN-ML-WEST-JAINTIA-HILLS")
    approval = do_request_approval(actor=world.actor("cm.meghalaya"), kind=K.EXPORT_IDENTITIES,
                                   reason="Court asked for the list of survivors of 2026",
                                   parameters={"status": "Active"})
    with pytest.raises(InvalidInput):  # not approved yet
        do_export_identities(approval.id, actor=world.actor("cm.meghalaya"), stepped_up=True)
    with pytest.raises(PermissionDenied):  # the requester cannot approve it
        do_decide_approval(approval.id, actor=world.actor("cm.meghalaya"), approve=True, stepped_up=True)
    do_decide_approval(approval.id, actor=world.actor("nodal.meghalaya"), approve=True, stepped_up=True)
    with pytest.raises(PermissionDenied, match="Confirm it is you"):
        do_export_identities(approval.id, actor=world.actor("cm.meghalaya"), stepped_up=False)
    export = do_export_identities(approval.id, actor=world.actor("cm.meghalaya"), stepped_up=True)
    rows = _rows(export.content)
    assert rows[0]["reference"] == case.reference
    assert rows[0]["survivor_names"] == "'" + FORMULA_NAME  # a formula never reaches the spreadsheet as one
    assert rows[0]["survivor_phones"] == "'+919800011122"
    assert ApprovalRequest.objects.get(pk=approval.pk).state == ApprovalState.EXECUTED
    assert not Disclosure.objects.exists()  # the owner's own case manager: no other organisation
    with pytest.raises(InvalidInput):
        do_export_identities(approval.id, actor=world.actor("cm.meghalaya"), stepped_up=True)
    event = AuditEvent.objects.get(action="cases.exported")
    assert event.details["identity"] is True and event.details["approval"] == str(approval.id)
    assert "HYPERLINK" not in json.dumps(event.details)


def test_an_identity_export_by_the_state_is_a_disclosure(world):
    case = report_case(world, survivors=[person_data("Dapbiang Exported")],
                       destination_jurisdiction="IN-ML-WEST-JAINTIA-HILLS")
    user, membership = world.users["nodal.meghalaya"], world.memberships["nodal.meghalaya"]
    from icmc.access.actor import Actor
    from icmc.accounts.models import Membership

    other = Membership.objects.create(user=world.users["cm.assam"], organisation=membership.organisation,
                                      role="state_nodal_officer", created_at=case.created_at,
                                      updated_at=case.created_at)  # a second nodal officer of Meghalaya
    approval = do_request_approval(actor=world.actor("nodal.meghalaya"), kind=K.EXPORT_IDENTITIES,
                                   reason="State review of open cases", parameters={})
    do_decide_approval(approval.id, actor=Actor(user=world.users["cm.assam"], membership=other, via="cli"),
                       approve=True, stepped_up=True)
    export = do_export_identities(approval.id, actor=Actor(user=user, membership=membership, via="cli"),
                                  stepped_up=True)
    assert "Dapbiang Exported" in export.content
    row = Disclosure.objects.get()
    assert row.channel == "export" and row.to_organisation_id == membership.organisation_id
    assert row.from_organisation_id == world.organisations["centre_ml"].id and row.case_id == case.id


def test_export_pages(world):
    report_case(world, destination_jurisdiction="IN-ML-WEST-JAINTIA-HILLS")
    client = Client()
    client.force_login(world.users["cm.meghalaya"])
    assert client.get("/cases/export/?status=Active").status_code == 200
    download = client.get("/cases/export.csv?status=Active")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert download["Content-Disposition"] == 'attachment; filename="cases.csv"'
    assert client.get("/cases/export.csv?stage=nonsense").status_code == 422
    asked = client.post("/cases/export/identities/", {"reason": "Annual audit by the state", "status": "Active"})
    approval = ApprovalRequest.objects.get(kind=K.EXPORT_IDENTITIES)
    assert asked.status_code == 302 and approval.parameters == {"status": "Active"}
    media = Client()
    media.force_login(world.users["media.shillong"])
    assert media.get("/cases/export.csv").status_code == 403


def test_api_export_needs_a_stepped_up_session(world):
    report_case(world, destination_jurisdiction="IN-ML-WEST-JAINTIA-HILLS")
    token = Api(Client(), make_token(world, "cm.meghalaya"))
    assert token.get("/case-export").status_code == 403
    session = Client()
    session.force_login(world.users["cm.meghalaya"])
    answer = session.get("/api/v1/case-export", {"status": "Active"})
    assert answer.status_code == 200 and answer.content.decode().startswith('"reference"')
    asked = Api(session, None).post("/approvals", {"kind": "export_identities", "reason": "State audit 2026",
                                                   "filters": {"stage": "nonsense"}})
    assert asked.status_code == 422


def test_retention_report_counts_due_and_held(world):
    case, _person = closed_case(world)
    assert all(r.due == 0 for r in report())  # closed today: nobody is due yet
    later = datetime.datetime.now(tz=datetime.UTC) + CLASSES["survivor"].period + datetime.timedelta(days=1)
    survivors = next(r for r in report(now=later) if r.retention_class.key == "survivor")
    assert survivors.due == 1 and survivors.due_held == 0
    from icmc.privacy.actions import do_place_hold

    do_place_hold(case, actor=world.actor("cm.meghalaya"), reason="Appeal pending in the High Court")
    survivors = next(r for r in report(now=later) if r.retention_class.key == "survivor")
    assert survivors.due == 1 and survivors.due_held == 1
    out = StringIO()
    call_command("retention", "report", stdout=out)
    assert "assumptions" in out.getvalue() and "survivor" in out.getvalue()
    out = StringIO()
    call_command("retention", "report", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert {row["class"] for row in data} == set(CLASSES)
    assert "Erasableperson" not in out.getvalue()
