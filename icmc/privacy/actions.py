"""The one write path of icmc/privacy: two-person approval (request, decide, carry out), erasure, legal holds.
Each action checks permission, writes, records one audit event and appends to the change feed, in one
transaction. Reasons and notes stay on the rows, never in the audit trail (docs/privacy.md).

Deciding and carrying out need a fresh second factor: every front door passes `stepped_up` (the page after
icmc.identity.stepup, the API from the session's step-up time, `manage.py erase` after asking for a code).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput, NotFound, PermissionDenied
from icmc.access.policy import Perm
from icmc.access.queries import access_case, require_perm
from icmc.audit.record import record_event
from icmc.cases.models import Case, CaseParty, Person
from icmc.privacy import kinds as K
from icmc.privacy.approvals import LIVE_STATES, access_approval, may_decide, state_of
from icmc.privacy.holds import hold_message, holds_on_person
from icmc.privacy.models import ApprovalRequest, ApprovalState, LegalHold
from icmc.referrals.models import Referral
from icmc.sync.feed import record_changes
from icmc.vault.actions import is_erased, shred_person_key

MIN_REASON = 10
STEP_UP_NEEDED = _("Confirm it is you first: enter a code from your authenticator (on the page). An API token "
                   "cannot do this.")
OWN_REQUEST = _("You asked for this: another person must decide it.")
NOT_REQUESTER = _("Only the person who asked for this may carry it out, acting in the same role.")
STATE_MESSAGES: dict[str, Any] = {
    ApprovalState.PENDING: _("This request has not been approved yet."),
    ApprovalState.REFUSED: _("This request was refused."),
    ApprovalState.EXECUTED: _("This approval has already been used. Ask again if it is needed again."),
    ApprovalState.EXPIRED: _("This request has lapsed. Ask again if it is still needed."),
}
REASON_REQUIRED = _("Write the reason (at least %(n)d characters; never the person's name).")


def require_step_up(*, stepped_up: bool) -> None:
    if not stepped_up:
        raise PermissionDenied(str(STEP_UP_NEEDED))


def _reason(text: str, *, field: str = "reason") -> str:
    text = text.strip()
    if len(text) < MIN_REASON:
        raise InvalidInput({field: [str(REASON_REQUIRED % {"n": MIN_REASON})]})
    return text[:2000]


def is_cross_border(referral: Referral) -> bool:
    """A referral to an organisation in another country than the referring one's."""
    return (referral.to_organisation.jurisdiction.country
            != referral.from_organisation.jurisdiction.country)


def _check_subject(*, actor: Actor, kind: K.ApprovalKind, case: Case | None, person: Person | None,
                   referral: Referral | None) -> Case | None:
    """Check the requester may ask for this about this subject; the subject's case (None for an export)."""
    if kind.subject == K.Subject.PERSON:
        if case is None or person is None:
            raise InvalidInput({"person": [str(_("Choose a person of a case."))]})
        assert kind.request_perm is not None
        case = access_case(actor=actor, case_id=case.id, perm=kind.request_perm)
        if not CaseParty.objects.filter(case=case, person=person).exists():
            raise InvalidInput({"person": [str(_("Choose a person of this case."))]})
        if is_erased(person_id=person.id):
            raise InvalidInput({"person": [str(_("This person has already been erased."))]})
        holds = holds_on_person(person_id=person.id)
        if holds:
            raise InvalidInput({"hold": [hold_message(holds)]})
        return case
    if kind.subject == K.Subject.REFERRAL:
        if referral is None:
            raise InvalidInput({"referral": [str(_("Choose a referral."))]})
        assert kind.request_perm is not None
        case = access_case(actor=actor, case_id=referral.case_id, perm=kind.request_perm)
        if not is_cross_border(referral):
            raise InvalidInput({"referral": [str(_("This referral does not cross a border: it needs no "
                                                   "approval."))]})
        if referral.state != "proposed":
            raise InvalidInput({"referral": [str(_("Only a referral not yet sent can be approved for "
                                                   "sending."))]})
        return case
    assert kind.request_perm is not None
    require_perm(actor=actor, perm=kind.request_perm)  # exports: no single case
    return None


