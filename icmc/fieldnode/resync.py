"""Full resync: pull everything again from the start, keeping the outbox (its mutations are pushed first)."""

from __future__ import annotations

from django.db import transaction

from icmc.sync.models import PullState, Replica


@transaction.atomic
def reset_for_full_resync() -> None:
    PullState.objects.update(cursor="", pulled=0)
    Replica.objects.all().delete()
