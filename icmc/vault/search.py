"""Finding people without plaintext in the database: exact lookups through the blind index, candidates for
matching through blocking tokens. Callers must still limit the result to what the actor may see
(icmc.access.queries.visible_persons)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from icmc.cases.models import Person
from icmc.vault import blind


def persons_by_name(name: str) -> QuerySet[Person]:
    """People with a name (or alias) equal to `name` after normalisation (case, width, spacing)."""
    index = blind.name_index(blind.index_key(), name)
    return Person.objects.filter(names__value_index=index).distinct() if index else Person.objects.none()


def persons_by_phone(phone: str) -> QuerySet[Person]:
    index = blind.phone_index(blind.index_key(), phone)
    return Person.objects.filter(phones__number_index=index).distinct() if index else Person.objects.none()


def candidate_ids(name: str, *, within: QuerySet[Any] | None = None, min_shared: int = 1,
                  limit: int = 200) -> list[Any]:
    """Ids of the people sharing at least `min_shared` blocking tokens (words or sound
    keys) with `name`, most shared first: the block a matcher then compares in memory after decrypting.
    `within`: a queryset of person ids (e.g. what the actor may see) the block is limited to, in the same
    query, so the limit never cuts visible people in favour of invisible ones."""
    from icmc.vault.models import SearchToken

    tokens = blind.name_tokens(blind.index_key(), name)
    if not tokens:
        return []
    rows = SearchToken.objects.filter(token__in=sorted({t for _k, t in tokens}))
    if within is not None:
        rows = rows.filter(person_id__in=within)
    grouped = (rows.values("person_id").annotate(shared=Count("id")).filter(shared__gte=min_shared)
               .order_by("-shared", "person_id")[:limit])
    return [r["person_id"] for r in grouped]
