"""Plain dicts of pathway and prosecution records for the API (P0 fields withheld without identity rights)."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import models

from icmc.accounts.models import Jurisdiction
from icmc.pathway.queries import SurvivorView
from icmc.pathway.records import RecordKind
from icmc.prosecution.queries import ProsecutionView


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


def record(obj: Any, *, kind: RecordKind, identity: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"id": str(obj.pk), "kind": kind.key, "version": obj.version,
                           "created_at": obj.created_at.isoformat(), "updated_at": obj.updated_at.isoformat()}
    for f in obj._meta.concrete_fields:
        if f.name in ("id", "version", "created_at", "updated_at"):
            continue
        raw = getattr(obj, f.name)
        out[f.name] = None if (f.name in kind.p0 and not identity) else _value(raw)
    for f in obj._meta.many_to_many:
        out[f.name] = [str(pk) for pk in getattr(obj, f.name).values_list("pk", flat=True)]
    if kind.key == "rescue_operation":
        out["survivors"] = [str(r.party_id) for r in obj.rescued.all()]
    return out


def survivor(view: SurvivorView, *, kinds: dict[str, RecordKind], identity: bool) -> dict[str, Any]:
    return {
        "party_id": str(view.party.id),
        "stage": view.stage,
        "minor": view.minor,
        "progress": [{"stage": s.stage, "state": s.state, "on": _value(s.on)} for s in view.steps],
        "next": [{"to": n.target, "label": n.label, "allowed": n.blocked_by is None, "blocked_by": n.blocked_by}
                 for n in view.next],
        "records": {key: [record(r, kind=kinds[key], identity=identity) for r in rows]
                    for key, rows in view.records.items()},
        "follow_up": None if view.follow_up is None else {
            **record(view.follow_up, kind=kinds["follow_up_plan"], identity=identity),
            "visits": [{**record(v.record, kind=kinds["follow_up_visit"], identity=identity), "status": v.status}
                       for v in view.visits],
        },
    }


def prosecution(view: ProsecutionView, *, kinds: dict[str, RecordKind]) -> dict[str, Any]:
    return {
        "firs": [{**record(f.fir, kind=kinds["fir"], identity=True), "law_regime": f.regime,
                  "charges": [{**record(c, kind=kinds["charge"], identity=True), "act": c.offence.act,
                               "section": c.offence.section, "title": c.offence.title} for c in f.charges]}
                 for f in view.firs],
        "accused": [{**record(a.accused, kind=kinds["accused"], identity=True),
                     "chargesheets": [record(c, kind=kinds["chargesheet"], identity=True) for c in a.chargesheets],
                     "verdict": record(a.verdict, kind=kinds["verdict"], identity=True) if a.verdict else None}
                    for a in view.accused],
        "hearings": [record(h, kind=kinds["hearing"], identity=True) for h in view.hearings],
    }
