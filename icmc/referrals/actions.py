"""The one write path for referrals and consent. Each action checks permission, writes, records one audit
event and appends to the change feed, in one transaction. Messages and reasons never enter the audit trail."""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from icmc.access.actor import Actor
from icmc.access.errors import InvalidInput, PermissionDenied
from icmc.access.policy import Perm
from icmc.access.queries import access_case
from icmc.audit.record import record_event
from icmc.cases.models import Case
from icmc.deadlines.notify import notify_referral
from icmc.privacy.actions import consume_approval, is_cross_border
from icmc.privacy.kinds import CROSS_BORDER_REFERRAL
from icmc.privacy.ledger import end_referral_disclosures, record_referral_disclosure
from icmc.privacy.models import ApprovalRequest, ApprovalState, DisclosureEnd
from icmc.referrals.codes import ConsentBasis, ConsentResponse, ReferralState
from icmc.referrals.consent import consents_for_sending, covering_consent, survivors_shared
from icmc.referrals.inputs import ConsentInput, ProposeReferralInput
from icmc.referrals.models import Consent, Referral, ReferralTransition
from icmc.referrals.queries import access_referral, sides_of
from icmc.referrals.workflow import TRANSITIONS
from icmc.sync.feed import record_changes

NO_CONSENT = _("A survivor's identity would be shared without consent. Record the survivor's informed consent "
               "for this purpose (for a child: a guardian's consent or a CWC decision; or an override with a "
               "written reason) before sending.")
MESSAGE_REQUIRED = _("Give a message saying why.")
NOT_NOW = _("This referral cannot be moved that way from its present state.")
NOT_YOUR_SIDE = _("Your organisation may not do this to this referral.")
CONSENT_WITHDRAWN = _("Withdrawn because the survivor's consent for this purpose was withdrawn.")
NEEDS_APPROVAL = _("Sending a case across a border needs a second person's approval: ask for it (Approvals), "
                   "and send once a state nodal officer has approved it.")


def _transition_row(*, referral: Referral, actor: Actor, from_state: str, to_state: str,
                    message: str) -> ReferralTransition:
    now = timezone.now()
    row = ReferralTransition(referral=referral, from_state=from_state, to_state=to_state, actor=actor.user,
                             membership=actor.membership, organisation=actor.organisation, message=message,
                             created_at=now, updated_at=now)
    row.save()
    return row


@transaction.atomic
def do_propose_referral(case: Case, *, actor: Actor, data: ProposeReferralInput) -> Referral:
    """Propose referring the case (or one survivor) to another organisation; it is sent separately."""
    case = access_case(actor=actor, case_id=case.id, perm=Perm.REFERRAL_SEND)
    assert actor.membership is not None
    if data.to_organisation.id == actor.membership.organisation_id:
        raise InvalidInput({"to_organisation": [str(_("Choose another organisation than your own."))]})
    if data.party is not None and data.party.case_id != case.id:
        raise InvalidInput({"survivor": [str(_("Choose a survivor of this case."))]})
    now = timezone.now()
    referral = Referral(case=case, party=data.party, from_organisation=actor.membership.organisation,
                        to_organisation=data.to_organisation, purpose=data.purpose, created_at=now,
                        updated_at=now)
    referral.save()
    step = _transition_row(referral=referral, actor=actor, from_state="", to_state=referral.state,
                           message=data.message)
    record_event(actor=actor, action="referral.proposed", object_type="referral", object_id=referral.id,
                 case_id=case.id, changed_fields=["to_organisation", "purpose", "party", "message"],
                 details={"purpose": data.purpose, "to_organisation": str(data.to_organisation.id),
                          "survivor": data.party is not None})
    record_changes(referral, step, case_id=case.id)
    return referral


@transaction.atomic
def do_transition_referral(referral: Referral, *, actor: Actor, verb: str, message: str,
                           stepped_up: bool = False) -> Referral:
    """Move a referral along TRANSITIONS[verb] (send, accept, decline, complete, withdraw). Sending across a
    border uses up the sender's approved request (two-person approval, icmc/privacy) and needs step-up."""
    transition = TRANSITIONS[verb]
    referral = access_referral(actor=actor, referral_id=referral.id, lock=True)
    sides = sides_of(actor=actor, referral=referral)
    if not sides & transition.sides:
        raise PermissionDenied(str(NOT_YOUR_SIDE))
    if referral.state not in transition.sources:
        raise InvalidInput({"state": [str(NOT_NOW)]})
    message = message.strip()
    if transition.message_required and not message:
        raise InvalidInput({"message": [str(MESSAGE_REQUIRED)]})
    details: dict[str, object] = {"purpose": referral.purpose, "from_state": referral.state}
    if verb == "send":
        consents, missing = consents_for_sending(referral=referral, on=timezone.localdate())
        if missing:
            raise InvalidInput({"consent": [str(NO_CONSENT)]})
        referral.consent_ids = [str(c.id) for c in consents]
        details["consent_bases"] = sorted({c.basis for c in consents})
        approval_id = None
        cross_border = is_cross_border(referral)
        if cross_border:
            approval_id = _use_cross_border_approval(referral, actor=actor, stepped_up=stepped_up)
            details["approval"] = str(approval_id)
        # The share ledger: whose data this referral now gives the receiving organisation (docs/privacy.md).
        details["disclosed_persons"] = record_referral_disclosure(actor=actor, referral=referral,
                                                                  cross_border=cross_border,
                                                                  approval_id=approval_id)
    end = {"withdraw": DisclosureEnd.REFERRAL_WITHDRAWN, "decline": DisclosureEnd.REFERRAL_DECLINED}.get(verb)
    return _move(referral, actor=actor, target=transition.target, message=message, details=details, end=end)


