"""In-memory stand-ins for the pure tier: an UpdateStore and a Transport."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from server.crdt.store import LogEntry, squash


class MemoryStore:
    """An ``UpdateStore`` in a dict. ``gate`` (when cleared) holds every append: a slow disk."""

    def __init__(self) -> None:
        self.logs: dict[str, list[bytes]] = {}
        self.snapshots: dict[str, bytes] = {}
        self.gate = asyncio.Event()
        self.gate.set()
        self.appends = 0
        self.loads = 0
        self.entries: list[LogEntry] = []  # every append, with its author
        self.fail = False

    async def load(self, meeting_id: str) -> list[bytes]:
        self.loads += 1
        await asyncio.sleep(0)  # a real store yields; lets concurrent loads overlap
        snapshot = self.snapshots.get(meeting_id)
        return ([snapshot] if snapshot else []) + list(self.logs.get(meeting_id, []))

    async def append(self, batch: Sequence[LogEntry]) -> None:
        await self.gate.wait()
        if self.fail:
            raise OSError("disk full (injected)")
        self.entries.extend(batch)
        for meeting_id, data, *_ in batch:
            self.logs.setdefault(meeting_id, []).append(data)
        self.appends += 1

    async def compact(self, meeting_id: str) -> int:
        updates = await self.load(meeting_id)
        rows = len(self.logs.get(meeting_id, []))
        self.snapshots[meeting_id] = squash(updates)
        self.logs[meeting_id] = []
        return rows


class Channel:
    """A ``Transport`` that records what the room sends, with waiting on events. Like a
    websocket it takes frames at once (``write_now``) while ``writable``; when it is not
    (a full socket buffer) ``write_now`` refuses and ``send`` waits."""

    def __init__(self) -> None:
        self.writable = asyncio.Event()
        self.writable.set()
        self.sent: list[bytes] = []
        self.waited_sends = 0  # frames that took the slow way (``send``), not ``write_now``
        self.closed: tuple[int, str] | None = None
        self._changed = asyncio.Event()

    def _record(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def write_now(self, data: bytes) -> bool:
        if not self.writable.is_set():
            return False
        self.sent.append(data)
        self._record()
        return True

    async def send(self, data: bytes) -> None:
        self.waited_sends += 1
        await self.writable.wait()
        self.sent.append(data)
        self._record()

    async def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)
        self._record()

    async def wait(self, predicate: object, timeout: float = 5.0) -> None:
        async def until() -> None:
            while not predicate():  # type: ignore[operator]
                await self._changed.wait()

        await asyncio.wait_for(until(), timeout)
