"""Referrals proposed when a case is reported (called from icmc.cases.actions.do_report_case, inside its
transaction; they are part of that action and its one `case.reported` audit event).

The rule (docs/referrals.md):
- the recorded source and destination AHTU (Case.source_ahtu / destination_ahtu): purpose `investigation`;
- partner organisations: active organisations of kind ngo, shelter_ngo or foreign_partner, in the pillar
  protection or partnership, in the same state (or foreign province/division) as one of the case's places:
  at a recruitment (source) place for `repatriation`, at an exploitation (destination) place for `rescue`.
The reporting organisation is never referred to itself. Proposals are left for the case manager to send.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.utils import timezone

from icmc.access.actor import Actor
from icmc.accounts.models import Organisation
from icmc.accounts.reference import OrganisationKind, Pillar
from icmc.cases.codes import PlaceKind
from icmc.cases.models import Case, CasePlace
from icmc.lib.models import SyncedModel
from icmc.referrals.codes import ReferralPurpose, ReferralState
from icmc.referrals.models import Referral, ReferralTransition

PARTNER_KINDS = (OrganisationKind.NGO, OrganisationKind.SHELTER_NGO, OrganisationKind.FOREIGN_PARTNER)
PARTNER_PILLARS = (Pillar.PROTECTION, Pillar.PARTNERSHIP)
PARTNER_PURPOSE_BY_PLACE = {PlaceKind.RECRUITMENT: ReferralPurpose.REPATRIATION,
                            PlaceKind.EXPLOITATION: ReferralPurpose.RESCUE}


def partners_in(*, state_ids: set[str]) -> list[Organisation]:
    if not state_ids:
        return []
    return list(Organisation.objects.filter(
        is_active=True, kind__in=PARTNER_KINDS, pillars__code__in=PARTNER_PILLARS,
        jurisdiction__state_id__in=state_ids,
    ).select_related("jurisdiction").distinct().order_by("name"))


def targets_for(*, owner_id: object, ahtus: Iterable[Organisation | None],
                place_states: Iterable[tuple[str, str | None]],
                partners: Callable[[set[str]], list[Organisation]]) -> list[tuple[Organisation, str]]:
    """The rule on plain data: (organisation, purpose) pairs, without duplicates. `place_states` are
    (place kind, state id) pairs; `partners` gives the partner organisations of a set of states. The bulk
    generator calls this with cached look-ups."""
    targets: list[tuple[Organisation, str]] = [(ahtu, ReferralPurpose.INVESTIGATION) for ahtu in ahtus if ahtu]
    place_states = list(place_states)
    for kind, purpose in PARTNER_PURPOSE_BY_PLACE.items():
        states = {state for k, state in place_states if k == kind and state}
        targets.extend((org, purpose) for org in partners(states))
    seen: set[tuple[object, str]] = set()
    unique: list[tuple[Organisation, str]] = []
    for org, target_purpose in targets:
        if org.id != owner_id and (org.id, target_purpose) not in seen:
            seen.add((org.id, target_purpose))
            unique.append((org, target_purpose))
    return unique


def report_targets(*, case: Case, places: Sequence[CasePlace]) -> list[tuple[Organisation, str]]:
    """(organisation, purpose) pairs to propose for a newly reported case; `places` are the case's places just
    written (their jurisdictions loaded). The partners of every state concerned are read in one query."""
    place_states = [(p.kind, p.jurisdiction.state_id if p.jurisdiction else None) for p in places]
    found = partners_in(state_ids={state for kind, state in place_states
                                   if kind in PARTNER_PURPOSE_BY_PLACE and state})
    return targets_for(
        owner_id=case.owner_id, ahtus=(case.source_ahtu, case.destination_ahtu), place_states=place_states,
        partners=lambda states: [org for org in found if org.jurisdiction.state_id in states],
    )


def propose_report_referrals(*, case: Case, actor: Actor, places: Sequence[CasePlace]) -> list[SyncedModel]:
    """Create the proposed referrals of a newly reported case (one INSERT of the referrals, one of their first
    steps); returns every row written, each referral followed by its step."""
    now = timezone.now()
    rows: list[SyncedModel] = []
    for org, purpose in report_targets(case=case, places=places):
        referral = Referral(case=case, from_organisation_id=case.owner_id, to_organisation=org, purpose=purpose,
                            state=ReferralState.PROPOSED, automatic=True, created_at=now, updated_at=now)
        step = ReferralTransition(referral=referral, from_state="", to_state=ReferralState.PROPOSED,
                                  actor=actor.user, membership=actor.membership, organisation=actor.organisation,
                                  message="", created_at=now, updated_at=now)
        rows.extend([referral, step])
    Referral.objects.bulk_create([row for row in rows if isinstance(row, Referral)])
    ReferralTransition.objects.bulk_create([row for row in rows if isinstance(row, ReferralTransition)])
    return rows
