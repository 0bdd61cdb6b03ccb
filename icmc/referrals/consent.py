"""The consent rule, declared once (docs/referrals.md): before a referral that shares identities is sent, each
survivor it shares must have a consent record covering its purpose.

- An adult: their own informed consent (basis `survivor`, response `consented`).
- A child (icmc.cases.people.is_minor): a guardian's consent or a CWC decision; the child's own assent should
  be recorded too, but cannot stand in for them.
- Age unknown: any of the above.
- In every case: an override with a written reason (a guardian may be the trafficker), audited.
The latest record (of an allowed basis) that covers the purpose decides: a later refusal revokes an earlier
consent.
"""

from __future__ import annotations

import datetime

from icmc.cases.codes import PartyRole
from icmc.cases.models import CaseParty
from icmc.cases.people import is_minor
from icmc.referrals.codes import ConsentBasis as B
from icmc.referrals.codes import ConsentResponse as R
from icmc.referrals.models import Consent, Referral
from icmc.referrals.sharing import SHARES

ADULT_BASES = frozenset({B.SURVIVOR, B.OVERRIDE})
CHILD_BASES = frozenset({B.GUARDIAN, B.CWC_DECISION, B.OVERRIDE})


def allowed_bases(*, party: CaseParty, on: datetime.date) -> frozenset[str]:
    minor = is_minor(person=party.person, on=on)
    if minor is None:
        return ADULT_BASES | CHILD_BASES
    return CHILD_BASES if minor else ADULT_BASES


def covering_consent(*, party: CaseParty, purpose: str, on: datetime.date) -> Consent | None:
    """The consent record that allows sharing this survivor's identity for `purpose`, or None."""
    bases = allowed_bases(party=party, on=on)
    for record in Consent.objects.filter(party=party, basis__in=bases).order_by("-created_at"):
        if purpose not in record.purposes:
            continue
        if record.basis == B.OVERRIDE or record.response == R.CONSENTED:
            return record
        return None
    return None


def survivors_shared(*, referral: Referral) -> list[CaseParty]:
    """The survivors whose identities the referral shares."""
    if not SHARES[referral.purpose].identity:
        return []
    if referral.party_id is not None:
        return [CaseParty.objects.select_related("person").get(pk=referral.party_id)]
    return list(CaseParty.objects.filter(case_id=referral.case_id, role=PartyRole.SURVIVOR)
                .select_related("person").order_by("created_at"))


def consents_for_sending(*, referral: Referral, on: datetime.date) -> tuple[list[Consent], int]:
    """The consents the referral can be sent on, and how many shared survivors have none."""
    found, missing = [], 0
    for party in survivors_shared(referral=referral):
        record = covering_consent(party=party, purpose=referral.purpose, on=on)
        if record is None:
            missing += 1
        else:
            found.append(record)
    return found, missing
