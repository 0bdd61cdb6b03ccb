"""The share ledger (security checklist item 14, docs/privacy.md): one row per person whose data went to another
organisation — by a referral when it is sent (across a border or not), or by an export with identities. A
referral's rows get an end (`end_referral_disclosures`) when it is withdrawn or declined.

`record_disclosure` is called inside the action that discloses (one write path: do_transition_referral for
`send`, the identity export), so a disclosure and its ledger rows commit or roll back together. It records no
audit event of its own: the disclosing action records one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from icmc.access.actor import Actor
from icmc.accounts.models import Organisation
from icmc.cases.codes import PartyRole
from icmc.cases.models import Case, CaseParty
from icmc.privacy.models import Disclosure, DisclosureChannel
from icmc.referrals.models import Referral
from icmc.referrals.sharing import SHARES
from icmc.sync.feed import record_changes

IDENTITY = ("names", "phones", "birth_date")
CARE = ("sex_gender", "age", "citizenship", "languages")


def categories_of_referral(referral: Referral) -> list[str]:
    """What a referral's purpose shares of each shared person (icmc/referrals/sharing.py)."""
    share = SHARES[referral.purpose]
    found = [*(IDENTITY if share.identity else ()), *CARE, "case_report"]
    if share.firs or share.whole_case:
        found.append("firs")
    if share.whole_case:
        found += ["place_details", "notes", "prosecution"]
    return found


def parties_shared_by(referral: Referral) -> list[CaseParty]:
    """The parties of the case whose data this one referral shares."""
    share = SHARES[referral.purpose]
    parties = CaseParty.objects.filter(case_id=referral.case_id).order_by("created_at")
    if share.whole_case:
        return list(parties)
    survivors = parties.filter(role=PartyRole.SURVIVOR)
    if referral.party_id is not None:
        survivors = survivors.filter(pk=referral.party_id)
    others = parties.filter(role__in=share.other_roles)
    return list(survivors) + list(others)


def record_disclosure(*, actor: Actor, case: Case, parties: Iterable[CaseParty], from_organisation: Organisation,
                      to_organisation: Organisation, channel: str, categories: list[str], purpose: str = "",
                      referral: Referral | None = None, approval_id: uuid.UUID | None = None) -> list[Disclosure]:
    """Write the ledger rows of one disclosure (inside the disclosing action's transaction)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_disclosure must run inside the disclosing action's transaction")
    now = timezone.now()
    rows = [Disclosure(person_id=party.person_id, party_role=party.role, case=case, channel=channel,
                       purpose=purpose, categories=list(categories), from_organisation=from_organisation,
                       to_organisation=to_organisation, referral=referral, approval_id=approval_id,
                       disclosed_by=actor.user, disclosed_at=now, created_at=now, updated_at=now)
            for party in parties]
    if not rows:
        return []
    Disclosure.objects.bulk_create(rows)
    record_changes(*rows, case_id=case.id)
    return rows


def end_referral_disclosures(*, referral: Referral, reason: str) -> int:
    """Give an end to the ledger rows of a referral that no longer gives access (inside the referral action's
    transaction): when and why (DisclosureEnd). Returns how many rows were ended."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("end_referral_disclosures must run inside the referral action's transaction")
    now = timezone.now()
    rows = list(Disclosure.objects.select_for_update().filter(referral=referral, ended_at__isnull=True))
    for row in rows:
        row.ended_at, row.end_reason, row.updated_at, row.version = now, reason, now, row.version + 1
    if rows:
        Disclosure.objects.bulk_update(rows, ["ended_at", "end_reason", "updated_at", "version"])
        record_changes(*rows, case_id=referral.case_id)
    return len(rows)


def record_referral_disclosure(*, actor: Actor, referral: Referral, cross_border: bool,
                               approval_id: uuid.UUID | None = None) -> int:
    rows = record_disclosure(
        actor=actor, case=referral.case, parties=parties_shared_by(referral),
        from_organisation=referral.from_organisation, to_organisation=referral.to_organisation,
        channel=DisclosureChannel.CROSS_BORDER if cross_border else DisclosureChannel.REFERRAL,
        categories=categories_of_referral(referral), purpose=referral.purpose, referral=referral,
        approval_id=approval_id)
    return len(rows)
