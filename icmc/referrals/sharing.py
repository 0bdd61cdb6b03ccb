"""What a referral shares, declared once: per purpose, which parts of the case the receiving organisation
sees. Read by icmc.access.queries (the `referred` scope, visible persons), the case page and API case detail
(icmc.referrals.queries.shared_detail) and docs/referrals.md.

A referral of one survivor shares that survivor; a referral of the whole case shares every survivor. Other
roles (guardian, reporter, suspect/accused, witness) are shared only if the purpose lists them. A purpose
with `whole_case` shares everything the owner sees (parties, FIRs, notes, place details).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q

from icmc.access.policy import Perm
from icmc.cases.codes import PartyRole
from icmc.referrals.codes import ReferralPurpose as P
from icmc.referrals.models import Referral
from icmc.referrals.workflow import READING_STATES, WORKING_STATES


@dataclass(frozen=True, kw_only=True)
class Share:
    whole_case: bool = False
    # Roles besides the referred survivor(s) whose parties are shared.
    other_roles: frozenset[str] = frozenset()
    firs: bool = False  # the FIR details (number, station, date)
    identity: bool = True  # names, phones, birth dates of the shared parties (needs consent to send)


_FAMILY = frozenset({PartyRole.GUARDIAN})

SHARES: dict[str, Share] = {
    P.RESCUE: Share(whole_case=True),
    P.INVESTIGATION: Share(whole_case=True),
    P.PROSECUTION: Share(whole_case=True),
    P.SHELTER: Share(),
    P.MEDICAL: Share(),
    P.LEGAL_AID: Share(firs=True),
    P.COMPENSATION: Share(other_roles=_FAMILY, firs=True),  # the family may claim if the victim died
    P.REPATRIATION: Share(other_roles=_FAMILY),
    P.FOLLOW_UP: Share(other_roles=_FAMILY),
    P.CHILD_PROTECTION: Share(other_roles=_FAMILY | {PartyRole.REPORTER}, firs=True),
}

WHOLE_CASE_PURPOSES = frozenset(p for p, s in SHARES.items() if s.whole_case)
IDENTITY_PURPOSES = frozenset(p for p, s in SHARES.items() if s.identity)

# Reading keeps going after completion; doing anything else needs an open (sent or accepted) referral.
_READ_PERMS = frozenset({Perm.CASE_VIEW, Perm.PERSON_VIEW_IDENTITY})


def states_for(*, perm: Perm) -> frozenset[str]:
    return frozenset(READING_STATES if perm in _READ_PERMS else WORKING_STATES)


def share_of(purposes: Iterable[str]) -> Share:
    """What several referrals to one organisation share together (the union)."""
    shares = [SHARES[p] for p in purposes if p in SHARES]
    return Share(
        whole_case=any(s.whole_case for s in shares),
        other_roles=frozenset().union(*(s.other_roles for s in shares)),
        firs=any(s.firs or s.whole_case for s in shares),
        identity=any(s.identity for s in shares),
    )


def referrals_giving_access(*, organisation_id: object, perm: Perm = Perm.CASE_VIEW) -> Q:
    """A filter on Referral: those to `organisation_id` in a state that gives `perm`'s access."""
    return Q(to_organisation_id=organisation_id, state__in=states_for(perm=perm))


def shared_parties_q(*, organisation_id: object, perm: Perm = Perm.PERSON_VIEW_IDENTITY, per_row: bool = False) -> Q:
    """A filter on CaseParty: the parties that referrals to the organisation share with it.

    `per_row`: the same conditions as EXISTS probes of each party's own referrals (by case or party: an index
    look-up each) instead of `IN (every referral to the organisation)`, for filtering a few hundred parties: an
    AHTU receives ~10,000 referrals at 100,000 cases, and hashing them five times cost a person search ~120 ms."""
    refs = Referral.objects.filter(referrals_giving_access(organisation_id=organisation_id, perm=perm))
    partial = refs.exclude(purpose__in=WHOLE_CASE_PURPOSES)

    def of_case(referrals: Any) -> Q:
        if per_row:
            return Q(Exists(referrals.filter(case_id=OuterRef("case_id"))))
        return Q(case_id__in=referrals.values("case_id"))

    q = of_case(refs.filter(purpose__in=WHOLE_CASE_PURPOSES))
    if per_row:
        q |= Q(Exists(partial.filter(party_id=OuterRef("pk"))), role=PartyRole.SURVIVOR)
    else:
        q |= Q(role=PartyRole.SURVIVOR, id__in=partial.filter(party__isnull=False).values("party_id"))
    q |= Q(of_case(partial.filter(party__isnull=True)), role=PartyRole.SURVIVOR)
    roles = sorted({role for share in SHARES.values() if not share.whole_case for role in share.other_roles})
    for role in roles:
        purposes = [p for p, s in SHARES.items() if not s.whole_case and role in s.other_roles]
        q |= Q(of_case(partial.filter(purpose__in=purposes)), role=role)
    return q
