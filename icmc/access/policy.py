"""The access policy, declared once: named permissions, scopes, and which role holds which permission in
which scopes. Everything else (queries, pages, API, tests, docs/permissions.md) reads this table.

Scopes say which cases a permission reaches:
  own_organisation  cases owned by the actor's organisation
  assigned          cases on which the actor's organisation is recorded as the source or destination AHTU
  state             cases of the actor's organisation's state (owned there or with a place there)
  referred          cases referred to the actor's organisation (sent or accepted; completed for reading), and
                    of them only what the referral's purpose shares (icmc/referrals/sharing.py)
  emergency         the one case of an unexpired emergency access granted to the actor's membership ("break
                    the glass", icmc/emergency): reading only
Non-case permissions use the scope `installation`.
"""

from __future__ import annotations

from enum import StrEnum

from icmc.accounts.reference import Role


class Perm(StrEnum):
    CASE_VIEW = "case.view"
    CASE_REPORT = "case.report"
    CASE_ADD_NOTE = "case.add_note"
    CASE_ADD_PERSON = "case.add_person"
    CASE_RECORD_FIR = "case.record_fir"
    CASE_CLOSE = "case.close"
    RESCUE_RECORD = "rescue.record"
    PATHWAY_RECORD = "pathway.record"
    PROSECUTION_RECORD = "prosecution.record"
    PERSON_VIEW_IDENTITY = "person.view_identity"
    REFERRAL_SEND = "referral.send"  # propose, send, withdraw (and complete) a referral of the case
    REFERRAL_RESPOND = "referral.respond"  # accept, decline, complete a referral to one's organisation
    CONSENT_RECORD = "consent.record"
    ORGANISATION_MANAGE = "organisation.manage"
    USER_MANAGE = "user.manage"
    API_TOKEN_MANAGE = "api_token.manage"
    EMERGENCY_REQUEST = "emergency.request"  # break the glass on one case one cannot see (icmc/emergency)
    EMERGENCY_REVIEW = "emergency.review"  # review the emergency accesses to one's organisation's / state's cases
    # Two-person approval and privacy duties (icmc/privacy, docs/privacy.md)
    PERSON_ERASE_REQUEST = "person.erase_request"  # ask for a person of the case to be erased
    APPROVAL_DECIDE = "approval.decide"  # approve or refuse another user's request (icmc/privacy/kinds.py)
    HOLD_MANAGE = "hold.manage"  # place and release explicit legal holds
    PRIVACY_REPORT = "person.privacy_report"  # what we hold about a person and with whom it was shared
    CASE_EXPORT = "case.export"  # the case list as CSV (identities only with a two-person approval)
    CONFLICT_RESOLVE = "sync.resolve_conflict"  # resolve the sync conflicts of one's organisation's cases
    # see and decide the duplicate candidates (icmc/matching) of which at least one case is in scope
    DUPLICATE_DECIDE = "duplicate.decide"


class Scope(StrEnum):
    OWN_ORGANISATION = "own_organisation"
    ASSIGNED = "assigned"
    STATE = "state"
    REFERRED = "referred"
    EMERGENCY = "emergency"
    INSTALLATION = "installation"


OWN = frozenset({Scope.OWN_ORGANISATION})
OWN_AND_ASSIGNED = frozenset({Scope.OWN_ORGANISATION, Scope.ASSIGNED})
STATE = frozenset({Scope.STATE})
REFERRED = frozenset({Scope.REFERRED})
OWN_AND_REFERRED = frozenset({Scope.OWN_ORGANISATION, Scope.REFERRED})
OWN_ASSIGNED_REFERRED = frozenset({Scope.OWN_ORGANISATION, Scope.ASSIGNED, Scope.REFERRED})
INSTALLATION = frozenset({Scope.INSTALLATION})
EMERGENCY = frozenset({Scope.EMERGENCY})
# Case managers, AHTU officers and nodal officers may break the glass: read one more case, for a few hours.
_BREAK_GLASS = {Perm.EMERGENCY_REQUEST: INSTALLATION}

# Read and annotate the cases of one's own organisation (identity included: field-level redaction by
# sensitivity class comes with the data-protection issue).
# Through a referral: what its purpose shares (icmc/referrals/sharing.py), and answering the referral.
_OWN_READER = {Perm.CASE_VIEW: OWN_AND_REFERRED, Perm.CASE_ADD_NOTE: OWN_AND_REFERRED,
               Perm.PERSON_VIEW_IDENTITY: OWN_AND_REFERRED, Perm.REFERRAL_RESPOND: REFERRED}
# Every role may manage its own API tokens.
_TOKENS = {Perm.API_TOKEN_MANAGE: INSTALLATION}

