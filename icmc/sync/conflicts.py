"""Conflicts between a pushed edit and what changed upstream since the node saw the record.

A mutation of kind edit or move names its target record; the node sends, in `base_versions`, the version of
that record it last saw (`"<type>:<id>": version`; missing = 0). A field counts as changed meanwhile when its
field version (icmc.sync.versions) is above that base:
- a protected field changed meanwhile to another value than the node's: the mutation is **held** (not
  applied) in a ConflictRecord for the case owner;
- other fields changed meanwhile: the node's change (the later arrival) is applied, and the value it
  overwrote is kept in a ConflictRecord (**overwritten**), which can put it back;
- fields not changed meanwhile just apply; insert-only actions never conflict.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from icmc.access.actor import Actor
from icmc.audit.record import record_event
from icmc.cases.codes import CaseStatus
from icmc.cases.models import Case
from icmc.deadlines.models import Task
from icmc.pathway.models import SurvivorPathway
from icmc.pathway.records import record_kind
from icmc.prosecution.models import FIR
from icmc.referrals.models import Referral
from icmc.referrals.workflow import TRANSITIONS
from icmc.sync.models import ConflictKind, ConflictRecord, Mutation, Node
from icmc.sync.replay import FIR_FIELDS, current_form_data
from icmc.sync.versions import field_value, field_versions, tracked_types, type_name
from icmc.vault.crypto import field_aad, open_sealed, seal, unwrap_data_key
from icmc.vault.identity import new_case_key
from icmc.vault.models import CaseKey
from icmc.vault.sealed import erased_text


@dataclass(frozen=True, kw_only=True)
class Target:
    object_type: str
    object_id: uuid.UUID
    version: int
    case_id: uuid.UUID
    wanted: dict[str, Any]  # field: the value the mutation sets
    current: dict[str, Any]  # field: the value upstream now
    restore: Callable[[list[str]], tuple[str, dict[str, Any]]] | None = None  # action and args putting it back


@dataclass(kw_only=True)
class Pending:
    """A conflict found while replaying, recorded once the mutation row exists."""

    kind: str
    target: Target
    fields: list[str]
    action: str
    args: dict[str, Any]


@dataclass
class Decision:
    held: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)


def _same(a: Any, b: Any) -> bool:
    return a == b or str(a if a is not None else "") == str(b if b is not None else "")


def _record_fir(args: Mapping[str, Any]) -> Target | None:
    fir = FIR.objects.filter(case_id=str(args["case"])).order_by("created_at").first()
    if fir is None:
        return None
    current = {f: field_value(fir, f) for f in FIR_FIELDS}
    return Target(object_type="prosecution.fir", object_id=fir.id, version=fir.version, case_id=fir.case_id,
                  wanted={f: args[f] for f in FIR_FIELDS if args.get(f) is not None}, current=current,
                  restore=lambda fields: ("record_fir", {"case": str(fir.case_id),
                                                         **{f: current[f] for f in fields}}))


def _correct_record(args: Mapping[str, Any]) -> Target | None:
    kind = record_kind(key=str(args["kind"]))
    case = Case.objects.filter(pk=str(args["case"])).first()
    record = kind.records(case=case).filter(pk=str(args["record"])).first() if case else None
    if case is None or record is None:
        return None
    current = current_form_data(kind_key=kind.key, case=case, record=record)
    return Target(object_type=type_name(record), object_id=record.pk, version=record.version, case_id=case.id,
                  wanted=dict(args["data"]), current=current,
                  restore=lambda fields: ("correct_record", {
                      "case": str(case.id), "kind": kind.key, "record": str(record.pk),
                      "data": {f: _jsonable(current.get(f)) for f in fields}}))


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _move_survivor(args: Mapping[str, Any]) -> Target | None:
    row = SurvivorPathway.objects.filter(party_id=uuid.UUID(str(args["party"])),
                                         party__case_id=str(args["case"])).first()
    if row is None:
        return None
    return Target(object_type="pathway.survivorpathway", object_id=row.id, version=row.version,
                  case_id=uuid.UUID(str(args["case"])), wanted={"stage": args["to"]}, current={"stage": row.stage})


def _case_status(wanted: Callable[[Mapping[str, Any]], dict[str, Any]]) -> Callable[..., Target | None]:
    def target(args: Mapping[str, Any]) -> Target | None:
        case = Case.objects.filter(pk=str(args["case"])).first()
        if case is None:
            return None
        values = wanted(args)
        return Target(object_type="cases.case", object_id=case.id, version=case.version, case_id=case.id,
                      wanted=values, current={f: field_value(case, f) for f in values})
    return target


def _referral(verb: str) -> Callable[..., Target | None]:
    def target(args: Mapping[str, Any]) -> Target | None:
        referral = Referral.objects.filter(pk=str(args["referral"])).first()
        if referral is None:
            return None
        return Target(object_type="referrals.referral", object_id=referral.id, version=referral.version,
                      case_id=referral.case_id, wanted={"state": str(TRANSITIONS[verb].target)},
                      current={"state": referral.state})
    return target


def _complete_task(args: Mapping[str, Any]) -> Target | None:
    task = Task.objects.filter(pk=str(args["task"])).first()
    if task is None:
        return None
    return Target(object_type="deadlines.task", object_id=task.id, version=task.version, case_id=task.case_id,
                  wanted={"state": "done"}, current={"state": task.state})


TARGETS: dict[str, Callable[[Mapping[str, Any]], Target | None]] = {
    "record_fir": _record_fir,
    "correct_record": _correct_record,
    "move_survivor": _move_survivor,
    # The values the actions set, as the model stores them (do_close_case, do_reopen_case).
    "close_case": _case_status(lambda a: {"status": CaseStatus.CLOSED.value, "closure_outcome": a["outcome"]}),
    "reopen_case": _case_status(lambda a: {"status": CaseStatus.ACTIVE.value, "closure_outcome": ""}),
    **{f"{verb}_referral": _referral(verb) for verb in ("send", "accept", "decline", "complete", "withdraw")},
    "complete_task": _complete_task,
}


def target_of(*, action: str, args: Mapping[str, Any]) -> Target | None:
    find = TARGETS.get(action)
    return find(args) if find is not None else None


def base_version(*, base_versions: Mapping[str, Any], target: Target) -> int:
    value = base_versions.get(f"{target.object_type}:{target.object_id}", 0)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def decide(*, target: Target, base: int) -> Decision:
    if base >= target.version:
        return Decision()
    versions = field_versions(object_type=target.object_type, object_id=target.object_id,
                              record_version=target.version)
    protected = tracked_types()[target.object_type].protected
    changed = [f for f in target.wanted if versions.get(f, target.version) > base
               and not _same(target.current.get(f), target.wanted[f])]
    held = [f for f in changed if f in protected]
    if held:
        return Decision(held=held)
    return Decision(overwritten=changed)


def record_conflicts(*, pending: list[Pending], node: Node, mutation: Mutation, actor: Actor) -> list[ConflictRecord]:
    rows = []
    for item in pending:
        conflict = ConflictRecord(id=uuid.uuid4(), case_id=item.target.case_id,
                                  object_type=item.target.object_type, object_id=item.target.object_id,
                                  fields=item.fields, kind=item.kind, action=item.action, node=node,
                                  mutation=mutation, pushed_by=actor.user, created_at=timezone.now())
        p0 = set(tracked_types()[item.target.object_type].p0)
        source = item.target.wanted if item.kind == ConflictKind.HELD else item.target.current
        values = {f: _jsonable(source.get(f)) for f in item.fields}
        if p0 & set(item.fields) or (item.kind == ConflictKind.HELD and p0 & set(item.target.wanted)):
            _seal(conflict, {"args": item.args, "values": values})
        else:
            conflict.args, conflict.values = item.args, values
        conflict.save()
        record_event(actor=actor, action="sync.conflict_recorded", object_type="sync_conflict",
                     object_id=conflict.id, case_id=conflict.case_id, changed_fields=list(item.fields),
                     details={"kind": item.kind, "type": item.target.object_type, "node": str(node.id),
                              "seq": mutation.seq})
        rows.append(conflict)
    return rows


def _aad(conflict: ConflictRecord) -> bytes:
    return field_aad(owner_id=conflict.case_id, label="sync.ConflictRecord.args", row_id=conflict.id)


def _case_key(case_id: uuid.UUID, *, create: bool) -> bytes | None:
    """The case's data key (made if the case has none yet); None once it was destroyed (the case's survivors
    were erased: their whereabouts go with it)."""
    key = CaseKey.objects.filter(case_id=case_id).first()
    if key is None:
        if not create:
            return None
        row, sealer = new_case_key(case_id=case_id)
        row.save()
        return sealer.data_key
    if not key.wrapped:
        return None
    return unwrap_data_key(owner_id=case_id, wrapped=key.wrapped, master_key_id=key.master_key_id, kind="case")


def _seal(conflict: ConflictRecord, content: dict[str, Any]) -> None:
    key = _case_key(conflict.case_id, create=True)
    conflict.args = conflict.values = None
    if key is not None:
        conflict.args_sealed = seal(key, aad=_aad(conflict), plaintext=json.dumps(content))


def _opened(conflict: ConflictRecord) -> dict[str, Any]:
    if not conflict.args_sealed:
        return {"args": conflict.args or {}, "values": conflict.values or {}}
    key = _case_key(conflict.case_id, create=False)
    if key is None:
        return {"args": {}, "values": dict.fromkeys(conflict.fields, erased_text())}
    return dict(json.loads(open_sealed(key, aad=_aad(conflict), token=conflict.args_sealed)))


def args_of(conflict: ConflictRecord) -> dict[str, Any]:
    """The args that put the other value in effect (opened from the vault when sealed)."""
    return dict(_opened(conflict)["args"])


def values_of(conflict: ConflictRecord) -> dict[str, Any]:
    """{field: the value not in effect} (opened from the vault when sealed)."""
    return dict(_opened(conflict)["values"])