@transaction.atomic
def do_request_approval(*, actor: Actor, kind: str, reason: str, case: Case | None = None,
                        person: Person | None = None, referral: Referral | None = None,
                        parameters: dict[str, Any] | None = None) -> ApprovalRequest:
    """Ask another user to approve something (icmc/privacy/kinds.py)."""
    spec = K.kind_of(kind)
    if spec is None or not spec.available:
        raise InvalidInput({"kind": [str(_("Not a kind of approval that can be asked for."))]})
    if actor.membership is None:
        raise PermissionDenied(str(_("You have no active membership to act through.")))
    reason = _reason(reason)
    case = _check_subject(actor=actor, kind=spec, case=case, person=person, referral=referral)
    live = ApprovalRequest.objects.filter(kind=kind, state__in=LIVE_STATES, expires_at__gt=timezone.now(),
                                          requested_by_id=actor.user_id)
    if spec.subject == K.Subject.PERSON and person is not None:
        live = live.filter(person=person)
    elif spec.subject == K.Subject.REFERRAL and referral is not None:
        live = live.filter(referral=referral)
    else:
        live = live.filter(parameters=parameters or {})
    if live.exists():
        raise InvalidInput({"kind": [str(_("You have already asked for this; it is waiting or approved."))]})
    now = timezone.now()
    approval = ApprovalRequest(
        kind=kind, case=case, person=person if spec.subject == K.Subject.PERSON else None,
        referral=referral if spec.subject == K.Subject.REFERRAL else None, parameters=parameters or {},
        reason=reason, requested_by=actor.user, requested_membership=actor.membership,
        requested_organisation=actor.membership.organisation, expires_at=now + spec.pending_for,
        created_at=now, updated_at=now)
    approval.save()
    record_event(actor=actor, action="approval.requested", object_type="approval", object_id=approval.id,
                 case_id=case.id if case else None,
                 changed_fields=["kind", "person", "referral", "parameters", "reason"],
                 details={"kind": kind, "expires_at": approval.expires_at.isoformat()})
    record_changes(approval, case_id=case.id if case else None)
    return approval


@transaction.atomic
def do_decide_approval(approval_id: uuid.UUID | str, *, actor: Actor, approve: bool, note: str = "",
                       stepped_up: bool) -> ApprovalRequest:
    """Approve or refuse another user's request (a refusal needs a note)."""
    approval = access_approval(actor=actor, approval_id=approval_id, lock=True)
    if approval.requested_by_id == actor.user_id:
        raise PermissionDenied(str(OWN_REQUEST))
    if not may_decide(actor=actor, approval=approval):
        raise NotFound
    require_step_up(stepped_up=stepped_up)
    state = state_of(approval)
    if state != ApprovalState.PENDING:
        raise InvalidInput({"state": [str(STATE_MESSAGES.get(state, _("This request is decided.")))]})
    note = note.strip()[:2000]
    if not approve and not note:
        raise InvalidInput({"note": [str(_("Say why you refuse."))]})
    spec = K.KINDS[approval.kind]
    if approve and spec.subject == K.Subject.PERSON and approval.person_id is not None:
        holds = holds_on_person(person_id=approval.person_id)
        if holds:
            raise InvalidInput({"hold": [hold_message(holds)]})
    now = timezone.now()
    approval.state = ApprovalState.APPROVED if approve else ApprovalState.REFUSED
    approval.decided_by, approval.decided_membership, approval.decided_at = actor.user, actor.membership, now
    approval.decision_note = note
    if approve:
        approval.expires_at = now + spec.valid_for
    approval.version += 1
    approval.updated_at = now
    approval.save()
    record_event(actor=actor, action=f"approval.{approval.state}", object_type="approval", object_id=approval.id,
                 case_id=approval.case_id, changed_fields=["state", "decided_by", "decision_note", "expires_at"],
                 details={"kind": approval.kind, "expires_at": approval.expires_at.isoformat()})
    record_changes(approval, case_id=approval.case_id)
    return approval


