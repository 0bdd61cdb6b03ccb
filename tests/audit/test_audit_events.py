"""Every write leaves exactly one audit event, in the same transaction, with no identity values in it."""

import json

import pytest
from django.db import connection

from icmc.accounts import actions as account_actions
from icmc.audit.models import AuditEvent
from icmc.cases.actions import do_add_note, do_add_party
from icmc.cases.inputs import AddPartyInput, FirInput, PersonInput
from icmc.cases.models import Case, Person
from icmc.prosecution.actions import do_record_fir
from icmc.sync.models import Change
from tests.factories import person_data, report_case

SECRET_NAME = "Zephyrina Quillfeather"
SECRET_PHONE = "+919811122233"


def _events_for(action, before):
    return list(AuditEvent.objects.filter(id__gt=before, action=action))


def _last_id():
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_each_case_action_writes_exactly_one_event(world):
    actor = world.actor("cm.meghalaya", via="web")
    writes = [
        ("case.reported", lambda: report_case(world)),
    ]
    before = _last_id()
    case = writes[0][1]()
    assert [e.action for e in AuditEvent.objects.filter(id__gt=before)] == ["case.reported"]
    event = AuditEvent.objects.get(id__gt=before)
    assert event.actor_id == world.users["cm.meghalaya"].id
    assert event.membership_id == world.memberships["cm.meghalaya"].id
    assert event.organisation_id == world.organisations["centre_ml"].id
    assert event.case_id == case.id and event.object_id == str(case.id)
    assert "summary" in event.changed_fields

    for action, call in [
        ("note.added", lambda: do_add_note(case, actor=actor, body="Called the family.")),
        ("party.added", lambda: do_add_party(case, actor=actor, data=AddPartyInput(
            role="witness", person=PersonInput(name="A Witness", gender="Feminine")))),
        ("fir.recorded", lambda: do_record_fir(case, actor=actor, data=FirInput(
            police_station_name="Sadar PS", number="12/2026"))),
        ("fir.updated", lambda: do_record_fir(case, actor=actor, data=FirInput(
            police_station_name="Sadar PS", number="13/2026"))),
    ]:
        before = _last_id()
        call()
        assert [e.action for e in AuditEvent.objects.filter(id__gt=before)] == [action]
    assert AuditEvent.objects.get(action="fir.updated").changed_fields == ["number"]


def test_account_actions_write_exactly_one_event(world):
    admin = world.actor("admin")
    before = _last_id()
    user = account_actions.do_create_user(actor=admin, username="new.officer", password="a-long-password-123")
    membership = account_actions.do_grant_membership(user, actor=admin, organisation=world.organisations["ahtu_ekh"],
                                                     role="ahtu_officer")
    account_actions.do_end_membership(membership, actor=admin)
    actions = [e.action for e in AuditEvent.objects.filter(id__gt=before)]
    assert actions == ["user.created", "membership.granted", "membership.ended"]


def test_audit_trail_and_change_feed_hold_no_identity_values(world):
    report_case(world, reporter_name=SECRET_NAME, reporter_phone=SECRET_PHONE,
                survivors=[person_data(name=SECRET_NAME, phone=SECRET_PHONE)])
    dumped = json.dumps(list(AuditEvent.objects.values()), default=str)
    dumped += json.dumps(list(Change.objects.values()), default=str)
    assert SECRET_NAME not in dumped and SECRET_PHONE not in dumped


def test_a_failed_audit_write_fails_the_action(world, monkeypatch):
    cases, persons = Case.objects.count(), Person.objects.count()

    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("icmc.cases.actions.record_event", broken)
    with pytest.raises(RuntimeError):
        report_case(world)
    assert (Case.objects.count(), Person.objects.count()) == (cases, persons)


def test_every_written_record_is_in_the_change_feed(world):
    before = Change.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    case = report_case(world, suspects=[person_data(name="Suspect One", gender="Masculine", estimated_age=40)],
                       fir_police_station_name="Sadar PS", fir_number="1/2026")
    types = sorted(Change.objects.filter(seq__gt=before).values_list("object_type", flat=True))
    # case, 2 places, reporter + survivor + suspect (person, name, party each), 1 phone (reporter), FIR
    assert types.count("cases.case") == 1
    assert types.count("cases.caseparty") == 3
    assert types.count("prosecution.fir") == 1
    assert all(c.case_id == case.id for c in Change.objects.filter(seq__gt=before))


def test_audit_details_refuse_identity_keys(world):
    from django.db import transaction

    from icmc.audit.record import record_event

    with pytest.raises(ValueError), transaction.atomic():
        record_event(actor=world.actor("cm.meghalaya"), action="x", object_type="y", object_id=None,
                     details={"name": "someone"})


@pytest.mark.django_db(transaction=True)
def test_an_audit_event_cannot_be_written_outside_the_action_transaction(world):
    from icmc.audit.record import record_event

    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError):
        record_event(actor=world.actor("cm.meghalaya"), action="x", object_type="y", object_id=None)
