r"""A referral's life, declared once: the verbs, the states they move between, which side may do them, and
whether a message is required. Read by the actions, the pages, the API and docs/referrals.md.

    proposed --send--> sent --accept--> accepted --complete--> completed
                         \--decline--> declined
    proposed / sent / accepted --withdraw--> withdrawn
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from icmc.referrals.codes import ReferralState as S


class Side(StrEnum):
    SENDER = "sender"  # the referring organisation (from_organisation)
    RECEIVER = "receiver"  # the organisation referred to (to_organisation)


@dataclass(frozen=True, kw_only=True)
class Transition:
    verb: str
    label: object
    sources: frozenset[S]
    target: S
    sides: frozenset[Side]
    message_required: bool


TRANSITIONS: dict[str, Transition] = {t.verb: t for t in [
    Transition(verb="send", label=_("Send"), sources=frozenset({S.PROPOSED}), target=S.SENT,
               sides=frozenset({Side.SENDER}), message_required=False),
    Transition(verb="accept", label=_("Accept"), sources=frozenset({S.SENT}), target=S.ACCEPTED,
               sides=frozenset({Side.RECEIVER}), message_required=False),
    Transition(verb="decline", label=_("Decline"), sources=frozenset({S.SENT}), target=S.DECLINED,
               sides=frozenset({Side.RECEIVER}), message_required=True),
    Transition(verb="complete", label=_("Mark completed"), sources=frozenset({S.ACCEPTED}), target=S.COMPLETED,
               sides=frozenset({Side.SENDER, Side.RECEIVER}), message_required=False),
    Transition(verb="withdraw", label=_("Withdraw"), sources=frozenset({S.PROPOSED, S.SENT, S.ACCEPTED}),
               target=S.WITHDRAWN, sides=frozenset({Side.SENDER}), message_required=True),
]}

# The receiving organisation sees the case (what the purpose shares) and may add notes while the referral is
# open; after completion it keeps read-only access to what it was shared (its own record of the care it gave).
# Proposed, declined and withdrawn referrals give no access.
WORKING_STATES = frozenset({S.SENT, S.ACCEPTED})
READING_STATES = WORKING_STATES | {S.COMPLETED}
OPEN_STATES = frozenset({S.PROPOSED, S.SENT, S.ACCEPTED})
