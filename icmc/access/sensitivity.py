"""Field sensitivity, declared once (docs/sensitivity.md is generated from this module; a test keeps them equal).

Every field of every model of the case data has a class:
  P0  identity and whereabouts: names, aliases, phones, birth dates, document numbers, free-text place details,
      and anything derived from them (sealed tokens, blind indexes, search tokens, raw sync payloads)
  P1  case detail: narrative and free text, references and numbers, who did what, care and court records
  P2  aggregate: codes, categories, dates, counts, jurisdictions, organisations, structural ids — what
      de-identified statistics are made of

Who receives which classes:
  - a role's ceiling (ROLE_CEILINGS): media liaisons, analysts and administrators never receive P0 (nor P1);
  - on a case, P0 needs `person.view_identity` there (icmc/access/policy.py);
  - through a referral, the purposes of the referrals decide (purpose_classes, from icmc/referrals/sharing.py).
The one function that applies this is icmc.access.redaction.redact.

A model that holds no case data (users, reference tables, the audit trail, sync machinery) is listed in
NOT_CASE_DATA with the reason. tests/access/test_sensitivity.py fails when a field of a model in neither is
unclassified.
"""

from __future__ import annotations

from enum import StrEnum

from icmc.accounts.reference import Role


class Sensitivity(StrEnum):
    P0 = "P0"
    P1 = "P1"
    P2 = "P2"


P0, P1, P2 = Sensitivity.P0, Sensitivity.P1, Sensitivity.P2
ALL = frozenset(Sensitivity)
NO_P0 = frozenset({P1, P2})
AGGREGATE_ONLY = frozenset({P2})

DESCRIPTIONS: dict[Sensitivity, str] = {
    P0: "identity and whereabouts: names, aliases, phones, birth dates, document numbers, free-text place "
        "details, and what is derived from them (sealed tokens, blind indexes, search tokens, raw payloads)",
    P1: "case detail: narrative and free text, references and numbers, who did what, care and court records",
    P2: "aggregate: codes, categories, dates, counts, jurisdictions, organisations, structural ids",
}

_SYNCED = ("id", "version", "created_at", "updated_at")  # icmc.lib.models.SyncedModel


def _fields(*, p0: str = "", p1: str = "", p2: str = "", synced: bool = True) -> dict[str, Sensitivity]:
    """A model's classes, written as space-separated field names per class."""
    out: dict[str, Sensitivity] = dict.fromkeys(_SYNCED, P2) if synced else {}
    for cls, names in ((P0, p0), (P1, p1), (P2, p2)):
        for name in names.split():
            assert name not in out or name in _SYNCED, f"{name} classified twice"
            out[name] = cls
    return out


