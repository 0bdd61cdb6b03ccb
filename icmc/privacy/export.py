"""CSV export of the case list (security checklist item 17, docs/privacy.md).

The rows are the case list the actor sees (icmc.cases.queries.case_list with the same filters), narrowed to the
cases the actor may export (`case.export`). Without identities: the columns of the list (no names, no place
details). With identities (the survivors' names and phones): only by carrying out the actor's own approved
`export_identities` request (two-person approval, step-up), once, and only for cases where the actor may see
identities itself (not through a referral). Every cell is neutralised against spreadsheet formulas.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.access.policy import Perm
from icmc.access.queries import require_perm, visible_cases
from icmc.audit.record import record_event
from icmc.cases.codes import PartyRole, PlaceKind
from icmc.cases.models import Case, CaseParty
from icmc.cases.queries import CaseFilters, case_list, parse_filters
from icmc.privacy import kinds as K
from icmc.privacy.actions import consume_approval, require_step_up
from icmc.privacy.ledger import record_disclosure
from icmc.privacy.models import DisclosureChannel

MAX_ROWS = 50_000
# OWASP CSV injection: a cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
COLUMNS = ["reference", "reported_at", "status", "stage", "owner", "exploitation_types", "source_jurisdictions",
           "destination_jurisdictions", "survivors"]
IDENTITY_COLUMNS = ["survivor_names", "survivor_phones"]
# The filters an export may carry (those of the case list; none is personal data).
FILTER_KEYS = ("stage", "status", "state", "district", "exploitation_type", "reported_from", "reported_to")


def neutralise(value: object) -> str:
    """A cell that a spreadsheet will show as text, never run as a formula: prefixed with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def filter_parameters(data: Any) -> dict[str, str]:
    """The export's filters, validated like the case list's, as a plain dict (kept on an approval request)."""
    raw = {key: str(data.get(key) or "").strip() for key in FILTER_KEYS}
    parse_filters(data=raw)  # InvalidInput with the field messages
    return {key: value for key, value in raw.items() if value}


@dataclass(frozen=True, kw_only=True)
class Export:
    content: str
    rows: int
    identity: bool

    def filename(self) -> str:
        return "cases-with-identities.csv" if self.identity else "cases.csv"


def _places(case: Case, kind: str) -> str:
    return "; ".join(p.jurisdiction.name for p in case.places.all() if p.kind == kind and p.jurisdiction)


def _write(rows: Iterable[list[object]], header: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()


def _cases(*, actor: Actor, filters: CaseFilters) -> list[Case]:
    exportable = visible_cases(actor=actor, perm=Perm.CASE_EXPORT, referred=False).values("pk")
    cases = list(case_list(actor=actor, filters=filters).filter(pk__in=exportable)[:MAX_ROWS + 1])
    if len(cases) > MAX_ROWS:
        raise InvalidInput({"__all__": [f"More than {MAX_ROWS} cases: narrow the filters."]})
    return cases


def _row(case: Case) -> list[object]:
    return [case.reference, case.reported_at.isoformat(), case.status, case.stage, case.owner.name,
            "; ".join(sorted(ref.code for ref in case.exploitation_types.all())),
            _places(case, PlaceKind.RECRUITMENT), _places(case, PlaceKind.EXPLOITATION),
            getattr(case, "survivor_count", "")]


@transaction.atomic
def do_export_cases(*, actor: Actor, data: Any, stepped_up: bool) -> Export:
    """The case list as CSV, without identities. Needs step-up; audited `cases.exported`."""
    require_perm(actor=actor, perm=Perm.CASE_EXPORT)
    require_step_up(stepped_up=stepped_up)
    parameters = filter_parameters(data)
    cases = _cases(actor=actor, filters=parse_filters(data=parameters))
    content = _write((_row(c) for c in cases), COLUMNS)
    record_event(actor=actor, action="cases.exported", object_type="case_list", object_id=None,
                 details={"rows": len(cases), "identity": False, "filters": sorted(parameters)})
    return Export(content=content, rows=len(cases), identity=False)


@transaction.atomic
def do_export_identities(approval_id: uuid.UUID | str, *, actor: Actor, stepped_up: bool) -> Export:
    """Carry out an approved `export_identities` request: the CSV with the survivors' names and phones, for
    the cases where the actor may see identities itself. Every survivor exported to an organisation other than
    their case's owner is written to the share ledger."""
    approval = consume_approval(approval_id, actor=actor, kind=K.EXPORT_IDENTITIES, stepped_up=stepped_up)
    require_perm(actor=actor, perm=Perm.CASE_EXPORT)
    cases = _cases(actor=actor, filters=parse_filters(data=approval.parameters))
    identity_ids = set(visible_cases(actor=actor, perm=Perm.PERSON_VIEW_IDENTITY, referred=False)
                       .filter(pk__in=[c.pk for c in cases]).values_list("pk", flat=True))
    survivors: dict[object, list[CaseParty]] = {}
    for party in (CaseParty.objects.filter(case_id__in=identity_ids, role=PartyRole.SURVIVOR)
                  .select_related("person").prefetch_related("person__names", "person__phones")
                  .order_by("created_at")):
        survivors.setdefault(party.case_id, []).append(party)
    rows, exported = [], 0
    assert actor.membership is not None
    for case in cases:
        parties = survivors.get(case.pk, [])
        names = "; ".join(n.value for p in parties for n in p.person.names.all())
        phones = "; ".join(ph.number for p in parties for ph in p.person.phones.all())
        rows.append([*_row(case), names, phones])
        exported += len(parties)
        if parties and case.owner_id != actor.membership.organisation_id:
            record_disclosure(actor=actor, case=case, parties=parties, from_organisation=case.owner,
                              to_organisation=actor.membership.organisation,
                              channel=DisclosureChannel.EXPORT, categories=["names", "phones", "case_report"],
                              approval_id=approval.id)
    content = _write(rows, COLUMNS + IDENTITY_COLUMNS)
    record_event(actor=actor, action="cases.exported", object_type="case_list", object_id=None,
                 details={"rows": len(cases), "identity": True, "persons": exported,
                          "approval": str(approval.id), "filters": sorted(approval.parameters)})
    return Export(content=content, rows=len(cases), identity=True)
