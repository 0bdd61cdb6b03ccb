"""Which criminal law is in force for an FIR: IPC/CrPC before 1 July 2024, BNS/BNSS from then on."""

from __future__ import annotations

import datetime
from enum import StrEnum

BNS_IN_FORCE = datetime.date(2024, 7, 1)


class LawRegime(StrEnum):
    IPC_CRPC = "IPC/CrPC"
    BNS_BNSS = "BNS/BNSS"


def law_regime(*, registered_on: datetime.date) -> LawRegime:
    return LawRegime.BNS_BNSS if registered_on >= BNS_IN_FORCE else LawRegime.IPC_CRPC
