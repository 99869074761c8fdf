"""Pausing Python's cyclic garbage collector while a large acyclic object graph is built.

Building the typed model of a 25 MB message creates some 300,000 objects (the message's classes and
the rules' index of them). Each 700 allocations start a collection, and as the survivors pile up
the collector walks all of them again and again: about a fifth of the time of a full check. Those
objects hold no reference cycles, so nothing is lost by not looking for cycles while they are made;
reference counting frees them as always. The pause is process-wide, so it is counted: the collector
runs again as soon as the last thread that paused it is done, and stays off only if it was off before.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_pauses = 0
_was_enabled = False


class paused_gc:  # noqa: N801 - used like a function: `with paused_gc():`
    """Within this block the cyclic collector does not run (see the module's docstring).

    A class rather than a generator-based context manager: a small message is checked in tens of
    microseconds, and entering and leaving this costs well under one."""

    __slots__ = ()

    def __enter__(self) -> None:
        global _pauses, _was_enabled
        with _lock:
            if _pauses == 0:
                _was_enabled = gc.isenabled()
                gc.disable()
            _pauses += 1

    def __exit__(self, *exc_info: object) -> None:
        global _pauses
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
