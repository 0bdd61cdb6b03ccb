"""Unwrapped data keys, remembered for a short while so that a page or a search showing hundreds of names does not
unwrap the same keys again and again.

Security: the cache lives in this process's memory only — never in Redis, the database, a file or any shared
cache — and holds at most MAX_KEYS keys, each for at most TTL_SECONDS. An entry is served only for the very
wrapped key it was made from (the row's current `wrapped` and master key id are compared), so a key destroyed or
rewrapped by another process is never served from here; the erasure forgets the person's (and the cases') keys
in this process at once, and the other processes' copies go with their TTL.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

TTL_SECONDS = 300.0
MAX_KEYS = 8192


@dataclass(frozen=True)
class _Entry:
    wrapped: str
    master_key_id: str
    provider: object  # the master key provider that unwrapped it (tests and rotation may change it)
    data_key: bytes
    expires: float


class KeyCache:
    """A bounded, expiring map (kind, owner id) -> unwrapped data key, safe across threads."""

    def __init__(self, *, ttl: float = TTL_SECONDS, max_keys: int = MAX_KEYS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl, self._max, self._clock = ttl, max_keys, clock
        self._entries: OrderedDict[tuple[str, str], _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, *, kind: str, owner_id: str, wrapped: str, master_key_id: str, provider: object) -> bytes | None:
        key = (kind, owner_id)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if (entry.expires <= self._clock() or entry.wrapped != wrapped or entry.master_key_id != master_key_id
                    or entry.provider is not provider):
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry.data_key

    def put(self, *, kind: str, owner_id: str, wrapped: str, master_key_id: str, provider: object,
            data_key: bytes) -> None:
        key = (kind, owner_id)
        with self._lock:
            self._entries[key] = _Entry(wrapped=wrapped, master_key_id=master_key_id, provider=provider,
                                        data_key=data_key, expires=self._clock() + self._ttl)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def forget(self, *, kind: str, owner_ids: list[str]) -> None:
        with self._lock:
            for owner_id in owner_ids:
                self._entries.pop((kind, owner_id), None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def holds(self, *, kind: str, owner_id: str) -> bool:
        """Whether a key of this owner is in memory (for tests)."""
        return (kind, owner_id) in self._entries


KEYS = KeyCache()
