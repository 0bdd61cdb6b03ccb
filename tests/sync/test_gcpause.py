"""The collector pause around building and parsing sync pages (icmc/lib/gcpause.py)."""

from __future__ import annotations

import gc
import threading

from icmc.lib.gcpause import no_cyclic_gc


def test_paused_inside_resumed_after_even_when_nested_or_raising() -> None:
    assert gc.isenabled()
    with no_cyclic_gc():
        assert not gc.isenabled()
        with no_cyclic_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    try:
        with no_cyclic_gc():
            raise ValueError
    except ValueError:
        pass
    assert gc.isenabled()


def test_left_off_if_it_was_off() -> None:
    gc.disable()
    try:
        with no_cyclic_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_concurrent_pauses_resume_when_the_last_ends() -> None:
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with no_cyclic_gc():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(5)
    with no_cyclic_gc():
        pass
    assert not gc.isenabled()  # the other thread's pause goes on
    release.set()
    thread.join(5)
    assert gc.isenabled()
