"""Replay of pushed mutations through the same actions as the pages and the API, parsed by the same forms,
with the acting user's permissions as they are now. One function per action name."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.access.policy import Perm
from icmc.access.queries import access_case
from icmc.cases.actions import do_add_note, do_add_party, do_report_case
from icmc.cases.forms import parse_add_party, parse_fir, parse_note, parse_report
from icmc.prosecution.actions import do_record_fir


def _mapping(args: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = args.get(key, {})
    if not isinstance(value, Mapping):
        raise InvalidInput({key: ["Give a JSON object."]})
    return value


def _list(args: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = args.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise InvalidInput({key: ["Give a list of JSON objects."]})
    return value


def _case(args: Mapping[str, Any], *, actor: Actor, perm: Perm) -> Any:
    return access_case(actor=actor, case_id=str(args.get("case", "")), perm=perm)


def report_case(*, actor: Actor, args: Mapping[str, Any]) -> dict[str, Any]:
    parsed = parse_report(data=_mapping(args, "data"), survivors=_list(args, "survivors"),
                          suspects=_list(args, "suspects"))
    case = do_report_case(parsed, actor=actor)
    return {"type": "cases.case", "id": str(case.id), "reference": case.reference}


def add_note(*, actor: Actor, args: Mapping[str, Any]) -> dict[str, Any]:
    case = _case(args, actor=actor, perm=Perm.CASE_VIEW)
    note = do_add_note(case, actor=actor, body=parse_note(data=args))
    return {"type": "cases.note", "id": str(note.id)}


def add_party(*, actor: Actor, args: Mapping[str, Any]) -> dict[str, Any]:
    case = _case(args, actor=actor, perm=Perm.CASE_VIEW)
    party = do_add_party(case, actor=actor, data=parse_add_party(data=args))
    return {"type": "cases.caseparty", "id": str(party.id)}


def record_fir(*, actor: Actor, args: Mapping[str, Any]) -> dict[str, Any]:
    case = _case(args, actor=actor, perm=Perm.CASE_VIEW)
    fir = do_record_fir(case, actor=actor, data=parse_fir(data=args))
    return {"type": "prosecution.fir", "id": str(fir.id), "version": fir.version}


REPLAY: dict[str, Callable[..., dict[str, Any]]] = {
    "report_case": report_case,
    "add_note": add_note,
    "add_party": add_party,
    "record_fir": record_fir,
}