def consume_approval(approval_id: uuid.UUID | str, *, actor: Actor, kind: str, stepped_up: bool
                     ) -> ApprovalRequest:
    """Inside the action that carries out an approved request: check it may be used now, by this actor, and
    mark it used. No audit event of its own (the carrying-out action records one, naming the approval)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("consume_approval must run inside the carrying-out action's transaction")
    approval = access_approval(actor=actor, approval_id=approval_id, lock=True)
    if approval.requested_by_id != actor.user_id or approval.requested_membership_id != actor.membership_id:
        raise PermissionDenied(str(NOT_REQUESTER))
    if approval.kind != kind:
        raise InvalidInput({"approval": [str(_("This approval is for something else."))]})
    state = state_of(approval)
    if state != ApprovalState.APPROVED:
        raise InvalidInput({"state": [str(STATE_MESSAGES[state])]})
    require_step_up(stepped_up=stepped_up)
    now = timezone.now()
    approval.state, approval.executed_at = ApprovalState.EXECUTED, now
    approval.version += 1
    approval.updated_at = now
    approval.save(update_fields=["state", "executed_at", "version", "updated_at"])
    record_changes(approval, case_id=approval.case_id)
    return approval


@transaction.atomic
def do_erase_person(approval_id: uuid.UUID | str, *, actor: Actor, stepped_up: bool) -> ApprovalRequest:
    """Carry out an approved erasure: destroy the person's key (icmc.vault), unless a legal hold applies."""
    approval = consume_approval(approval_id, actor=actor, kind=K.ERASE_PERSON, stepped_up=stepped_up)
    assert approval.person_id is not None
    person = Person.objects.get(pk=approval.person_id)
    holds = holds_on_person(person_id=person.id)
    if holds:
        raise InvalidInput({"hold": [hold_message(holds)]})
    try:
        counts = shred_person_key(person)
    except PermissionDenied as exc:
        raise InvalidInput({"person": [exc.message]}) from exc
    case_ids = sorted({str(c) for c in CaseParty.objects.filter(person=person).values_list("case_id", flat=True)})
    record_event(actor=actor, action="person.erased", object_type="person", object_id=person.id,
                 case_id=approval.case_id, changed_fields=["names", "phones", "key"],
                 details={"approval": str(approval.id), "approved_by": str(approval.decided_by_id),
                          "cases": case_ids, **counts})
    return approval


# --- legal holds -------------------------------------------------------------------------------------------


@transaction.atomic
def do_place_hold(case: Case, *, actor: Actor, reason: str, person: Person | None = None) -> LegalHold:
    """An explicit legal hold on the case (all its people) or on one person of it."""
    case = access_case(actor=actor, case_id=case.id, perm=Perm.HOLD_MANAGE)
    assert actor.membership is not None
    if person is not None and not CaseParty.objects.filter(case=case, person=person).exists():
        raise InvalidInput({"person": [str(_("Choose a person of this case."))]})
    reason = _reason(reason)
    now = timezone.now()
    hold = LegalHold(case=case, person=person, reason=reason, placed_by=actor.user,
                     organisation=actor.membership.organisation, created_at=now, updated_at=now)
    hold.save()
    record_event(actor=actor, action="hold.placed", object_type="legal_hold", object_id=hold.id, case_id=case.id,
                 changed_fields=["person", "reason"], details={"on": "person" if person else "case"})
    record_changes(hold, case_id=case.id)
    return hold


@transaction.atomic
def do_release_hold(hold_id: uuid.UUID | str, *, actor: Actor, reason: str) -> LegalHold:
    try:
        hold = LegalHold.objects.select_for_update().get(pk=hold_id)
    except (LegalHold.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound from exc
    access_case(actor=actor, case_id=hold.case_id, perm=Perm.HOLD_MANAGE)
    if hold.released_at is not None:
        raise InvalidInput({"state": [str(_("This hold has already been released."))]})
    hold.release_reason = _reason(reason)
    hold.released_at, hold.released_by = timezone.now(), actor.user
    hold.version += 1
    hold.updated_at = hold.released_at
    hold.save()
    record_event(actor=actor, action="hold.released", object_type="legal_hold", object_id=hold.id,
                 case_id=hold.case_id, changed_fields=["released_at", "release_reason"],
                 details={"on": "person" if hold.person_id else "case"})
    record_changes(hold, case_id=hold.case_id)
    return hold
