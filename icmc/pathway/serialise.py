"""Plain dicts of pathway and prosecution records for the API (P0 fields withheld without identity rights)."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import models

from icmc.access.redaction import Clearance, redact
from icmc.accounts.models import Jurisdiction
from icmc.pathway.queries import SurvivorView
from icmc.pathway.records import RecordKind
from icmc.prosecution.queries import ProsecutionView
from icmc.vault.sealed import sealed_fields


def _value(value: Any) -> Any:
    if isinstance(value, Jurisdiction):
        return value.code
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def record(obj: Any, *, kind: RecordKind, clearance: Clearance) -> dict[str, Any]:
    """A record's fields, cut down to the clearance (icmc.access.redaction.redact)."""
    values: dict[str, Any] = {"id": str(obj.pk), "version": obj.version, "created_at": obj.created_at.isoformat(),
                              "updated_at": obj.updated_at.isoformat()}
    sealed = sealed_fields(type(obj))  # type: ignore[arg-type]
    hidden = {f"{name}_sealed" for name in sealed}
    for f in obj._meta.concrete_fields:
        if f.name not in values and f.name not in hidden:  # a foreign key as its key (attname)
            values[f.name] = _value(getattr(obj, f.attname))
    for name in sealed:  # a sealed column as its plain value (opened by the vault), never its token
        values[name] = getattr(obj, name)
    for f in obj._meta.many_to_many:
        values[f.name] = [str(pk) for pk in getattr(obj, f.name).values_list("pk", flat=True)]
    out: dict[str, Any] = {"kind": kind.key, **redact(values, model=obj._meta.label, clearance=clearance)}
    if kind.key == "rescue_operation":
        out["survivors"] = [str(r.party_id) for r in obj.rescued.all()]
    return out


def survivor(view: SurvivorView, *, kinds: dict[str, RecordKind], clearance: Clearance) -> dict[str, Any]:
    return {
        "party_id": str(view.party.id),
        "stage": view.stage,
        "minor": view.minor,
        "progress": [{"stage": s.stage, "state": s.state, "on": _value(s.on)} for s in view.steps],
        "next": [{"to": n.target, "label": n.label, "allowed": n.blocked_by is None, "blocked_by": n.blocked_by}
                 for n in view.next],
        "records": {key: [record(r, kind=kinds[key], clearance=clearance) for r in rows]
                    for key, rows in view.records.items()},
        "follow_up": None if view.follow_up is None else {
            **record(view.follow_up, kind=kinds["follow_up_plan"], clearance=clearance),
            "visits": [{**record(v.record, kind=kinds["follow_up_visit"], clearance=clearance), "status": v.status}
                       for v in view.visits],
        },
    }


def prosecution(view: ProsecutionView, *, kinds: dict[str, RecordKind], clearance: Clearance) -> dict[str, Any]:
    def rec(obj: Any, key: str) -> dict[str, Any]:
        return record(obj, kind=kinds[key], clearance=clearance)

    return {
        "firs": [{**rec(f.fir, "fir"), "law_regime": f.regime,
                  "charges": [{**rec(c, "charge"), "act": c.offence.act, "section": c.offence.section,
                               "title": c.offence.title} for c in f.charges]}
                 for f in view.firs],
        "accused": [{**rec(a.accused, "accused"), "chargesheets": [rec(c, "chargesheet") for c in a.chargesheets],
                     "verdict": rec(a.verdict, "verdict") if a.verdict else None}
                    for a in view.accused],
        "hearings": [rec(h, "hearing") for h in view.hearings],
    }
