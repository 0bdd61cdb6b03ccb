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


POOL = 2000  # the most people, network-wide, a name search considers (then keeps those the actor may see)


def candidate_ids(name: str, *, min_shared: int = 1, limit: int = POOL) -> list[Any]:
    """Ids of the people sharing at least `min_shared` blocking tokens (words or sound keys) with `name`, most
    shared first, at most `limit`: the block a matcher then compares in memory after decrypting.

    One index-driven query whose cost follows the number of token rows, not the size of the database: an
    index-only scan of (token, person) for the name's few tokens, grouped by person, cut to `limit` (no
    OFFSET). Callers limit the block to the people the actor may see afterwards
    (icmc.access.queries.visible_parties_of): only if more than POOL people network-wide share more tokens with
    the name than a visible person does would that person be missed."""
    from icmc.vault.models import SearchToken

    tokens = blind.name_tokens(blind.index_key(), name)
    if not tokens:
        return []
    grouped = (SearchToken.objects.filter(token__in=sorted({t for _k, t in tokens})).values("person_id")
               .annotate(shared=Count("id")).filter(shared__gte=min_shared).order_by("-shared", "person_id"))
    return [r["person_id"] for r in grouped[:limit]]
