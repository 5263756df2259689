"""The single writer per database: group commit of effective updates.

Rooms hand their effective updates to ``enqueue``; one task appends everything that is waiting
in one transaction, then tells each room what is durable (``Room.on_committed``), in order.
Batching needs no timer: whatever arrives while one commit is in flight forms the next batch,
so a quiet server commits each keystroke at once and a busy one amortises the commit cost.
A failed commit is retried with the same batch; nothing is acknowledged or relayed until it
succeeds, and rooms are told so the people at the table see that their work is not saved.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from .store import LogEntry, UpdateStore

log = logging.getLogger(__name__)


class CommitListener(Protocol):
    """What the writer tells a room (a protocol, so the writer needs no import of the room)."""

    meeting_id: str

    def on_committed(self, seq: int, update: bytes, origin: Any) -> None: ...

    def on_store_failing(self, failing: bool) -> None: ...


@dataclass(slots=True)
class PendingUpdate:
    room: CommitListener
    seq: int
    update: bytes
    origin: Any  # the peer that sent it (the room's own type), or None for the server
    author: tuple[str | None, str] | None = None  # (audit id, role) of the sender; None: server


class GroupCommitWriter:
    """Owns the write path to the ``UpdateStore``; start with ``start()``, end with ``stop()``."""

    def __init__(self, store: UpdateStore, retry_delay: float = 0.2, max_batch: int = 2000):
        self.store = store
        self.retry_delay = retry_delay
        self.max_batch = max_batch
        self.batches = 0  # commits made, for tests and benchmarks
        self._queue: list[PendingUpdate] = []
        self._wakeup = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._task: asyncio.Task[None] | None = None
        self._failing = False

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="group-commit-writer")

    def enqueue(self, item: PendingUpdate) -> None:
        self._queue.append(item)
        self._idle.clear()
        self._wakeup.set()

    async def flush(self) -> None:
        """Wait until everything enqueued so far is durable."""
        await self._idle.wait()

    async def stop(self) -> None:
        """Flush, then end the writer task."""
        await self.flush()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            while self._queue:
                await self._commit_next()
            self._idle.set()

    async def _commit_next(self) -> None:
        # a method of its own so that the batch ends with it: held in _run's frame while the
        # writer waits, the last batch would keep its room alive after the room was evicted
        batch = self._queue[: self.max_batch]
        if not await self._commit(batch):
            await asyncio.sleep(self.retry_delay)  # back-off before retrying the disk
            return
        del self._queue[: len(batch)]
        for item in batch:
            item.room.on_committed(item.seq, item.update, item.origin)

    async def _commit(self, batch: list[PendingUpdate]) -> bool:
        try:
            await self.store.append([_entry(item) for item in batch])
        except Exception:
            log.exception("commit of %d updates failed; will retry", len(batch))
            if not self._failing:
                self._failing = True
                for room in {item.room for item in batch}:
                    room.on_store_failing(True)
            return False
        self.batches += 1
        if self._failing:
            self._failing = False
            for room in {item.room for item in batch}:
                room.on_store_failing(False)
        return True


def _entry(item: PendingUpdate) -> LogEntry:
    if item.author is None:
        return LogEntry(item.room.meeting_id, item.update)
    return LogEntry(item.room.meeting_id, item.update, *item.author)
