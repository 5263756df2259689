"""The server collects garbage rarely and keeps what exists at start out of full passes."""

from __future__ import annotations

import gc

from server.live.memory import GC_THRESHOLDS, tune_collector


def test_tuning_the_collector_freezes_the_heap_and_raises_the_thresholds() -> None:
    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    try:
        assert tune_collector() == before
        assert gc.get_threshold() == GC_THRESHOLDS
        assert gc.get_freeze_count() > frozen
        assert GC_THRESHOLDS[0] >= 100 * before[0]  # the point of it: see server/live/memory.py
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
