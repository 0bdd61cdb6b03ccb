"""Every action a node may push, declared once: its name, the schema of its args, what it writes (insert-only
records never conflict; edits and workflow moves are checked against the versions the node saw) and the
function that replays it through the same do_* action as the pages and the API (icmc.sync.replay).
docs/sync.md lists them from here (tests/sync/test_registry.py keeps the two in step)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from icmc.access.errors import InvalidInput
from icmc.sync import replay

Kind = Literal["insert", "edit", "move"]


class Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReportCaseArgs(Args):
    data: dict[str, Any] = Field(description="The intake fields, as POST /api/v1/cases takes them.")
    survivors: list[dict[str, Any]] = Field(min_length=1, description="Person entries.")
    suspects: list[dict[str, Any]] = []


class AddNoteArgs(Args):
    case: uuid.UUID
    body: str


class AddPartyArgs(Args):
    model_config = ConfigDict(extra="allow")  # the person's fields, as POST /cases/{id}/parties takes them
    case: uuid.UUID
    role: str


class RecordFirArgs(Args):
    """Fields left out (or null) keep their upstream values."""

    case: uuid.UUID
    police_station: str | None = None
    police_station_name: str | None = None
    number: str | None = None
    registered_on: str | None = None


class AddRecordArgs(Args):
    case: uuid.UUID
    kind: str = Field(description="A pathway or prosecution record kind (docs/workflow.md).")
    data: dict[str, Any]


class CorrectRecordArgs(Args):
    case: uuid.UUID
    kind: str
    record: uuid.UUID
    data: dict[str, Any] = Field(description="Only the fields changed; the others keep their upstream values.")


class MoveSurvivorArgs(Args):
    case: uuid.UUID
    party: uuid.UUID
    to: str


class CloseCaseArgs(Args):
    case: uuid.UUID
    outcome: str
    reason: str = ""


class ReopenCaseArgs(Args):
    case: uuid.UUID
    reason: str


class ProposeReferralArgs(Args):
    case: uuid.UUID
    to_organisation: str
    purpose: str
    survivor: str | None = None
    message: str = ""


class ReferralMoveArgs(Args):
    referral: uuid.UUID
    message: str = ""


class RecordConsentArgs(Args):
    case: uuid.UUID
    survivor: str
    basis: str
    response: str = ""
    prompts_explained: list[str] = []
    purposes: list[str] = []
    reason: str = ""
    given_on: str


class CompleteTaskArgs(Args):
    task: uuid.UUID
    note: str


@dataclass(frozen=True, kw_only=True)
class Replayable:
    name: str
    args: type[Args]
    kind: Kind
    run: Callable[..., dict[str, Any]]
    summary: str

    def parse(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """The args checked against the schema, as plain JSON values; InvalidInput with paths under `args`."""
        try:
            parsed = self.args.model_validate(dict(raw))
        except ValidationError as exc:
            raise InvalidInput({".".join(["args", *(str(p) for p in e["loc"])]): [e["msg"]]
                                for e in exc.errors(include_input=False)}) from exc
        return parsed.model_dump(mode="json")


def _declare(*items: Replayable) -> dict[str, Replayable]:
    return {item.name: item for item in items}


REGISTRY: dict[str, Replayable] = _declare(
    Replayable(name="report_case", args=ReportCaseArgs, kind="insert", run=replay.report_case,
               summary="Report a case with its survivors, suspects, places and FIR."),
    Replayable(name="add_note", args=AddNoteArgs, kind="insert", run=replay.add_note,
               summary="Add a note to a case."),
    Replayable(name="add_party", args=AddPartyArgs, kind="insert", run=replay.add_party,
               summary="Add a new person to a case in a role."),
    Replayable(name="record_fir", args=RecordFirArgs, kind="edit", run=replay.record_fir,
               summary="Record or complete the case's first FIR."),
    Replayable(name="add_record", args=AddRecordArgs, kind="insert", run=replay.add_record,
               summary="Add a pathway or prosecution record (rescue, shelter stay, HIR, charge, hearing...)."),
    Replayable(name="correct_record", args=CorrectRecordArgs, kind="edit", run=replay.correct_record,
               summary="Correct fields of a pathway or prosecution record."),
    Replayable(name="move_survivor", args=MoveSurvivorArgs, kind="move", run=replay.move_survivor,
               summary="Move a survivor to the next stage of the pathway."),
    Replayable(name="close_case", args=CloseCaseArgs, kind="move", run=replay.close_case,
               summary="Close the case with an outcome."),
    Replayable(name="reopen_case", args=ReopenCaseArgs, kind="move", run=replay.reopen_case,
               summary="Reopen a closed case."),
    Replayable(name="propose_referral", args=ProposeReferralArgs, kind="insert", run=replay.propose_referral,
               summary="Propose a referral of the case or one survivor."),
    Replayable(name="send_referral", args=ReferralMoveArgs, kind="move", run=replay.send_referral,
               summary="Send a proposed referral (needs consent to share a survivor's identity)."),
    Replayable(name="accept_referral", args=ReferralMoveArgs, kind="move", run=replay.accept_referral,
               summary="Accept a referral to one's organisation."),
    Replayable(name="decline_referral", args=ReferralMoveArgs, kind="move", run=replay.decline_referral,
               summary="Decline a referral (message required)."),
    Replayable(name="complete_referral", args=ReferralMoveArgs, kind="move", run=replay.complete_referral,
               summary="Complete a referral."),
    Replayable(name="withdraw_referral", args=ReferralMoveArgs, kind="move", run=replay.withdraw_referral,
               summary="Withdraw a referral (message required)."),
    Replayable(name="record_consent", args=RecordConsentArgs, kind="insert", run=replay.record_consent,
               summary="Record a survivor's consent, a guardian's, a CWC decision or an override."),
    Replayable(name="complete_task", args=CompleteTaskArgs, kind="move", run=replay.complete_task,
               summary="Mark a deadline task done with a note."),
)