POLICY: dict[Role, dict[Perm, frozenset[Scope]]] = {
    Role.CASE_MANAGER: {
        # A centre may be referred a case by another centre (REFERRED).
        Perm.CASE_VIEW: OWN_AND_REFERRED | EMERGENCY,
        Perm.CASE_REPORT: OWN,
        Perm.CASE_ADD_NOTE: OWN,
        Perm.CASE_ADD_PERSON: OWN,
        Perm.CASE_RECORD_FIR: OWN,
        Perm.CASE_CLOSE: OWN,
        Perm.RESCUE_RECORD: OWN,
        Perm.PATHWAY_RECORD: OWN,
        Perm.PROSECUTION_RECORD: OWN,
        Perm.PERSON_VIEW_IDENTITY: OWN_AND_REFERRED | EMERGENCY,
        Perm.REFERRAL_SEND: OWN,
        Perm.REFERRAL_RESPOND: REFERRED,
        Perm.CONSENT_RECORD: OWN,
        Perm.CONFLICT_RESOLVE: OWN,
        Perm.DUPLICATE_DECIDE: OWN,
        **_BREAK_GLASS,
        Perm.EMERGENCY_REVIEW: INSTALLATION,
        Perm.PERSON_ERASE_REQUEST: OWN,
        Perm.HOLD_MANAGE: OWN,
        Perm.PRIVACY_REPORT: OWN,
        Perm.CASE_EXPORT: OWN,
        **_TOKENS,
    },
    Role.AHTU_OFFICER: {
        Perm.CASE_VIEW: OWN_ASSIGNED_REFERRED | EMERGENCY,
        Perm.CASE_ADD_NOTE: OWN_ASSIGNED_REFERRED,
        Perm.CASE_ADD_PERSON: OWN_AND_ASSIGNED,
        Perm.CASE_RECORD_FIR: OWN_AND_ASSIGNED,
        Perm.RESCUE_RECORD: OWN_AND_ASSIGNED,
        Perm.PROSECUTION_RECORD: OWN_AND_ASSIGNED,
        Perm.PERSON_VIEW_IDENTITY: OWN_ASSIGNED_REFERRED | EMERGENCY,
        Perm.REFERRAL_SEND: OWN_AND_ASSIGNED,
        Perm.REFERRAL_RESPOND: REFERRED,
        Perm.CONSENT_RECORD: OWN_AND_ASSIGNED,
        Perm.CASE_EXPORT: OWN_AND_ASSIGNED,
        Perm.CONFLICT_RESOLVE: OWN,
        **_BREAK_GLASS,
        **_TOKENS,
    },
    Role.STATE_NODAL_OFFICER: {
        Perm.CASE_VIEW: STATE | EMERGENCY,
        Perm.CASE_ADD_NOTE: STATE,
        Perm.PERSON_VIEW_IDENTITY: STATE | EMERGENCY,
        **_BREAK_GLASS,
        Perm.EMERGENCY_REVIEW: INSTALLATION,
        Perm.APPROVAL_DECIDE: STATE,
        Perm.HOLD_MANAGE: STATE,
        Perm.PRIVACY_REPORT: STATE,
        Perm.CASE_EXPORT: STATE,
        Perm.DUPLICATE_DECIDE: STATE,
        **_TOKENS,
    },
    # The roles below work on the cases their own organisation registered and on cases referred to it.
    Role.SHELTER_WORKER: {**_OWN_READER, **_TOKENS},
    Role.WELFARE_OFFICER: {**_OWN_READER, **_TOKENS},
    Role.CWC_MEMBER: {**_OWN_READER, Perm.CONSENT_RECORD: REFERRED, **_TOKENS},  # a CWC decision on consent
    Role.LEGAL_SERVICES_OFFICER: {**_OWN_READER, **_TOKENS},
    Role.PROSECUTION_LIAISON: {**_OWN_READER, **_TOKENS},
    Role.PARTNER_NGO: {**_OWN_READER, **_TOKENS},
    # Media and analysts never see case records (approved alerts and de-identified statistics come later).
    Role.MEDIA_LIAISON: {**_TOKENS},
    Role.ANALYST: {**_TOKENS},
    # Administrators manage users and organisations, never case content. They may approve an erasure (which
    # destroys a key: it reveals nothing), never an export or a share.
    Role.ADMINISTRATOR: {
        Perm.ORGANISATION_MANAGE: INSTALLATION,
        Perm.USER_MANAGE: INSTALLATION,
        Perm.APPROVAL_DECIDE: INSTALLATION,
        **_TOKENS,
    },
}


# Roles whose members prove the second factor with a passkey (WebAuthn), enrolled right after their first TOTP
# login, when settings.ICMC_PASSKEYS_REQUIRED is on (docs/security.md item 1 ★). Superusers too.
PASSKEY_ROLES: frozenset[Role] = frozenset({Role.ADMINISTRATOR, Role.STATE_NODAL_OFFICER})


def scopes_for(*, role: str | None, perm: Perm) -> frozenset[Scope]:
    """The scopes in which `role` holds `perm`; empty (deny) for an unknown role or permission."""
    if role is None:
        return frozenset()
    try:
        return POLICY[Role(role)].get(perm, frozenset())
    except ValueError:
        return frozenset()


def has_perm(*, role: str | None, perm: Perm) -> bool:
    return bool(scopes_for(role=role, perm=perm))
