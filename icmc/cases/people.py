"""Facts derived from a person's record: age on a date, and whether they are a minor (JJ Act, POCSO: under 18)."""

from __future__ import annotations

import datetime

from icmc.cases.codes import AGE_OF_MAJORITY
from icmc.cases.models import Person


def _whole_years(*, start: datetime.date, end: datetime.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def age_on(*, person: Person, on: datetime.date) -> int | None:
    """The person's age in whole years on `on`: from the birth date if known, else the estimated age plus the
    whole years since it was estimated. None when neither is recorded."""
    if person.birth_date is not None:
        return max(0, _whole_years(start=person.birth_date, end=on))
    if person.estimated_age is not None:
        estimated_on = person.age_estimated_on or person.created_at.date()
        return person.estimated_age + max(0, _whole_years(start=estimated_on, end=on))
    return None


def is_minor(*, person: Person, on: datetime.date) -> bool | None:
    """True if the person is under 18 on `on`, False if not, None if their age is unknown."""
    age = age_on(person=person, on=on)
    return None if age is None else age < AGE_OF_MAJORITY