# model label -> field name -> class. Many-to-many fields are listed like the others.
FIELDS: dict[str, dict[str, Sensitivity]] = {
    # --- cases ---
    "cases.Case": _fields(
        p1="reference case_manager summary closure_reason reopen_reason",
        p2="owner reported_at reporter_type status stage source_ahtu destination_ahtu closure_outcome closed_at "
           "exploitation_types"),
    "cases.CasePlace": _fields(p0="detail_sealed", p2="case kind jurisdiction position"),
    "cases.Person": _fields(
        p0="birth_date",
        p2="gender estimated_age age_estimated_on citizenship languages is_deceased registered_by"),
    "cases.PersonName": _fields(p0="value_sealed value_index", p1="script is_alias", p2="person position"),
    "cases.PersonPhone": _fields(p0="number_sealed number_index", p2="person"),
    "cases.CaseParty": _fields(p2="case person role"),
    "cases.Note": _fields(p1="author body", p2="case organisation"),
    # --- prosecution ---
    "prosecution.FIR": _fields(p1="police_station_name number", p2="case police_station registered_on"),
    "prosecution.Charge": _fields(p2="fir offence"),
    "prosecution.Accused": _fields(p2="case party arrested_on bail_status bail_on"),
    "prosecution.Chargesheet": _fields(p1="number", p2="accused filed_on is_supplementary"),
    "prosecution.Hearing": _fields(p1="court_name outcome", p2="case held_on court purpose"),
    "prosecution.Verdict": _fields(p2="accused decided_on result sentence_years fine"),
    # --- pathway ---
    "pathway.SurvivorPathway": _fields(p2="party stage stage_changed_at"),
    "pathway.RescueOperation": _fields(
        p0="place_detail_sealed", p1="checklist post_rescue_needs",
        p2="case rescued_on jurisdiction lead_ahtu partner_organisations"),
    "pathway.RescuedPerson": _fields(p2="operation party"),
    "pathway.CwcProduction": _fields(p1="order_text", p2="party produced_at cwc outcome"),
    "pathway.ShelterStay": _fields(p1="reason_not_government",
                                   p2="party shelter admitted_on ended_on end_reason"),
    "pathway.SupportService": _fields(p2="party kind provider started_on ended_on status"),
    "pathway.CarePlan": _fields(p1="long_term_goal text", p2="party"),
    "pathway.HomeInvestigation": _fields(p1="investigator findings recommendation",
                                         p2="party organisation investigated_on is_safe"),
    "pathway.Repatriation": _fields(
        p0="travel_permit_number", p1="escort steps_done",
        p2="party home_investigation repatriated_on destination is_cross_border travel_permit_expires_on"),
    "pathway.LongTermPlacement": _fields(p1="plan",
                                         p2="party home_investigation welfare_department placed_on plan_kind"),
    "pathway.FollowUpPlan": _fields(p1="end_reason", p2="party starts_on ends_on ended_early_on"),
    "pathway.FollowUpVisit": _fields(p1="risk_signs", p2="plan due_on visited_on mode outcome discreet"),
    "pathway.CompensationClaim": _fields(
        p1="scheme",
        p2="party claimant authority applied_on amount_claimed interim_amount interim_on amount_awarded "
           "awarded_on amount_paid paid_on status"),
    # --- referrals ---
    "referrals.Referral": _fields(
        p2="case party from_organisation to_organisation purpose state automatic consent_ids"),
    "referrals.ReferralTransition": _fields(p1="actor membership message",
                                            p2="referral from_state to_state organisation"),
    "referrals.Consent": _fields(p1="reason recorded_by",
                                 p2="case party basis response prompts_explained purposes given_on organisation"),
    # --- deadlines ---
    "deadlines.Task": _fields(
        p1="title basis owner_user closed_by note",
        p2="case party rule_key source_id owner_organisation due_at state closed_at"),
    "deadlines.Notification": _fields(
        synced=False, p1="user text", p2="id organisation kind case_id task created_at read_at emailed_at"),
    # --- emergency access ---
    "emergency.EmergencyAccess": _fields(
        synced=False, p1="membership reason reviewed_by review_note",
        p2="id case granted_at expires_at reviewed_at"),
    # --- duplicate candidates: persons and cases by id only, never names (icmc/matching) ---
    "matching.DuplicateCandidate": _fields(
        synced=False, p1="person_a person_b case_a case_b role basis status decided_by",
        p2="id found_at decided_at"),
    # --- privacy: two-person approval requests, legal holds (persons by id only, never by name) ---
    "privacy.ApprovalRequest": _fields(
        p1="reason parameters requested_by requested_membership decided_by decided_membership decision_note",
        p2="kind state case person referral requested_organisation expires_at decided_at executed_at"),
    "privacy.LegalHold": _fields(p1="reason placed_by released_by release_reason",
                                 p2="case person organisation released_at"),
    "privacy.Disclosure": _fields(p1="disclosed_by",
                                  p2="person party_role case channel purpose categories from_organisation "
                                     "to_organisation referral approval disclosed_at ended_at end_reason"),
    # --- vault: key material and keyed tokens never leave the node's database ---
    "vault.PersonKey": _fields(synced=False, p0="wrapped", p2="person master_key_id created_at rotated_at "
                                                                 "destroyed_at"),
    "vault.CaseKey": _fields(synced=False, p0="wrapped", p2="case master_key_id created_at rotated_at destroyed_at"),
    "vault.SearchToken": _fields(synced=False, p0="token", p2="id person kind"),
    # --- sync: stored payloads hold whatever was sent or pulled, identities included (outbox args and kept
    # payloads sealed: icmc/sync/sealing.py) ---
    "sync.Mutation": _fields(synced=False, p0="payload_sealed result",
                             p2="id node seq payload_hash action status client_time received_at"),
    "sync.Outbox": _fields(synced=False, p0="args_sealed result",
                           p2="seq action base_versions user_id membership_id client_time status"),
    "sync.Replica": _fields(synced=False, p0="data", p2="id object_type object_id version seq"),
    # per-field versions with keyed digests of the values (HMAC from SECRET_KEY), for conflict detection
    "sync.RecordState": _fields(synced=False, p0="fields", p2="id object_type object_id"),
    # a value not in effect after concurrent edits: plain when no field is P0, else sealed (args_sealed)
    "sync.ConflictRecord": _fields(
        synced=False, p0="args_sealed", p1="args values pushed_by resolved_by",
        p2="id case object_type object_id fields kind action node mutation status created_at resolved_at"),
    # --- organisations: reference data, sent to every node ---
    "accounts.Organisation": _fields(
        p2="name kind is_government is_approved pillars jurisdiction reference_prefix time_zone is_active"),
}

