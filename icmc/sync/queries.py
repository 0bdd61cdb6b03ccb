"""Read helpers of the sync app for other apps' pages (the caller has already checked access to the case)."""

from __future__ import annotations

from icmc.cases.models import Case
from icmc.sync.models import ConflictRecord, ConflictStatus


def open_conflict_count(*, case: Case) -> int:
    return ConflictRecord.objects.filter(case=case, status=ConflictStatus.OPEN).count()
