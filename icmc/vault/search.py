"""Finding people without plaintext in the database: exact lookups through the blind index, candidates for
matching through blocking tokens. Callers must still limit the result to what the actor may see
(icmc.access.queries.visible_persons)."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from typing import Any

from django.db import connections
from django.db.models import Case, Count, F, IntegerField, QuerySet, Sum, Value, When

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
# Rarity weights are log(1 + SCALE / holders) in thousandths: a token held by 10 people weighs 11.5, by 10,000
# people 4.6. SCALE is a network's order of size, fixed so that a weight needs no count of every person.
SCALE = 1_000_000


def token_weights(tokens: Collection[str]) -> dict[str, int]:
    """How rare each token is among everybody (network-wide, all tokens being keyed HMACs, no name involved): an
    integer weight, higher for rarer tokens, from one grouped count over the tokens' index entries. Tokens
    nobody holds are left out."""
    from icmc.vault.models import SearchToken

    counts = (SearchToken.objects.filter(token__in=sorted(tokens)).order_by().values("token")
              .annotate(n=Count("id")).values_list("token", "n"))
    return {token: round(1000 * math.log1p(SCALE / n)) for token, n in counts}


def _ranked(name: str, *, limit: int) -> QuerySet[Any] | None:
    """(person_id, words, weight) of the `limit` people ranking best for `name`, best first (see candidate_ids);
    None when nobody holds any of the name's tokens."""
    from icmc.vault.models import SearchToken

    groups = [{token for _kind, token in group} for group in blind.word_tokens(blind.index_key(), name)]
    weights = token_weights({token for group in groups for token in group})
    if not weights:
        return None
    word = Case(*[When(token__in=sorted(group), then=Value(i)) for i, group in enumerate(groups)],
                output_field=IntegerField())
    weight = Case(*[When(token=token, then=Value(w)) for token, w in sorted(weights.items())],
                  output_field=IntegerField())
    return (SearchToken.objects.filter(token__in=sorted(weights)).order_by().values("person_id")
            .annotate(words=Count(word, distinct=True), weight=Sum(weight))
            .order_by("-words", "-weight", "person_id"))[:limit]


def candidate_ids(name: str, *, limit: int = POOL) -> list[Any]:
    """Ids of the people sharing blocking tokens (words or sound keys) with `name`, best first, at most `limit`:
    the block a matcher then compares in memory after decrypting.

    Best first: those sharing more of the name's words (a word is shared by its spelling or its sound), then,
    among them, those whose shared tokens are rarer (token_weights: a given name held by a few hundred people
    counts more than a surname held by thousands, an exact spelling more than its sound key alone), then by id.
    Two index-driven queries whose cost follows the number of token rows of the name, not the size of the
    database: the tokens' counts, then an index-only scan of (token, person) grouped by person, cut to `limit`
    (no OFFSET)."""
    ranked = _ranked(name, limit=limit)
    return [] if ranked is None else [row["person_id"] for row in ranked]


def ranked_rows(name: str, *, among: QuerySet[Any], fields: Sequence[str], pool: int = POOL) -> list[tuple[Any, ...]]:
    """The rows of `among` (a queryset of a model with a `person_id`, e.g. the parties an actor may see) whose
    person is among the `pool` people ranking best network-wide for `name` (candidate_ids), as tuples of
    `fields`, best person first (a person's rows together).

    One statement besides the tokens' counts: the ranking, cut to `pool`, joined to `among`, so that the
    database tests `among`'s conditions on those few thousand people only (an index probe each), never on all it
    holds. Only if more than `pool` people network-wide rank above a person of `among` would that person be
    missed. Values come back as the database gives them (UUIDs as text on SQLite)."""
    ranked = _ranked(name, limit=pool)
    if ranked is None or among.query.is_empty():
        return []
    columns = {f"c{i}": F(field) for i, field in enumerate(fields)}
    rows = among.order_by().values(**columns, ranked_person=F("person_id"))
    ranked_sql, ranked_params = ranked.query.sql_with_params()
    rows_sql, rows_params = rows.query.sql_with_params()
    picked = ", ".join(f'a."c{i}"' for i in range(len(fields)))
    sql = (f"SELECT {picked} FROM ({ranked_sql}) r INNER JOIN ({rows_sql}) a "  # noqa: S608 (SQL compiled by Django)
           'ON a."ranked_person" = r."person_id" ORDER BY r."words" DESC, r."weight" DESC, r."person_id"')
    with connections[among.db].cursor() as cursor:
        cursor.execute(sql, (*ranked_params, *rows_params))
        return [tuple(row) for row in cursor.fetchall()]
