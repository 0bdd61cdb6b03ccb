from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from icmc.demo.specs import CaseSpec
from icmc.demo.synth import generate_specs

# The two states the demo world has centres for.
WORLD_STATES = {"IN-ML": 0.6, "IN-AS": 0.4}


@pytest.fixture
def anchor() -> datetime.date:
    return timezone.localdate()


def world_specs(*, seed: int, count: int, anchor: datetime.date, years: int = 2) -> list[CaseSpec]:
    return generate_specs(seed=seed, count=count, anchor=anchor, years=years, state_weights=WORLD_STATES)
