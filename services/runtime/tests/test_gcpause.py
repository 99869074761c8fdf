"""paused_gc: the collector is off inside, on again after the last pause ends, and left off if it was off."""

from __future__ import annotations

import gc
import threading

from runtime.gcpause import paused_gc


def test_the_collector_is_paused_inside_and_runs_again_after():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_nested_and_overlapping_pauses_end_with_the_last_one():
    inside, leave = threading.Event(), threading.Event()

    def other_thread() -> None:
        with paused_gc():
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=other_thread)
    with paused_gc():
        thread.start()
        inside.wait(5)
    assert not gc.isenabled()  # the other thread still builds its objects
    leave.set()
    thread.join(5)
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_pause_ends_when_the_work_fails():
    try:
        with paused_gc():
            raise ValueError("fails")
    except ValueError:
        pass
    assert gc.isenabled()
