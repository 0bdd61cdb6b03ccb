"""Typed inputs of the referral actions (built by icmc.referrals.forms from a page's POST or an API body)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from icmc.accounts.models import Organisation
from icmc.cases.models import CaseParty


@dataclass(frozen=True, kw_only=True)
class ProposeReferralInput:
    to_organisation: Organisation
    purpose: str
    party: CaseParty | None  # the survivor referred; None for the whole case
    message: str


@dataclass(frozen=True, kw_only=True)
class ConsentInput:
    party: CaseParty
    basis: str
    response: str
    prompts_explained: tuple[str, ...]
    purposes: tuple[str, ...]
    reason: str
    given_on: datetime.date
