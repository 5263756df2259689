"""The rooms of one server process.

``RoomManager`` loads each meeting's room once even when many people connect at the same
instant (loads are deduplicated through one task per meeting), keeps it while anyone holds it,
evicts it ``grace`` seconds after the last one left (never while a write is pending), and on
shutdown flushes and compacts every room.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable

from . import protocol
from .close_codes import CloseCode
from .remote import Neighbours
from .room import Peer, Room, RoomState
from .store import UpdateStore
from .writer import GroupCommitWriter

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 10.0  # stock y-websocket clients drop a socket silent for 30 s


class RoomShut(LookupError):
    """The meeting was shut for good in this process (its family is being erased)."""


class RoomManager:
    """Owns every live ``Room`` and the single ``GroupCommitWriter``."""

    def __init__(
        self,
        store: UpdateStore,
        *,
        grace: float = 30.0,
        compaction_threshold: int = 500,
        after_evictions: Callable[[], bool] | None = None,
        gate: bool = True,
        neighbours: Neighbours | None = None,
    ):
        self.store = store
        self.neighbours = neighbours  # other processes serving the same meetings, if any
        self.gate = gate  # False only for a benchmark's reference figure (settings.py)
        # e.g. give freed memory back to the OS; False: not now, ask again next beat
        self.after_evictions = after_evictions
        self._evicted = False
        self.writer = GroupCommitWriter(store)
        self.grace = grace
        self.compaction_threshold = compaction_threshold
        self.rooms: dict[str, Room] = {}
        self._loading: dict[str, asyncio.Task[Room]] = {}
        self._evictions: dict[str, asyncio.Task[None]] = {}
        self._heartbeat: asyncio.Task[None] | None = None
        self._stopping = False
        self._shut: set[str] = set()  # meetings that may not be loaded again (erased)

    async def start(self) -> None:
        self.writer.start()
        self._heartbeat = asyncio.create_task(self._beat(), name="heartbeat")

    async def stop(self) -> None:
        """Flush and compact every room, then stop the writer."""
        self._stopping = True
        tasks = [*self._evictions.values(), *([self._heartbeat] if self._heartbeat else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for room in list(self.rooms.values()):
            await self._evict(room)
        await self.writer.stop()

    def holds(self, meeting_id: str) -> bool:
        """Whether the meeting's room is loaded, or loading."""
        return meeting_id in self.rooms or meeting_id in self._loading

    async def _room(self, meeting_id: str) -> Room:
        """The loaded room of a meeting, held for the caller (call ``_release`` after)."""
        while True:
            if meeting_id in self._shut:
                raise RoomShut(meeting_id)
            room = self.rooms.get(meeting_id)
            if room is not None and room.state in (RoomState.READY, RoomState.REBUILDING):
                break
            eviction = self._evictions.get(meeting_id)
            if room is not None and eviction is not None:
                await asyncio.shield(eviction)  # let it finish; then load afresh
                continue
            task = self._loading.get(meeting_id)
            if task is None:
                task = asyncio.create_task(self._load(meeting_id), name=f"load-{meeting_id}")
                self._loading[meeting_id] = task
            room = await asyncio.shield(task)
            break
        room.holders += 1
        pending = self._evictions.pop(meeting_id, None)
        if pending is not None and not pending.done():
            pending.cancel()
        return room

    async def _load(self, meeting_id: str) -> Room:
        try:
            room = Room(meeting_id, self.store, self.writer, self.compaction_threshold)
            room.gated = self.gate
            room.neighbours = self.neighbours
            await room.load()
            self.rooms[meeting_id] = room
            return room
        finally:
            del self._loading[meeting_id]

    def _release(self, room: Room) -> None:
        room.holders -= 1
        if self._stopping or room.meeting_id in self._shut:
            return  # stop() or shut() evicts the room itself
        if room.holders == 0 and room.meeting_id not in self._evictions:
            self._evictions[room.meeting_id] = asyncio.create_task(
                self._evict_later(room), name=f"evict-{room.meeting_id}"
            )

    async def _evict_later(self, room: Room) -> None:
        await asyncio.sleep(self.grace)  # the grace period itself, not a wait for an event
        if room.holders == 0:
            await self._evict(room)
        self._evictions.pop(room.meeting_id, None)

    async def _evict(self, room: Room, code: int = CloseCode.GOING_AWAY) -> None:
        await room.evict(code)
        if self.rooms.get(room.meeting_id) is room:
            del self.rooms[room.meeting_id]
        self._evicted = True
        log.info("meeting %s: room unloaded", room.meeting_id)

    async def shut(self, meeting_id: str, close: Callable[[Room], int]) -> None:
        """Take a meeting out of service for good, before its data is erased.

        ``close`` is a server-side edit (status erased): every client stops showing the plan,
        and a frame still in flight cannot write. Then everyone is disconnected (``ERASED``),
        the writer flushed, and the meeting never loads again in this process — a late write
        for rows that are about to be deleted would otherwise jam the single writer."""
        while (task := self._loading.get(meeting_id)) is not None:
            await asyncio.shield(task)
        self._shut.add(meeting_id)
        eviction = self._evictions.pop(meeting_id, None)
        room = self.rooms.get(meeting_id)
        if eviction is not None:
            if room is not None and room.state is RoomState.EVICTING:
                await asyncio.gather(asyncio.shield(eviction), return_exceptions=True)
            else:
                eviction.cancel()  # still in its grace period: we evict now instead
        if room is not None and room.state in (RoomState.READY, RoomState.REBUILDING):
            room.read_only = True  # from now on, not even a frame in flight writes
            await room.wait_ready()  # a server edit lands on the rebuilt doc, not the old one
            if room.state is RoomState.READY:
                await room.wait_committed(close(room))
            await self._evict(room, CloseCode.ERASED)
        await self.writer.flush()

    @contextlib.asynccontextmanager
    async def hold(self, meeting_id: str) -> AsyncIterator[Room]:
        """Use a meeting's room for a moment (closing, reading) without a connection.

        Not while its doc is rebuilt: until then it may hold an update the gate refused."""
        room = await self._room(meeting_id)
        try:
            await self._caught_up(room)
            yield room
        finally:
            self._release(room)

    @contextlib.asynccontextmanager
    async def connect(self, meeting_id: str, peer: Peer) -> AsyncIterator[Room]:
        """Join ``peer`` to its meeting's room for the lifetime of its connection (greeted
        once the doc is ready: not from one that still holds a refused update)."""
        room = await self._room(meeting_id)
        try:
            await self._caught_up(room)
            room.add(peer)
            yield room
        finally:
            room.remove(peer)
            await peer.close(CloseCode.NORMAL, "")
            self._release(room)

    async def _caught_up(self, room: Room) -> None:
        """Ready, and holding what other processes committed (a closing reads it all; a
        joiner from a process that died must not hold state this room lacks)."""
        await room.wait_ready()
        if self.neighbours is not None:
            await self.neighbours.catch_up(room)
            await room.wait_ready()

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS / 2)  # periodic by nature
            if self._evicted and self.after_evictions is not None:
                self._evicted = not self.after_evictions()
            now = time.monotonic()
            quiet_since = now - HEARTBEAT_SECONDS
            for room in list(self.rooms.values()):
                room.forget_tombstones(now)
                for peer in list(room.peers):
                    if peer.last_sent < quiet_since:
                        peer.enqueue(protocol.EMPTY_AWARENESS)