# Values that are not model fields but are served in their model's place: the plain value of a sealed column,
# and what pages and the API derive from a row. Classified like fields.
DERIVED: dict[str, dict[str, Sensitivity]] = {
    "cases.PersonName": {"value": P0},
    "cases.PersonPhone": {"number": P0},
    "cases.CasePlace": {"detail": P0},
    "pathway.RescueOperation": {"place_detail": P0},
    # A person's names and phones as lists; age and the minor flag derived from the birth date or estimate.
    "cases.Person": {"names": P0, "phones": P0, "age": P2, "is_minor": P2},
    "prosecution.FIR": {"law_regime": P2},
}

# Models that hold no case data, and why; their fields need no class.
NOT_CASE_DATA: dict[str, str] = {
    "accounts.User": "users of the system (managed by administrators), not people in cases",
    "accounts.Membership": "who acts for which organisation in which role",
    "accounts.ApiToken": "credentials: only a digest is stored",
    "accounts.Jurisdiction": "reference data (ISO 3166 codes and districts)",
    "accounts.PillarRef": "reference data (the six P's)",
    "audit.AuditEvent": "the audit trail: ids, codes and field names, never values (icmc/audit/record.py)",
    "audit.AuditChainHead": "the audit chain's head",
    "cases.ExploitationTypeRef": "reference data (HTCDS codes)",
    "cases.CaseReferenceCounter": "a counter per organisation and year",
    "prosecution.Offence": "reference data (acts and sections)",
    "vault.IndexKey": "the wrapped root of the blind-index key (no person's data)",
    "sync.Change": "the change feed: types, ids, versions, never values",
    "sync.Node": "installations that sync, and their public keys",
    "sync.PullState": "a field node's position in its upstream's feed",
    "fieldnode.LocalWrite": "which records a field node's pending mutation wrote: types and ids, never values",
    "sync.NodeCase": "which cases a node holds: ids and page numbers",
    "sync.DataSharingAgreement": "agreements with partner centres: titles, dates, type and field names",
    "sync.RecordOrigin": "the node a record came from: ids only",
}

# The most a role ever receives, whatever its scopes. Media, analysts and administrators never receive P0 —
# nor case detail: approved alerts and de-identified statistics are made of aggregate fields.
ROLE_CEILINGS: dict[Role, frozenset[Sensitivity]] = {
    Role.CASE_MANAGER: ALL,
    Role.AHTU_OFFICER: ALL,
    Role.STATE_NODAL_OFFICER: ALL,
    Role.SHELTER_WORKER: ALL,
    Role.WELFARE_OFFICER: ALL,
    Role.CWC_MEMBER: ALL,
    Role.LEGAL_SERVICES_OFFICER: ALL,
    Role.PROSECUTION_LIAISON: ALL,
    Role.PARTNER_NGO: ALL,
    Role.MEDIA_LIAISON: AGGREGATE_ONLY,
    Role.ANALYST: AGGREGATE_ONLY,
    Role.ADMINISTRATOR: AGGREGATE_ONLY,
}
NEVER_P0 = frozenset(role for role, classes in ROLE_CEILINGS.items() if P0 not in classes)


class UnclassifiedField(KeyError):
    """A value of a model was about to be served that the registry does not classify (a programming error:
    add it to FIELDS or DERIVED)."""


def classes_of(model: str) -> dict[str, Sensitivity]:
    """Every classified key of a model (fields and derived values)."""
    return {**FIELDS.get(model, {}), **DERIVED.get(model, {})}


def sensitivity(*, model: str, field: str) -> Sensitivity:
    try:
        return FIELDS[model][field] if field in FIELDS.get(model, {}) else DERIVED[model][field]
    except KeyError as exc:
        raise UnclassifiedField(f"{model}.{field} has no sensitivity class (icmc/access/sensitivity.py)") from exc


def role_ceiling(*, role: str | None) -> frozenset[Sensitivity]:
    """The classes a role may ever receive; nothing for no role or an unknown one."""
    try:
        return ROLE_CEILINGS[Role(role)] if role else frozenset()
    except ValueError:
        return frozenset()


def purpose_classes(*, purpose: str) -> frozenset[Sensitivity]:
    """What a referral for `purpose` lets the receiving organisation see of what it shares: identities (P0) only
    if the purpose shares them (icmc/referrals/sharing.py `Share.identity`, which also makes consent required
    before sending); nothing for an unknown purpose."""
    from icmc.referrals.sharing import SHARES  # referrals build on access; read lazily

    share = SHARES.get(purpose)
    if share is None:
        return frozenset()
    return ALL if share.identity else NO_P0


def purposes_classes(purposes: list[str] | tuple[str, ...] | set[str] | frozenset[str]) -> frozenset[Sensitivity]:
    """What several referrals to one organisation give together (the union)."""
    out: frozenset[Sensitivity] = frozenset()
    for purpose in purposes:
        out |= purpose_classes(purpose=purpose)
    return out
