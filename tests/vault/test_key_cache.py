"""The cache of unwrapped data keys (icmc.vault.keycache): in this process's memory only, bounded, expiring, served
only for the wrapped key it was made from, and forgotten when a person is erased."""

from __future__ import annotations

from icmc.cases.models import CaseParty, CasePlace, PersonName
from icmc.vault import keycache
from icmc.vault.keycache import KEYS, KeyCache
from icmc.vault.keys import provider
from icmc.vault.models import CaseKey, PersonKey
from tests.factories import person_data, report_case
from tests.privacy.helpers import erase

NAME = "Iaishah Kharkongor"
PROVIDER = object()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _put(cache: KeyCache, owner: str, *, wrapped: str = "w1", key: bytes = b"k" * 32) -> None:
    cache.put(kind="person", owner_id=owner, wrapped=wrapped, master_key_id="m1", provider=PROVIDER, data_key=key)


def _get(cache: KeyCache, owner: str, *, wrapped: str = "w1", master_key_id: str = "m1",
         keys: object = PROVIDER) -> bytes | None:
    return cache.get(kind="person", owner_id=owner, wrapped=wrapped, master_key_id=master_key_id, provider=keys)


def test_entries_expire_after_the_ttl():
    clock = Clock()
    cache = KeyCache(ttl=300, max_keys=10, clock=clock)
    _put(cache, "a")
    clock.now += 299
    assert _get(cache, "a") == b"k" * 32
    clock.now += 2
    assert _get(cache, "a") is None and len(cache) == 0


def test_the_cache_is_bounded_and_drops_the_least_recently_used():
    cache = KeyCache(ttl=300, max_keys=3, clock=Clock())
    for owner in "abc":
        _put(cache, owner)
    assert _get(cache, "a")  # used: "b" is now the oldest
    _put(cache, "d")
    assert len(cache) == 3 and _get(cache, "b") is None and _get(cache, "a") and _get(cache, "d")
    assert keycache.MAX_KEYS == 8192 and keycache.TTL_SECONDS == 300


def test_served_only_for_the_wrapped_key_it_was_made_from():
    cache = KeyCache(clock=Clock())
    _put(cache, "a")
    assert _get(cache, "a", wrapped="w2") is None  # rewrapped or destroyed ("") elsewhere: never the old key
    _put(cache, "a")
    assert _get(cache, "a", master_key_id="m2") is None
    _put(cache, "a")
    assert _get(cache, "a", keys=object()) is None  # another master key provider
    _put(cache, "a")
    cache.forget(kind="person", owner_ids=["a"])
    assert _get(cache, "a") is None


def test_an_erased_persons_key_is_not_served_from_the_cache(world):
    case = report_case(world, survivors=[person_data(NAME, phone="+919812300088")], source_detail="Near the bridge")
    person = CaseParty.objects.get(case=case, role="survivor").person
    assert PersonName.objects.get(person=person, is_alias=False).value == NAME  # read: the key is remembered
    assert [p.detail for p in CasePlace.objects.filter(case=case) if p.detail]  # and the case's key
    before = PersonKey.objects.get(person=person)
    assert KEYS.holds(kind="person", owner_id=str(person.id))
    assert KEYS.holds(kind="case", owner_id=str(case.id))

    erase(world, case, person)

    assert not KEYS.holds(kind="person", owner_id=str(person.id))
    assert not KEYS.holds(kind="case", owner_id=str(case.id))  # its only survivor erased: the case key went too
    assert CaseKey.objects.get(case=case).wrapped == ""
    # Even asked for the key as it was wrapped before the erasure (a stale row, a restored copy), nothing is served.
    assert KEYS.get(kind="person", owner_id=str(person.id), wrapped=before.wrapped,
                    master_key_id=before.master_key_id, provider=provider()) is None
    assert {n.value for n in PersonName.objects.filter(person=person)} == {"[erased]"}
    assert not KEYS.holds(kind="person", owner_id=str(person.id))
