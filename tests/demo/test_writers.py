"""The two writers: through the real actions, and in bulk with rows equivalent to the actions' rows."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from icmc.access.queries import visible_cases
from icmc.audit.chain import verify
from icmc.audit.models import AuditEvent
from icmc.cases.models import Case, CaseParty, CaseReferenceCounter, Note, PersonName
from icmc.deadlines.models import Task
from icmc.demo.bulk import write_bulk
from icmc.demo.directory import Directory
from icmc.demo.write_actions import report_spec, report_specs
from icmc.prosecution.models import FIR
from icmc.referrals.models import Referral
from icmc.sync.models import Change
from icmc.vault.sealed import sealed_fields
from tests.demo.conftest import world_specs

# Values that legitimately differ between two writes of the same spec.
_VOLATILE = {"id", "created_at", "updated_at", "reference", "case", "person", "age_estimated_on", "at", "seq",
             "prev_hash", "hash", "object_id", "case_id", "referral", "source_id",
             # sealed with a random nonce: the plain values are compared
             "value_sealed", "number_sealed", "detail_sealed"}


def _row(obj: models.Model) -> dict[str, Any]:
    """A row's fields: values where they must match, and for the volatile ones only whether they are set."""
    out = {}
    for f in obj._meta.concrete_fields:
        value = getattr(obj, f.attname)
        out[f.name] = bool(value not in (None, "", [], {})) if f.name in _VOLATILE else value
    for plain in sealed_fields(type(obj)):
        out[plain] = getattr(obj, plain)
    return out


def _event(event: AuditEvent) -> dict[str, Any]:
    """An event's row without `duplicate_candidates`: the actions flag repeated synthetic names as duplicate
    candidates, the bulk writer does not look for them (docs/decisions/0008-duplicate-candidates.md)."""
    row = _row(event)
    row["details"] = {k: v for k, v in (row.get("details") or {}).items() if k != "duplicate_candidates"}
    return row


def _shape(case: Case) -> dict[str, Any]:
    parties = CaseParty.objects.filter(case=case).select_related("person").order_by("created_at", "id")
    return {
        "case": _row(case),
        "types": sorted(case.exploitation_types.values_list("code", flat=True)),
        "places": [_row(p) for p in case.places.order_by("position")],
        "parties": sorted(
            (
                str(_row(party)), str(_row(party.person)),
                str([_row(n) for n in party.person.names.order_by("position")]),
                str([_row(p) for p in party.person.phones.all()]),
            )
            for party in parties
        ),
        "firs": [_row(f) for f in FIR.objects.filter(case=case)],
        "notes": [_row(n) for n in Note.objects.filter(case=case).order_by("created_at")],
        "referrals": sorted(
            (str(_row(r)), str([_row(t) for t in r.transitions.order_by("created_at")]))
            for r in Referral.objects.filter(case=case)
        ),
        "tasks": sorted(str(_row(t)) for t in Task.objects.filter(case=case)),  # the deadline engine's
        "events": [_event(e) for e in AuditEvent.objects.filter(case_id=case.id).order_by("seq")],
        "changes": sorted((c.object_type, c.op, c.version) for c in Change.objects.filter(case_id=case.id)),
    }


def test_action_writer_reports_audited_cases_with_their_notes(world, anchor):
    specs = world_specs(seed=4, count=12, anchor=anchor)
    cases = report_specs(specs)
    assert len(cases) == 12
    for spec, case in zip(specs, cases, strict=True):
        events = list(AuditEvent.objects.filter(case_id=case.id).values_list("action", "via"))
        assert events == [("case.reported", "cli")] + [("note.added", "cli")] * len(spec.notes)
        assert case.reference.startswith({"IN-ML": "ML-", "IN-AS": "AS-"}[spec.state])
        assert case.parties.filter(role="survivor").count() == len(spec.survivors)
        assert Change.objects.filter(case_id=case.id, object_type="cases.case").count() == 1
    assert list(verify()) == []


def test_bulk_rows_are_the_rows_the_actions_write(world, anchor):
    specs = world_specs(seed=9, count=30, anchor=anchor)
    directory = Directory.load()
    by_action = [report_spec(spec, directory=directory) for spec in specs]
    result = write_bulk(specs, directory=directory, batch_size=7)
    assert (result.cases, result.notes) == (30, sum(len(s.notes) for s in specs))
    by_bulk = list(Case.objects.exclude(pk__in=[c.pk for c in by_action]).order_by("created_at", "reference"))
    by_bulk.sort(key=lambda c: next(i for i, s in enumerate(specs) if s.summary == c.summary
                                    and s.reported_at == c.reported_at))
    assert len(by_bulk) == 30
    differing = [i for i, (a, b) in enumerate(zip(by_action, by_bulk, strict=True)) if _shape(a) != _shape(b)]
    assert differing == []
    assert all(c.version == 1 for c in by_bulk)
    assert list(verify()) == []  # bulk events are linked into the audit hash chain


def test_bulk_cases_are_visible_to_their_owners_and_assigned_ahtus(world, anchor):
    specs = world_specs(seed=13, count=60, anchor=anchor)
    write_bulk(specs)
    ml = set(visible_cases(actor=world.actor("cm.meghalaya")).values_list("pk", flat=True))
    assam = set(visible_cases(actor=world.actor("cm.assam")).values_list("pk", flat=True))
    assert len(ml) == sum(s.state == "IN-ML" for s in specs)
    assert len(assam) == sum(s.state == "IN-AS" for s in specs)
    assert len(ml | assam) == 60
    ekh = visible_cases(actor=world.actor("ahtu.ekh"))
    assert ekh.exists()
    assert all(c.source_ahtu_id == world.organisations["ahtu_ekh"].id
               or c.destination_ahtu_id == world.organisations["ahtu_ekh"].id for c in ekh)
    assert not visible_cases(actor=world.actor("media.shillong")).exists()
    assert AuditEvent.objects.filter(action="case.reported").count() == 60


def test_bulk_references_continue_the_counters_the_action_uses(world, anchor):
    directory = Directory.load()
    first, *middle, last = [
        dataclasses.replace(s, state="IN-ML", reported_at=timezone.now() - datetime.timedelta(minutes=1))
        for s in world_specs(seed=17, count=6, anchor=anchor)
    ]
    before = report_spec(first, directory=directory)
    write_bulk(middle, directory=directory)
    after = report_spec(last, directory=directory)
    references = sorted(Case.objects.values_list("reference", flat=True))
    prefix = before.reference.rsplit("-", 1)[0]
    assert references == [f"{prefix}-{n:05d}" for n in range(1, 7)]
    assert after.reference == f"{prefix}-00006"
    counter = CaseReferenceCounter.objects.get(organisation=world.organisations["centre_ml"],
                                               year=int(prefix.split("-")[1]))
    assert counter.last_number == 6


def test_bulk_writes_persons_names_in_their_scripts(world, anchor):
    specs = world_specs(seed=23, count=40, anchor=anchor)
    write_bulk(specs)
    expected = sum(len(s.survivors) + len(s.suspects) + (s.reporter is not None) for s in specs)
    assert CaseParty.objects.count() == expected
    scripts = set(PersonName.objects.values_list("script", flat=True))
    assert "Latn" in scripts and scripts & {"Deva", "Beng"}
