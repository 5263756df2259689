"""How the server process keeps its memory: the garbage collector, and freed heap pages.

Python's collector looks at its youngest generation every 700 net allocations of container
objects. Relaying one message allocates a handful (the ASGI event, futures, a frame), so at
1,000 connections it ran hundreds of times a second: a third of the process's CPU in the
capacity benchmark (78–92 % → 50–57 % of a core at 1,000 connections, p99 77–133 → 7–8 ms
once it ran rarely). Relaying makes no reference cycles (``gc.DEBUG_SAVEALL`` over ten
seconds of 100 meetings typing, ~55,000 messages, found no cyclic garbage), so collecting
rarely leaves little garbage waiting: what dies is freed by reference counting as before.
What exists when serving starts (modules, templates, the app) lives as long as the process
and is frozen out of the collector's full passes.

Evicted rooms are freed by reference counting (tests keep it so), but the connections that
used them leave reference cycles (uvicorn's and SQLAlchemy's objects, caught exceptions), and
glibc keeps freed heap pages in its arenas for reuse, so RSS would stay at the high-water mark
of a busy hour. So after evictions the room manager's heartbeat calls ``memory_giver``: a full
collection, then ``malloc_trim(0)`` to return the pages, at most every
``FULL_COLLECTION_SECONDS`` (the collection pauses every meeting: 100–200 ms at 1,000–2,000
connections; after the memory benchmark's 10,000-meeting churn RSS stayed 13 % above its
warmed baseline at 30 s, 4–7 % at 10 s).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

# a young collection every 100,000 net allocations, a middle one every 20 young ones, a full
# one every 10 middle ones once a quarter of the heap is new (CPython's own rule); 10,000 and
# 50,000 were measured too and did no better
GC_THRESHOLDS = (100_000, 20, 10)
FULL_COLLECTION_SECONDS = 10.0


def tune_collector() -> tuple[int, int, int]:
    """Freeze what exists now and collect rarely (see above); returns the thresholds before."""
    before = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    return before


def heap_trimmer() -> Callable[[], None] | None:
    """``malloc_trim(0)`` of the C library, or None where there is none (not glibc)."""
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        trim = None
    if trim is None:
        log.info("no malloc_trim here: freed memory stays with the process")
        return None
    trim.argtypes = [ctypes.c_size_t]

    def give_back() -> None:
        trim(0)

    return give_back


def memory_giver(min_interval: float = FULL_COLLECTION_SECONDS) -> Callable[[], bool]:
    """The room manager's ``after_evictions``: a full collection, then the heap trimmed. False
    (nothing done) within ``min_interval`` of the last one: the manager asks again later."""
    trim = heap_trimmer()
    last = float("-inf")

    def give_back() -> bool:
        nonlocal last
        now = time.monotonic()
        if now - last < min_interval:
            return False
        last = now
        gc.collect()
        if trim is not None:
            trim()
        return True

    return give_back
