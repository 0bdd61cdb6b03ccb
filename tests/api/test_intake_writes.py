"""What one intake (POST /api/v1/cases) writes, row by row: the case, its people, places, FIR, referrals proposed,
deadline tasks, duplicate candidates and their notifications, the change feed and the audit trail. Written down in
full so that a change to how intake writes (fewer queries, batched inserts) cannot change what it writes."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.apps import apps
from django.utils import timezone

from icmc.audit.models import AuditEvent
from icmc.cases.models import Case, CaseParty, CasePlace, PersonName, PersonPhone
from icmc.deadlines.models import Notification, Task
from icmc.demo.world import World
from icmc.matching.models import DuplicateCandidate
from icmc.prosecution.models import FIR
from icmc.referrals.models import Referral, ReferralTransition
from icmc.sync.models import Change, RecordState
from icmc.vault.models import SearchToken
from tests.api.conftest import api_as  # noqa: F401  (fixture)
from tests.factories import person_data, report_case, report_data


def _counts() -> Counter[str]:
    return Counter({model._meta.label: model._default_manager.count()
                    for model in apps.get_models(include_auto_created=True) if model.__module__.startswith("icmc.")})


def _sorted(rows: Any) -> list[Any]:
    return sorted(rows, key=repr)


def _body(world: World, *, fir: bool) -> dict[str, Any]:
    data = report_data(source_detail="Umiam village", destination_detail="Near the station",
                       transit_jurisdiction="IN-AS-CACHAR",
                       exploitation_types=["SexualExploitation", "ForcedLabour"],
                       source_ahtu=str(world.organisations["ahtu_ekh"].id),
                       destination_ahtu=str(world.organisations["ahtu_kamrup"].id))
    if fir:
        data.update(fir_police_station=str(world.organisations["ps_laitumkhrah"].id), fir_number="12/2026",
                    fir_date=(timezone.localdate() - datetime.timedelta(days=3)).isoformat())
    data.update(
        survivors=[person_data("Rimpi Khongwir", phone="+919811100001", alias="Rimi", estimated_age=16),
                   person_data("Daphisha Lyngdoh", birth_date="2001-04-02", estimated_age=None,
                               citizenship=["IN"], languages=["kha", "eng"])],
        suspects=[person_data("Bah Kyrmen", gender="Masculine", estimated_age=40, phone="+919811100002")])
    return data


def _written(world: World, case: Case, before: Counter[str], since_seq: int, since_event: int) -> dict[str, Any]:
    org = {o.id: key for key, o in world.organisations.items()}
    fir = FIR.objects.filter(case=case).first()
    changes = list(Change.objects.filter(seq__gt=since_seq).order_by("seq"))
    grown = _counts() - before
    return {
        "rows": dict(sorted(grown.items())),
        "case": (case.reference.split("-")[0], case.reference.rsplit("-", 1)[1],
                 case.owner_id == world.organisations["centre_ml"].id,
                 case.case_manager.username if case.case_manager else None, case.reporter_type, case.status,
                 case.stage, sorted(case.exploitation_types.values_list("code", flat=True))),
        "places": [(p.kind, p.jurisdiction_id, p.position, p.detail) for p in
                   CasePlace.objects.filter(case=case).order_by("position")],
        "parties": _sorted((p.role, p.person.gender, p.person.estimated_age, str(p.person.birth_date),
                           p.person.citizenship, p.person.languages,
                           sorted((n.value, n.is_alias, n.position, n.script) for n in PersonName.objects.filter(
                               person=p.person)),
                           [ph.number for ph in PersonPhone.objects.filter(person=p.person)],
                           dict(Counter(SearchToken.objects.filter(person=p.person).values_list("kind", flat=True))))
                          for p in CaseParty.objects.filter(case=case).select_related("person")),
        # Its date as days before today (the report gives today - 3), so that the record holds on any day.
        "fir": (org.get(fir.police_station_id), fir.number, (timezone.localdate() - fir.registered_on).days)
        if fir else None,
        "referrals": _sorted((org[r.to_organisation_id], org[r.from_organisation_id], r.purpose, r.state, r.automatic,
                             [(t.from_state, t.to_state, t.actor.username, org.get(t.organisation_id))
                              for t in ReferralTransition.objects.filter(referral=r)])
                            for r in Referral.objects.filter(case=case)),
        "tasks": _sorted((t.rule_key, org[t.owner_organisation_id], t.owner_user.username if t.owner_user else None,
                         t.state, t.basis, t.source_id == (fir.id if fir else None), t.party_id,
                         (t.due_at - timezone.now()).days)
                        for t in Task.objects.filter(case=case)),
        "candidates": _sorted((c.role, c.basis, c.status, c.case_a_id == case.id or c.case_b_id == case.id)
                             for c in DuplicateCandidate.objects.all()),
        "notifications": _sorted((n.kind, org.get(n.organisation_id), n.user_id, n.case_id == case.id,
                                 n.text.replace(case.reference, "<ref>"))
                                for n in Notification.objects.all()),
        # In seq order; every entry a first version ("put", 1) of a row of this case that exists.
        "changes": [c.object_type for c in changes],
        "changes_are_new_rows_of_the_case": all(
            (c.op, c.version, c.case_id) == ("put", 1, case.id)
            and apps.get_model(c.object_type).objects.filter(pk=c.object_id).exists() for c in changes),
        "record_states": sorted((s.object_type, sorted(s.fields)) for s in RecordState.objects.filter(
            object_id__in=[c.object_id for c in changes])),
        "audit": [(e.action, e.object_type, e.object_id == str(case.id), e.case_id == case.id, e.changed_fields,
                   e.details if e.action == "case.reported" else sorted(e.details), e.via, e.role)
                  for e in AuditEvent.objects.filter(seq__gt=since_event).order_by("seq")],
    }


def _report(world: World, api: Any, *, fir: bool) -> dict[str, Any]:
    before = _counts()
    seq = Change.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    event = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    response = api.post("/cases", _body(world, fir=fir))
    assert response.status_code == 201, response.content
    return _written(world, Case.objects.get(pk=response.json()["id"]), before, seq, event)


def test_intake_writes_exactly_these_rows(world: World, api_as: Any) -> None:  # noqa: F811
    # A case of another organisation with the same survivor (name, phone) and suspect (phone): duplicate candidates.
    report_case(world, "cm.assam", survivors=[person_data("Rimpi Khongwir", phone="+919811100001",
                                                          estimated_age=16)],
                suspects=[person_data("Kyrmen", gender="Masculine", estimated_age=55, phone="+919811100002")])
    api = api_as("cm.meghalaya")
    assert _report(world, api, fir=True) == FIRST
    assert _report(world, api, fir=False) == SECOND


# Written with the code of 6 December 2026 (before issue 7's intake round), and checked by reading: three people
# and a reporter, each with their key, names, phone and search tokens; three places (two details sealed under the
# case's new key); the FIR; the two AHTUs and the partner NGO of the source state proposed as referrals; the task
# of the FIR's police station; a candidate for the survivor (name, phone, age) and one for the suspect (phone),
# each told to both centres.
FIRST: dict[str, Any] = {'audit': [('case.reported', 'case', True, True,
            ['destination_ahtu', 'exploitation_types', 'fir', 'parties', 'places', 'reference', 'reported_at',
             'reporter_type', 'source_ahtu', 'summary'],
            {'duplicate_candidates': 2,
             'fir': True,
             'referrals_proposed': 3,
             'reporter_named': True,
             'survivors': 2,
             'suspects': 1},
            'api', 'case_manager'),
           ('person.identity_viewed', 'case', True, True, [], ['cases', 'emergency', 'fields', 'records'],
            'api', 'case_manager')],
 'candidates': [('survivor', ['name', 'phone', 'age'], 'open', True), ('suspect', ['phone'], 'open', True)],
 'case': ('ML', '00001', True, 'cm.meghalaya', 'family', 'Active', 'reported', ['ForcedLabour', 'SexualExploitation']),
 'changes': ['cases.case', 'cases.caseplace', 'cases.caseplace', 'cases.caseplace', 'cases.person',
             'cases.personname', 'cases.personname', 'cases.personphone', 'cases.caseparty', 'cases.person',
             'cases.personname', 'cases.caseparty', 'cases.person', 'cases.personname', 'cases.personphone',
             'cases.caseparty', 'cases.person', 'cases.personname', 'cases.personphone', 'cases.caseparty',
             'prosecution.fir', 'referrals.referral', 'referrals.referraltransition', 'referrals.referral',
             'referrals.referraltransition', 'referrals.referral', 'referrals.referraltransition',
             'deadlines.task'],
 'changes_are_new_rows_of_the_case': True,
 'fir': ('ps_laitumkhrah', '12/2026', 3),
 'notifications': [('duplicate_candidate', 'centre_as', None, False,
                    'A survivor of case AS-2026-00001 may be the same person as one in a case of another '
                    'organisation (Impulse Case Management Centre, Shillong). Review it under Duplicate '
                    'candidates.'),
                   ('duplicate_candidate', 'centre_as', None, False,
                    'A suspect of case AS-2026-00001 may be the same person as one in a case of another '
                    'organisation (Impulse Case Management Centre, Shillong). Review it under Duplicate '
                    'candidates.'),
                   ('duplicate_candidate', 'centre_ml', None, True,
                    'A survivor of case <ref> may be the same person as one in a case of another organisation '
                    '(Impulse Partner Centre, Guwahati). Review it under Duplicate candidates.'),
                   ('duplicate_candidate', 'centre_ml', None, True,
                    'A suspect of case <ref> may be the same person as one in a case of another organisation '
                    '(Impulse Partner Centre, Guwahati). Review it under Duplicate candidates.')],
 'parties': [('reporter', 'NonSpecifiedUnknown', None, 'None', [], [], [('Reporter Example', False, 0, 'Latn')],
              ['+919800000001'], {'sound': 2, 'word': 2}),
             ('survivor', 'Feminine', 16, 'None', [], [],
              [('Rimi', True, 1, 'Latn'), ('Rimpi Khongwir', False, 0, 'Latn')], ['+919811100001'],
              {'sound': 3, 'word': 3}),
             ('survivor', 'Feminine', None, '2001-04-02', ['IN'], ['kha', 'eng'],
              [('Daphisha Lyngdoh', False, 0, 'Latn')], [], {'sound': 2, 'word': 2}),
             ('suspect', 'Masculine', 40, 'None', [], [], [('Bah Kyrmen', False, 0, 'Latn')], ['+919811100002'],
              {'sound': 2, 'word': 2})],
 'places': [('recruitment', 'IN-ML-EAST-KHASI-HILLS', 0, 'Umiam village'), ('transit', 'IN-AS-CACHAR', 1, ''),
            ('exploitation', 'IN-AS-KAMRUP-METROPOLITAN', 2, 'Near the station')],
 'record_states': [('cases.case',
                    ['case_manager', 'closure_outcome', 'closure_reason', 'destination_ahtu', 'owner',
                     'reporter_type', 'source_ahtu', 'stage', 'status', 'summary']),
                   ('deadlines.task', ['note', 'owner_organisation', 'owner_user', 'state']),
                   ('prosecution.fir', ['number', 'police_station', 'police_station_name', 'registered_on']),
                   ('referrals.referral', ['purpose', 'state', 'to_organisation']),
                   ('referrals.referral', ['purpose', 'state', 'to_organisation']),
                   ('referrals.referral', ['purpose', 'state', 'to_organisation'])],
 'referrals': [('ahtu_ekh', 'centre_ml', 'investigation', 'proposed', True,
                [('', 'proposed', 'cm.meghalaya', 'centre_ml')]),
               ('ahtu_kamrup', 'centre_ml', 'investigation', 'proposed', True,
                [('', 'proposed', 'cm.meghalaya', 'centre_ml')]),
               ('shelter_ngo_jowai', 'centre_ml', 'repatriation', 'proposed', True,
                [('', 'proposed', 'cm.meghalaya', 'centre_ml')])],
 'rows': {'audit.AuditEvent': 2,
          'cases.Case': 1,
          'cases.CaseParty': 4,
          'cases.CasePlace': 3,
          'cases.CaseReferenceCounter': 1,
          'cases.Case_exploitation_types': 2,
          'cases.Person': 4,
          'cases.PersonName': 5,
          'cases.PersonPhone': 3,
          'deadlines.Notification': 4,
          'deadlines.Task': 1,
          'matching.DuplicateCandidate': 2,
          'prosecution.FIR': 1,
          'referrals.Referral': 3,
          'referrals.ReferralTransition': 3,
          'sync.Change': 28,
          'sync.RecordState': 6,
          'vault.CaseKey': 1,
          'vault.PersonKey': 4,
          'vault.SearchToken': 18},
 'tasks': [('victim_informed', 'ps_laitumkhrah', None, 'open', 'BNSS 193(3)(ii)', True, None, 87)]}

# The same report without the FIR, by the same organisation: the same people again (more candidates, some
# within the organisation), the deadline task to get the FIR registered, the same referrals.
SECOND: dict[str, Any] = {'audit': [('case.reported', 'case', True, True,
            ['destination_ahtu', 'exploitation_types', 'parties', 'places', 'reference', 'reported_at',
             'reporter_type', 'source_ahtu', 'summary'],
            {'duplicate_candidates': 5,
             'fir': False,
             'referrals_proposed': 3,
             'reporter_named': True,
             'survivors': 2,
             'suspects': 1},
            'api', 'case_manager'),
           ('person.identity_viewed', 'case', True, True, [], ['cases', 'emergency', 'fields', 'records'],
            'api', 'case_manager')],
 'candidates': [('survivor', ['name', 'age'], 'open', True),
                ('survivor', ['name', 'phone', 'age'], 'open', False),
                ('survivor', ['name', 'phone', 'age'], 'open', True),
                ('survivor', ['name', 'phone', 'age'], 'open', True),
                ('suspect', ['name', 'phone', 'age'], 'open', True), ('suspect', ['phone'], 'open', False),
                ('suspect', ['phone'], 'open', True)],
 'case': ('ML', '00002', True, 'cm.meghalaya', 'family', 'Active', 'reported', ['ForcedLabour', 'SexualExploitation']),
 'changes': ['cases.case', 'cases.caseplace', 'cases.caseplace', 'cases.caseplace', 'cases.person',
             'cases.personname', 'cases.personname', 'cases.personphone', 'cases.caseparty', 'cases.person',
             'cases.personname', 'cases.caseparty', 'cases.person', 'cases.personname', 'cases.personphone',
             'cases.caseparty', 'cases.person', 'cases.personname', 'cases.personphone', 'cases.caseparty',
             'referrals.referral', 'referrals.referraltransition', 'referrals.referral',
             'referrals.referraltransition', 'referrals.referral', 'referrals.referraltransition',
             'deadlines.task'],
 'changes_are_new_rows_of_the_case': True,
 'fir': None,
 'notifications': [('duplicate_candidate', 'centre_as', None, False,
                    'A survivor of case AS-2026-00001 may be the same person as one in a case of another '
                    'organisation (Impulse Case Management Centre, Shillong). Review it under Duplicate '
                    'candidates.'),
                   ('duplicate_candidate', 'centre_as', None, False,
                    'A survivor of case AS-2026-00001 may be the same person as one in a case of another '
                    'organisation (Impulse Case Management Centre, Shillong). Review it under Duplicate '
                    'candidates.'),
                   ('duplicate_candidate', 'centre_as', None, False,
                    'A suspect of case AS-2026-00001 may be the same person as one in a case of another '
                    'organisation (Impulse Case Management Centre, Shillong). Review it under Duplicate '
                    'candidates.'),
                   ('duplicate_candidate', 'centre_as', None, False,
                    'A suspect of case AS-2026-00001 may be the same person as one in a case of another '
                    'organisation (Impulse Case Management Centre, Shillong). Review it under Duplicate '
                    'candidates.'),
                   ('duplicate_candidate', 'centre_ml', None, False,
                    'A survivor of case ML-2026-00001 may be the same person as one in a case of another '
                    'organisation (Impulse Partner Centre, Guwahati). Review it under Duplicate candidates.'),
                   ('duplicate_candidate', 'centre_ml', None, False,
                    'A suspect of case ML-2026-00001 may be the same person as one in a case of another '
                    'organisation (Impulse Partner Centre, Guwahati). Review it under Duplicate candidates.'),
                   ('duplicate_candidate', 'centre_ml', None, True,
                    'A survivor of case <ref> may be the same person as one in a case of another organisation '
                    '(Impulse Partner Centre, Guwahati). Review it under Duplicate candidates.'),
                   ('duplicate_candidate', 'centre_ml', None, True,
                    'A survivor of case <ref> may be the same person as one in your case ML-2026-00001. Review '
                    'it under Duplicate candidates.'),
                   ('duplicate_candidate', 'centre_ml', None, True,
                    'A survivor of case <ref> may be the same person as one in your case ML-2026-00001. Review '
                    'it under Duplicate candidates.'),
                   ('duplicate_candidate', 'centre_ml', None, True,
                    'A suspect of case <ref> may be the same person as one in a case of another organisation '
                    '(Impulse Partner Centre, Guwahati). Review it under Duplicate candidates.'),
                   ('duplicate_candidate', 'centre_ml', None, True,
                    'A suspect of case <ref> may be the same person as one in your case ML-2026-00001. Review '
                    'it under Duplicate candidates.')],
 'parties': [('reporter', 'NonSpecifiedUnknown', None, 'None', [], [], [('Reporter Example', False, 0, 'Latn')],
              ['+919800000001'], {'sound': 2, 'word': 2}),
             ('survivor', 'Feminine', 16, 'None', [], [],
              [('Rimi', True, 1, 'Latn'), ('Rimpi Khongwir', False, 0, 'Latn')], ['+919811100001'],
              {'sound': 3, 'word': 3}),
             ('survivor', 'Feminine', None, '2001-04-02', ['IN'], ['kha', 'eng'],
              [('Daphisha Lyngdoh', False, 0, 'Latn')], [], {'sound': 2, 'word': 2}),
             ('suspect', 'Masculine', 40, 'None', [], [], [('Bah Kyrmen', False, 0, 'Latn')], ['+919811100002'],
              {'sound': 2, 'word': 2})],
 'places': [('recruitment', 'IN-ML-EAST-KHASI-HILLS', 0, 'Umiam village'), ('transit', 'IN-AS-CACHAR', 1, ''),
            ('exploitation', 'IN-AS-KAMRUP-METROPOLITAN', 2, 'Near the station')],
 'record_states': [('cases.case',
                    ['case_manager', 'closure_outcome', 'closure_reason', 'destination_ahtu', 'owner',
                     'reporter_type', 'source_ahtu', 'stage', 'status', 'summary']),
                   ('deadlines.task', ['note', 'owner_organisation', 'owner_user', 'state']),
                   ('referrals.referral', ['purpose', 'state', 'to_organisation']),
                   ('referrals.referral', ['purpose', 'state', 'to_organisation']),
                   ('referrals.referral', ['purpose', 'state', 'to_organisation'])],
 'referrals': [('ahtu_ekh', 'centre_ml', 'investigation', 'proposed', True,
                [('', 'proposed', 'cm.meghalaya', 'centre_ml')]),
               ('ahtu_kamrup', 'centre_ml', 'investigation', 'proposed', True,
                [('', 'proposed', 'cm.meghalaya', 'centre_ml')]),
               ('shelter_ngo_jowai', 'centre_ml', 'repatriation', 'proposed', True,
                [('', 'proposed', 'cm.meghalaya', 'centre_ml')])],
 'rows': {'audit.AuditEvent': 2,
          'cases.Case': 1,
          'cases.CaseParty': 4,
          'cases.CasePlace': 3,
          'cases.Case_exploitation_types': 2,
          'cases.Person': 4,
          'cases.PersonName': 5,
          'cases.PersonPhone': 3,
          'deadlines.Notification': 7,
          'deadlines.Task': 1,
          'matching.DuplicateCandidate': 5,
          'referrals.Referral': 3,
          'referrals.ReferralTransition': 3,
          'sync.Change': 27,
          'sync.RecordState': 5,
          'vault.CaseKey': 1,
          'vault.PersonKey': 4,
          'vault.SearchToken': 18},
 'tasks': [('fir_without_delay', 'centre_ml', 'cm.meghalaya', 'open', 'BNSS 173', True, None, 0)]}



def test_report_form_reads_its_chosen_rows_in_one_query_per_kind(world: World) -> None:
    """The three places' jurisdictions in one query, the two AHTUs in another, the police station in a third;
    unknown or malformed choices still get ModelChoiceField's answers."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from icmc.access.errors import InvalidInput
    from icmc.cases.forms import parse_report

    body = _body(world, fir=True)
    people = {"survivors": body.pop("survivors"), "suspects": body.pop("suspects")}
    with CaptureQueriesContext(connection) as ctx:
        parsed = parse_report(data=body, **people)
    assert len(ctx.captured_queries) == 3, [q["sql"][:60] for q in ctx.captured_queries]
    assert [p.jurisdiction.code for p in parsed.places] == ["IN-ML-EAST-KHASI-HILLS", "IN-AS-CACHAR",
                                                            "IN-AS-KAMRUP-METROPOLITAN"]
    assert (parsed.source_ahtu, parsed.destination_ahtu, parsed.fir.police_station) == (
        world.organisations["ahtu_ekh"], world.organisations["ahtu_kamrup"], world.organisations["ps_laitumkhrah"])
    wrong = {"transit_jurisdiction": "XX-NOWHERE", "destination_jurisdiction": "IN\x00ML",
             # an organisation that exists but is not an AHTU, a key that is not one, and the police station
             # as a centre
             "source_ahtu": str(world.organisations["centre_as"].id), "destination_ahtu": "junk",
             "fir_police_station": str(world.organisations["centre_ml"].id)}
    try:
        parse_report(data=body | wrong, **people)
    except InvalidInput as exc:
        errors = exc.errors
    assert {name: errors[name] for name in wrong} == {
        "transit_jurisdiction": ["Unknown jurisdiction code."], "destination_jurisdiction": [
            "Null characters are not allowed."], "source_ahtu": ["Unknown organisation for this field."],
        "destination_ahtu": ["“junk” is not a valid UUID."],
        "fir_police_station": ["Unknown organisation for this field.",
                               "Say at which police station the FIR was registered."]}
