"""Give memory freed by evicted rooms back to the operating system.

A room's document, peers and buffers are freed when it is evicted, but glibc keeps freed heap
pages in its arenas for reuse, so the process's RSS stays at its high-water mark after a busy
hour. ``malloc_trim(0)`` returns those pages. It walks the heap (about a millisecond), so the
room manager calls it from its heartbeat, at most once a beat and only after evictions.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from collections.abc import Callable

log = logging.getLogger(__name__)


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
