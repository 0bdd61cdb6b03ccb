"""How a person of a case is named in a form's choices (the survivor, suspect, accused or claimant pickers of the
pathway and prosecution record forms): by role and position, as on the case page ("Survivor 2"), with the
person's name only when the one redaction function lets it through for the reader. A reader without P0
(identity) gets "Survivor 2 (minor)"; a form built without a reader's clearance names nobody (fail closed).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from icmc.access.redaction import Clearance, redact
from icmc.cases.codes import PartyRole
from icmc.cases.models import Case, CaseParty
from icmc.cases.people import is_minor


class PartyLabels:
    """The labels of one case's parties for one reader. Positions count per role in the order the parties
    joined the case (the case page's order), whatever subset a picker lists."""

    def __init__(self, *, case: Case, clearance: Clearance | None) -> None:
        self.clearance = clearance
        self._positions: dict[Any, int] = {}
        counts: dict[str, int] = {}
        for party_id, role in (CaseParty.objects.filter(case=case).order_by("created_at", "pk")
                               .values_list("pk", "role")):
            counts[role] = counts.get(role, 0) + 1
            self._positions[party_id] = counts[role]

    def label(self, party: CaseParty) -> str:
        role = str(PartyRole(party.role).label) if party.role in PartyRole.values else party.role
        text = f"{role} {self._positions.get(party.pk, '?')}"
        person = party.person
        # Without a reader's clearance nothing is cleared: no names (fail closed).
        clearance = self.clearance or Clearance(classes=frozenset())
        shown = redact({"names": [n.value for n in person.names.all() if not n.is_alias],
                        "is_minor": is_minor(person=person, on=timezone.localdate())},
                       model="cases.Person", clearance=clearance)
        names = shown.get("names") or []
        if names:
            text += f": {names[0]}"
        if shown.get("is_minor"):
            text += f" ({_('minor')})"
        return text

    def labels(self, parties: Iterable[CaseParty]) -> list[str]:
        return [self.label(p) for p in parties]
