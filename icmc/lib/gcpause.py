"""Pausing Python's cyclic garbage collector while a large, short-lived and acyclic structure is built.

Building a sync page makes some hundred thousand dicts and strings; each few hundred allocations start a
collection, and the older generations' collections walk every live object again. Reference counting frees
all of it anyway (nothing in it is cyclic), so the collector is paused while the page is built and encoded
(a quarter of a first sync's CPU time, measured: docs/benchmarks.md). Process-wide, so it counts nested and
concurrent pauses (threads of one worker) and resumes only when the last one ends, and only if it was on.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
