"""Model rows -> plain data in the shapes of icmc.api.schemas. Reads only what the caller fetched (the
querysets of icmc.cases.queries prefetch it), so serialising adds no queries per row."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from icmc.access.redaction import Clearance, redact
from icmc.accounts.models import Membership, Organisation, User
from icmc.cases.models import Case, CaseParty, CasePlace, Note, Person, PersonName, PersonPhone
from icmc.cases.people import is_minor
from icmc.prosecution.law import law_regime
from icmc.prosecution.models import FIR


def ref(obj: Organisation | User | None) -> dict[str, Any] | None:
    if obj is None:
        return None
    if isinstance(obj, User):
        return {"id": obj.id, "name": obj.get_full_name() or obj.username}
    return {"id": obj.id, "name": obj.name}


def place(row: CasePlace, *, clearance: Clearance | None) -> dict[str, Any]:
    """A place; with no clearance (the case list) without its detail at all."""
    j = row.jurisdiction
    data: dict[str, Any] = {"kind": row.kind, "jurisdiction": {"code": j.code, "name": j.name} if j else None}
    if clearance is None:
        return data
    return redact({**data, "detail": row.detail}, model="cases.CasePlace", clearance=clearance)


def case_summary(case: Case) -> dict[str, Any]:
    """A row of the case list: no names, no place details."""
    return {
        "id": case.id, "reference": case.reference, "reported_at": case.reported_at, "stage": case.stage,
        "status": case.status, "exploitation_types": sorted(ref.code for ref in case.exploitation_types.all()),
        "places": [place(p, clearance=None) for p in case.places.all()],
        "survivor_count": getattr(case, "survivor_count", 0), "owner": ref(case.owner),
    }


def person(row: Person, *, clearance: Clearance, today: datetime.date, names: Sequence[PersonName] | None = None,
           phones: Sequence[PersonPhone] | None = None) -> dict[str, Any]:
    """A person, cut down to the clearance (without P0: no names, phones or birth date). `names` and `phones`:
    the person's rows when the caller has read them already (person search), else they are read from `row`."""
    return redact({
        "id": row.id,
        "names": [{"value": n.value, "script": n.script, "is_alias": n.is_alias}
                  for n in (row.names.all() if names is None else names)],
        "gender": row.gender,
        "birth_date": row.birth_date,
        "estimated_age": row.estimated_age,
        "is_minor": is_minor(person=row, on=today),
        "citizenship": list(row.citizenship),
        "languages": list(row.languages),
        "phones": [p.number for p in (row.phones.all() if phones is None else phones)],
    }, model="cases.Person", clearance=clearance)


def party(row: CaseParty, *, clearance: Clearance, today: datetime.date | None = None) -> dict[str, Any]:
    return {**redact({"id": row.id, "role": row.role}, model="cases.CaseParty", clearance=clearance),
            "person": person(row.person, clearance=clearance, today=today or timezone.localdate())}


def fir(row: FIR, *, clearance: Clearance) -> dict[str, Any]:
    return redact({
        "id": row.id, "police_station": ref(row.police_station), "police_station_name": row.police_station_name,
        "number": row.number, "registered_on": row.registered_on,
        "law_regime": str(law_regime(registered_on=row.registered_on)) if row.registered_on else None,
        "version": row.version,
    }, model="prosecution.FIR", clearance=clearance)


def note(row: Note, *, clearance: Clearance) -> dict[str, Any]:
    return redact({"id": row.id, "body": row.body, "author": ref(row.author), "organisation": ref(row.organisation),
                   "created_at": row.created_at}, model="cases.Note", clearance=clearance)


def case_detail(case: Case, *, related: dict[str, Any], clearance: Clearance) -> dict[str, Any]:
    """The case page's data; `related` is icmc.cases.queries.case_detail_queryset(case=case), cut down to what
    the actor's referrals share (icmc.referrals.queries.shared_detail)."""
    today = timezone.localdate()
    data = redact({
        "id": case.id, "reference": case.reference, "status": case.status, "stage": case.stage,
        "reported_at": case.reported_at, "reporter_type": case.reporter_type, "summary": case.summary,
        "exploitation_types": sorted(related["exploitation_types"]), "owner": ref(case.owner),
        "source_ahtu": ref(case.source_ahtu), "destination_ahtu": ref(case.destination_ahtu),
        "version": case.version,
    }, model="cases.Case", clearance=clearance)
    return {
        **data,
        "places": [place(p, clearance=clearance) for p in related["places"]],
        "firs": [fir(f, clearance=clearance) for f in related["firs"]],
        "parties": [party(p, clearance=clearance, today=today) for p in related["parties"]],
        "notes": [note(n, clearance=clearance) for n in related["notes"]],
    }


def membership(row: Membership) -> dict[str, Any]:
    org = row.organisation
    return {"id": row.id, "organisation": {"id": org.id, "name": org.name, "kind": org.kind}, "role": row.role}
