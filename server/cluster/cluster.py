"""This process among the others serving the same meetings: the rooms' ``Neighbours``.

Wires the three parts: the ``Lease`` (fencing, and who is alive), the ``Bus`` (Redis, the
doorbell) and the ``Follower`` (applying what others committed, in commit order, repaired
from the log). Built by the app's lifespan only when ``RONDETAFEL_REDIS_URL`` is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from ..connections import Connections
from ..crdt.manager import RoomManager
from ..crdt.remote import apply_remote_presence
from ..crdt.room import Room, RoomState
from ..settings import Settings
from ..storage.shared_log import Numbered, SharedUpdateStore
from .bus import Bus, Kind, Message
from .follower import Follower
from .lease import Lease

log = logging.getLogger(__name__)
REPAIR_SECONDS = 1.0  # the timer that compares each meeting with the log's head
FENCED_EXIT = 75  # EX_TEMPFAIL: a supervisor starts the process afresh


class Cluster:
    """Implements ``crdt.remote.Neighbours``; ``attach`` the room manager before ``start``."""

    def __init__(
        self,
        settings: Settings,
        engine: AsyncEngine,
        connections: Connections,
        exit_process: Callable[[int], None] = os._exit,
    ):
        self.lease = Lease(engine, settings.process_lease_seconds, self._fenced)
        self.process = self.lease.process
        self.store = SharedUpdateStore(
            engine, self.process, self._fenced, self._appended, self._loaded
        )
        self.connections = connections
        self.exit_process = exit_process
        self.follower = Follower(self.store, self._room_of, self._holds)
        self.bus = Bus(settings.redis_url, self.process, self._handle, self._reconnected)
        self.bus.drop_rate = settings.bus_drop_rate
        self.rooms: RoomManager | None = None
        self._tasks: list[asyncio.Task[None]] = []
        connections.announce = self._announce

    def attach(self, rooms: RoomManager) -> None:
        self.rooms = rooms

    async def start(self) -> None:
        await self.lease.register()
        await self.bus.start()
        self._tasks = [
            asyncio.create_task(self.lease.keep(self._reaped), name="lease"),
            asyncio.create_task(self._repair(), name="log-repair"),
        ]

    async def stop(self) -> None:
        """After the rooms stopped: say goodbye, so our connections leave at once."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self.bus.publish(Kind.GONE, "", self.process.encode())
        await self.bus.stop()
        with contextlib.suppress(Exception):  # the lease runs out by itself otherwise
            await self.lease.release()

    # -- Neighbours (called by the rooms) --------------------------------------------------

    async def catch_up(self, room: Room) -> None:
        await self.follower.catch_up(room)

    def presence_changed(self, meeting_id: str, frame: bytes) -> None:
        self.bus.publish(Kind.PRESENCE, meeting_id, frame)

    # -- the store's callbacks -------------------------------------------------------------

    def _appended(self, numbered: list[Numbered]) -> None:
        for meeting_id, seq, update in numbered:
            self.bus.publish(Kind.UPDATE, meeting_id, update, seq)
        self.follower.appended(numbered)

    def _loaded(self, meeting_id: str, head: int) -> None:
        self.follower.loaded(meeting_id, head)
        self.bus.publish(Kind.ASK_PRESENCE, meeting_id)

    # -- what the others say ---------------------------------------------------------------

    def _handle(self, message: Message) -> None:
        kind, meeting_id = message.kind, message.meeting_id
        if kind is Kind.UPDATE:
            self.follower.heard(meeting_id, message.seq, message.payload)
        elif kind is Kind.PRESENCE:
            room = self._room_of(meeting_id)
            if room is not None and room.state is RoomState.READY:
                apply_remote_presence(room, message.process, message.payload)
        elif kind is Kind.ASK_PRESENCE:
            room = self._room_of(meeting_id)
            frame = room.local_presence() if room is not None else None
            if frame is not None:
                self.bus.publish(Kind.PRESENCE, meeting_id, frame)
        elif kind is Kind.GONE:
            self._forget_process(message.payload.decode())
        elif kind is Kind.REVOKE:
            ids = message.payload.decode().split(",")
            asyncio.get_running_loop().create_task(self.connections.revoke_here(ids))
        elif kind is Kind.REMOVE:
            person = message.payload.decode()
            task = self.connections.remove_person_here(meeting_id, person)
            asyncio.get_running_loop().create_task(task)

    def _announce(self, kind: str, meeting_id: str, payload: str) -> None:
        """A removal made here (``Connections``): every process closes those sockets."""
        self.bus.publish(Kind(kind), meeting_id, payload.encode())

    def _reconnected(self) -> None:
        for room in self._rooms():
            asyncio.get_running_loop().create_task(self.follower.catch_up(room))

    def _reaped(self, gone: set[str]) -> None:
        for process in gone:
            self.bus.publish(Kind.GONE, "", process.encode())
            self._forget_process(process)

    def _forget_process(self, process: str) -> None:
        for room in self._rooms():
            room.forget_process(process)

    async def _repair(self) -> None:
        while True:
            await asyncio.sleep(REPAIR_SECONDS)  # periodic by nature: the repair of last resort
            try:
                await self.follower.check_heads()
            except Exception:
                log.exception("comparing the rooms with the log failed")
            for room in self._rooms():  # connections of processes whose lease is gone
                for process in room.processes() - self.lease.live:
                    room.forget_process(process)

    def _fenced(self, why: str) -> None:
        log.critical("process %s fenced: %s; stopping now", self.process, why)
        self.exit_process(FENCED_EXIT)

    # -- the rooms -------------------------------------------------------------------------

    def _rooms(self) -> list[Room]:
        return list(self.rooms.rooms.values()) if self.rooms is not None else []

    def _room_of(self, meeting_id: str) -> Room | None:
        return self.rooms.rooms.get(meeting_id) if self.rooms is not None else None

    def _holds(self, meeting_id: str) -> bool:
        return self.rooms is not None and self.rooms.holds(meeting_id)
