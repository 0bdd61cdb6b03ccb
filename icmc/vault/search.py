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


POOL = 2000  # people sharing most tokens, network-wide, of whom those `within` are kept


def candidate_ids(name: str, *, within: QuerySet[Any] | None = None, min_shared: int = 1,
                  limit: int = 200) -> list[Any]:
    """Ids of the people sharing at least `min_shared` blocking tokens (words or sound keys) with `name`, most
    shared first: the block a matcher then compares in memory after decrypting.

    `within`: a queryset with a `person_id` column (e.g. the parties the actor may see) the block is limited to.
    Two index-driven steps, so the cost follows the number of token rows, not the size of `within`: the POOL
    people sharing most tokens (an index-only scan of (token, person)), then those of them found in `within`
    (an index lookup per id). Only if more than POOL people network-wide share more tokens than a visible one
    would that one be missed."""
    from icmc.vault.models import SearchToken

    tokens = blind.name_tokens(blind.index_key(), name)
    if not tokens:
        return []
    grouped = (SearchToken.objects.filter(token__in=sorted({t for _k, t in tokens})).values("person_id")
               .annotate(shared=Count("id")).filter(shared__gte=min_shared).order_by("-shared", "person_id"))
    if within is None:
        return [r["person_id"] for r in grouped[:limit]]
    pool = [r["person_id"] for r in grouped[:POOL]]
    kept = {r["person_id"] for r in within.filter(person_id__in=pool).values("person_id")}
    return [pid for pid in pool if pid in kept][:limit]
