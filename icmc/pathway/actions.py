"""The one write path for pathway and prosecution records and for survivor stages. Each action checks the
permission, writes, records one audit event and appends to the change feed, in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput
from icmc.access.queries import access_case
from icmc.audit.record import record_event
from icmc.cases.codes import CaseStage, PartyRole
from icmc.cases.models import Case, CaseParty
from icmc.deadlines.hooks import on_records
from icmc.lib.models import SyncedModel
from icmc.pathway import models as pm
from icmc.pathway.records import RecordInput
from icmc.pathway.stages import apply_transition, current_stage, stamp, sync_case_stage
from icmc.pathway.workflow import BY_NAME, Refused, find_transition
from icmc.sync.feed import record_changes
from icmc.vault.identity import case_sealer_for


def _before_save(record: Any, *, data: RecordInput, actor: Actor, case: Case, created: bool) -> None:
    key = data.kind.key
    if created and hasattr(record, "case_id") and key in ("rescue_operation", "fir", "accused", "hearing"):
        record.case = case
    if key == "rescue_operation" and "place_detail" in data.form.cleaned_data:
        _seal_rescue_place(record, value=data.form.cleaned_data["place_detail"] or "", case=case)
    if key == "home_investigation" and created:
        record.investigator = actor.user
    if key == "follow_up_visit" and created:
        party = data.form.cleaned_data["party"]
        record.plan = pm.FollowUpPlan.objects.get(party=party)
        record.due_on = record.visited_on


def _seal_rescue_place(record: pm.RescueOperation, *, value: str, case: Case) -> None:
    """Seal the rescue's place detail under the case's key (icmc.vault), as the case's places are."""
    if value == record.place_detail and (value == "" or record.place_detail_sealed):
        return  # unchanged (a correction that leaves the detail alone)
    sealer = case_sealer_for(case_id=case.id) if value else None
    if value and sealer is None:
        raise InvalidInput({"place_detail": [gettext(
            "This case's whereabouts were erased with its survivors: no new place detail can be recorded.")]})
    if sealer is None:
        record.place_detail_sealed, record.place_detail = "", ""
    else:
        sealer.rescue_place(record, value)


def _after_save(record: Any, *, data: RecordInput, case: Case) -> tuple[list[SyncedModel], dict[str, Any]]:
    """Rows a record brings with it (persons rescued, a transfer's closed stay, stage changes) and audit details."""
    key, cleaned = data.kind.key, data.form.cleaned_data
    written: list[SyncedModel] = []
    details: dict[str, Any] = {}
    if key == "rescue_operation":
        already = set(record.rescued.values_list("party_id", flat=True))
        moved = 0
        for party in cleaned.get("survivors") or []:
            if party.id in already:
                continue
            row = stamp(pm.RescuedPerson(operation=record, party=party))
            row.save()
            written.append(row)
            if current_stage(party) == CaseStage.REPORTED:
                written.extend(apply_transition(party=party, transition=BY_NAME["rescue"]))
                moved += 1
        details = {"persons_rescued": len(cleaned.get("survivors") or []), "stage_changes": moved}
    elif key == "shelter_stay" and cleaned.get("transfer_from") is not None:
        source = cleaned["transfer_from"]
        source.ended_on, source.end_reason = record.admitted_on, "transfer"
        stamp(source)
        source.save()
        written.append(source)
        details = {"transfer": True}
    return written, details


@transaction.atomic
def do_add_record(case: Case, *, actor: Actor, data: RecordInput) -> Any:
    """Add a pathway or prosecution record of `data.kind` to the case."""
    kind = data.kind
    case = access_case(actor=actor, case_id=case.id, perm=kind.perm)
    if not kind.creatable:
        raise Refused(_cannot_create())
    record = data.form.save(commit=False)
    _before_save(record, data=data, actor=actor, case=case, created=True)
    stamp(record)
    record.save()
    data.form.save_m2m()
    extra, details = _after_save(record, data=data, case=case)
    extra.extend(sync_case_stage(case))
    record_event(actor=actor, action=f"{kind.key}.recorded", object_type=kind.key, object_id=record.id,
                 case_id=case.id, changed_fields=data.form.changed_data, details=details)
    record_changes_for(record, *extra, case=case)
    on_records([record, *extra], case=case, actor=actor)
    return record


@transaction.atomic
def do_correct_record(record: Any, *, actor: Actor, data: RecordInput) -> Any:
    """Correct a record (its form was bound to it); the survivor or accused it belongs to does not change."""
    kind = data.kind
    case = access_case(actor=actor, case_id=data.form.case.id, perm=kind.perm)
    record = data.form.save(commit=False)
    _before_save(record, data=data, actor=actor, case=case, created=False)
    stamp(record)
    record.save()
    data.form.save_m2m()
    extra, details = _after_save(record, data=data, case=case)
    extra.extend(sync_case_stage(case))
    record_event(actor=actor, action=f"{kind.key}.corrected", object_type=kind.key, object_id=record.id,
                 case_id=case.id, changed_fields=data.form.changed_data, details=details)
    record_changes_for(record, *extra, case=case)
    on_records([record, *extra], case=case, actor=actor)
    return record


@transaction.atomic
def do_move_survivor(party: CaseParty, *, actor: Actor, target: str) -> str:
    """Move a survivor to the next stage, if the workflow allows it from where she or he is and its guard
    passes. Raises Refused with the reason otherwise."""
    access_case(actor=actor, case_id=party.case_id)
    if party.role != PartyRole.SURVIVOR:
        raise Refused(_not_survivor())
    source = current_stage(party)
    transition = find_transition(source=source, target=target)
    if transition is None or not transition.manual:
        raise Refused(_not_allowed(source=source, target=target))
    case = access_case(actor=actor, case_id=party.case_id, perm=transition.perm)
    party.case = case
    written = apply_transition(party=party, transition=transition)
    written.extend(sync_case_stage(case))
    record_event(actor=actor, action="survivor.stage_changed", object_type="case_party", object_id=party.id,
                 case_id=case.id, changed_fields=["stage"],
                 details={"from": source, "to": target, "transition": transition.name,
                          "follow_up_planned": any(isinstance(w, pm.FollowUpPlan) for w in written)})
    record_changes_for(*written, case=case)
    on_records(written, case=case, actor=actor)
    return target


def record_changes_for(*rows: Any, case: Case) -> None:
    record_changes(*rows, case_id=case.id)


def _cannot_create() -> str:
    return gettext("This record is made by the workflow; it can only be corrected.")


def _not_survivor() -> str:
    return gettext("Only a survivor moves along the pathway.")


def _not_allowed(*, source: str, target: str) -> str:
    target_label = CaseStage(target).label if target in CaseStage.values else target
    return gettext("The pathway does not go from “%(source)s” to “%(target)s”.") % {
        "source": CaseStage(source).label, "target": target_label}
