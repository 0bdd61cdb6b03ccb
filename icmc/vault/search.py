"""Finding people without plaintext in the database: exact lookups through the blind index, candidates for
matching through blocking tokens. Callers must still limit the result to what the actor may see
(icmc.access.queries.visible_persons)."""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Collection
from typing import Any

from django.db import connections
from django.db.models import Case, Count, IntegerField, Max, QuerySet, Sum, UUIDField, Value, When
from django.db.models.expressions import RawSQL

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
              .annotate(n=Count("person_id")).values_list("token", "n"))
    return {token: round(1000 * math.log1p(SCALE / n)) for token, n in counts}


# A final-n variant (blind.final_n_variant) weighs half the lesser of its own rarity weight and that of the word's
# own sound key: anyone sharing the word's spelling or sound then outweighs, in that word, anyone holding only the
# variant (by at least as much again), however few hold the variant (a rare variant would otherwise weigh most).
VARIANT_SHARE = 0.5


def _weights(*, searched: list[blind.SearchWord]) -> dict[str, int]:
    """The weights of the tokens a search looks for (token_weights), the final-n variants' cut (VARIANT_SHARE).
    Tokens nobody holds are left out."""
    weights = token_weights({token for word in searched for token in (*word.tokens, word.variant) if token})
    for word in searched:
        if word.variant in weights:
            ceiling = min(weights[word.variant], weights.get(word.sound, weights[word.variant]))
            weights[word.variant] = round(VARIANT_SHARE * ceiling)
    return weights


def _ranked(name: str, *, limit: int) -> QuerySet[Any] | None:
    """(person_id, words, weight) of the `limit` people ranking best for `name`, best first (see candidate_ids);
    None when nobody holds any of the name's tokens."""
    from icmc.vault.models import SearchToken

    searched = blind.search_words(key=blind.index_key(), value=name)
    weights = _weights(searched=searched)
    if not weights:
        return None
    # Words shared: one MAX (0 or 1) per word of the name, added up (no DISTINCT: a plain hash aggregate); a word
    # is shared by its spelling, its sound key or its sound key's final-n variant.
    groups = [{token for token in (*word.tokens, word.variant) if token} for word in searched]
    shared = [Max(Case(When(token__in=sorted(group), then=Value(1)), default=Value(0), output_field=IntegerField()))
              for group in groups if group & weights.keys()]
    words = functools.reduce(operator.add, shared)
    weight = Case(*[When(token=token, then=Value(w)) for token, w in sorted(weights.items())],
                  output_field=IntegerField())
    return (SearchToken.objects.filter(token__in=sorted(weights)).order_by().values("person_id")
            .annotate(words=words, weight=Sum(weight))
            .order_by("-words", "-weight", "person_id"))[:limit]


def candidate_ids(name: str, *, limit: int = POOL) -> list[Any]:
    """Ids of the people sharing blocking tokens (words or sound keys) with `name`, best first, at most `limit`:
    the block a matcher then compares in memory after decrypting.

    Best first: those sharing more of the name's words (a word is shared by its spelling, its sound, or its sound
    with a final n dropped or added: blind.search_words, weighing less), then, among them, those whose shared
    tokens are rarer (token_weights: a given name held by a few hundred people
    counts more than a surname held by thousands, an exact spelling more than its sound key alone), then by id.
    Two index-driven queries whose cost follows the number of token rows of the name, not the size of the
    database: the tokens' counts, then an index-only scan of (token, person) grouped by person, cut to `limit`
    (no OFFSET)."""
    ranked = _ranked(name, limit=limit)
    return [] if ranked is None else [row["person_id"] for row in ranked]


def ranked_ids(name: str, *, among: QuerySet[Any], limit: int, pool: int = POOL) -> list[Any]:
    """Ids of the people of `among` (a queryset of a model with a `person_id`, e.g. the parties an actor may see)
    who are among the `pool` people ranking best network-wide for `name` (candidate_ids), best first, at most
    `limit`.

    One statement besides the tokens' counts: the ranking, cut to `pool`, then, in its order, each person tested
    by an EXISTS on `among` (an index probe or two) until `limit` are found; the database never tests `among`'s
    conditions on everybody they hold (a centre sees 140,000 people at 100,000 cases). On PostgreSQL the EXISTS
    is kept a per-row test (OFFSET 0), which a hash join of whole tables would otherwise replace. Only if more
    than `pool` people network-wide rank above a person of `among` would that person be missed. Values come as
    the database gives them (UUIDs as text on SQLite)."""
    ranked = _ranked(name, limit=pool)
    if ranked is None or among.query.is_empty():
        return []
    connection = connections[among.db]
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    person = RawSQL('r."person_id"', (), output_field=UUIDField())
    inner_sql, inner_params = among.filter(person_id=person).order_by().values("pk").query.sql_with_params()
    ranked_sql, ranked_params = ranked.query.sql_with_params()
    sql = (f'SELECT r."person_id" FROM ({ranked_sql}) r WHERE EXISTS ({inner_sql}{fence}) '  # noqa: S608 (Django's SQL)
           'ORDER BY r."words" DESC, r."weight" DESC, r."person_id" LIMIT %s')
    with connection.cursor() as cursor:
        cursor.execute(sql, (*ranked_params, *inner_params, limit))
        return [row[0] for row in cursor.fetchall()]