def _move(referral: Referral, *, actor: Actor, target: str, message: str, details: dict[str, object],
          end: str | None) -> Referral:
    """The write of one referral transition, after its checks (the caller's transaction, the referral locked):
    the state, the transition row, the end of its ledger rows when it stops giving access, one audit event,
    the change feed and the notification."""
    from_state = referral.state
    referral.state = target
    referral.version += 1
    referral.updated_at = timezone.now()
    referral.save(update_fields=["state", "version", "updated_at", "consent_ids"])
    step = _transition_row(referral=referral, actor=actor, from_state=from_state, to_state=referral.state,
                           message=message)
    if end is not None:
        details["disclosures_ended"] = end_referral_disclosures(referral=referral, reason=end)
    record_event(actor=actor, action=f"referral.{referral.state}", object_type="referral",
                 object_id=referral.id, case_id=referral.case_id, changed_fields=["state", "message"],
                 details=details)
    record_changes(referral, step, case_id=referral.case_id)
    notify_referral(referral=referral)
    return referral


def _use_cross_border_approval(referral: Referral, *, actor: Actor, stepped_up: bool) -> uuid.UUID:
    approval = (ApprovalRequest.objects.filter(kind=CROSS_BORDER_REFERRAL, referral=referral,
                                               requested_by_id=actor.user_id, state=ApprovalState.APPROVED,
                                               expires_at__gt=timezone.now())
                .order_by("-decided_at").first())
    if approval is None:
        raise InvalidInput({"approval": [str(NEEDS_APPROVAL)]})
    return consume_approval(approval.id, actor=actor, kind=CROSS_BORDER_REFERRAL, stepped_up=stepped_up).id


def do_send_referral(referral: Referral, *, actor: Actor, message: str = "", stepped_up: bool = False
                     ) -> Referral:
    return do_transition_referral(referral, actor=actor, verb="send", message=message, stepped_up=stepped_up)


def do_accept_referral(referral: Referral, *, actor: Actor, message: str = "") -> Referral:
    return do_transition_referral(referral, actor=actor, verb="accept", message=message)


def do_decline_referral(referral: Referral, *, actor: Actor, message: str) -> Referral:
    return do_transition_referral(referral, actor=actor, verb="decline", message=message)


def do_complete_referral(referral: Referral, *, actor: Actor, message: str = "") -> Referral:
    return do_transition_referral(referral, actor=actor, verb="complete", message=message)


def do_withdraw_referral(referral: Referral, *, actor: Actor, message: str) -> Referral:
    return do_transition_referral(referral, actor=actor, verb="withdraw", message=message)


@transaction.atomic
def do_record_consent(case: Case, *, actor: Actor, data: ConsentInput) -> Consent:
    """Record a survivor's consent (or a guardian's, a CWC decision, or an override with a reason)."""
    case = access_case(actor=actor, case_id=case.id, perm=Perm.CONSENT_RECORD)
    assert actor.membership is not None
    if data.party.case_id != case.id:
        raise InvalidInput({"survivor": [str(_("Choose a survivor of this case."))]})
    now = timezone.now()
    consent = Consent(case=case, party=data.party, basis=data.basis, response=data.response,
                      prompts_explained=list(data.prompts_explained), purposes=list(data.purposes),
                      reason=data.reason, given_on=data.given_on, recorded_by=actor.user,
                      organisation=actor.membership.organisation, created_at=now, updated_at=now)
    consent.save()
    action = "consent.overridden" if data.basis == ConsentBasis.OVERRIDE else "consent.recorded"
    record_event(actor=actor, action=action, object_type="consent", object_id=consent.id, case_id=case.id,
                 changed_fields=["party", "basis", "response", "prompts_explained", "purposes", "reason",
                                 "given_on"],
                 details={"basis": data.basis, "response": data.response, "purposes": sorted(data.purposes),
                          "prompts_explained": sorted(data.prompts_explained)})
    record_changes(consent, case_id=case.id)
    if data.response in (ConsentResponse.REFUSED, ConsentResponse.WITHDRAWN):
        for referral in referrals_without_consent(consent=consent, on=timezone.localdate()):
            _move(referral, actor=actor, target=ReferralState.WITHDRAWN, message=str(CONSENT_WITHDRAWN),
                  details={"purpose": referral.purpose, "from_state": referral.state,
                           "reason": "consent_withdrawn", "consent": str(consent.id)},
                  end=DisclosureEnd.CONSENT_WITHDRAWN)
    return consent


def referrals_without_consent(*, consent: Consent, on: datetime.date) -> list[Referral]:
    """The sent or accepted referrals that share this consent's survivor for one of its purposes and, now that
    it is recorded, have no consent covering that survivor for their purpose any more (locked, oldest first).
    A referral of the whole case loses its ground when any survivor it shares withdraws."""
    found = []
    candidates = (Referral.objects.select_for_update()
                  .filter(Q(party_id=consent.party_id) | Q(party__isnull=True), case_id=consent.case_id,
                          state__in=(ReferralState.SENT, ReferralState.ACCEPTED), purpose__in=consent.purposes)
                  .order_by("created_at"))
    for referral in candidates:
        if consent.party_id not in {p.id for p in survivors_shared(referral=referral)}:
            continue
        if covering_consent(party=consent.party, purpose=referral.purpose, on=on) is None:
            found.append(referral)
    return found
