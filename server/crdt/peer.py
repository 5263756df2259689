"""One connection as the room sees it: how to reach it (``Transport``), who it is
(``Identity``, set by the server), and its ordered, bounded send queue (``Peer``)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from .close_codes import CloseCode
from .held import Held

if TYPE_CHECKING:
    from .room import Room

log = logging.getLogger("server.crdt.room")  # the room's log, as before the split

CLOSE_TIMEOUT = 2.0  # seconds to hand over a close frame
COLOURS = ("#1f6fb2", "#b3401a", "#2f7d32", "#7a3fa0", "#8a6100", "#0f766e", "#b0265a", "#4b5563")


class Transport(Protocol):
    """How a room reaches one connection (a websocket in production, a channel in tests)."""

    def write_now(self, data: bytes) -> bool:
        """Send at once without waiting, if the connection can take it now; else False."""
        ...

    async def send(self, data: bytes) -> None: ...

    async def close(self, code: int, reason: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is behind a connection, as the server established it (never as the client claims)."""

    person_id: str
    name: str
    role: str
    can_write: bool
    wants_saved: bool = False
    audit_id: str | None = None  # who the audit log knows (a person or staff user id)

    @property
    def author(self) -> tuple[str | None, str]:
        """How the update log names this writer (see ``store.LogEntry``)."""
        return (self.audit_id, self.role)

    @property
    def colour(self) -> str:
        digest = hashlib.sha256(self.person_id.encode()).digest()
        return COLOURS[digest[0] % len(COLOURS)]


class Peer:
    """One connection in a room: its identity, its ordered send queue, its awareness ids.

    A frame that need not wait (nothing queued before it, its barrier durable) is written
    to the socket at once, without waking the sender task: that is almost every relayed
    update. The queue is bounded in bytes: a client that stops reading (the socket's flow
    control holds our sender) is closed once ``queue_bytes`` wait for it, instead of growing
    memory.
    """

    def __init__(self, transport: Transport, identity: Identity, queue_bytes: int = 4 << 20):
        self.transport = transport
        self.identity = identity
        self.received = 0  # document messages received; echoed by "saved"
        # what the server refused from this connection, for the audit log when it ends
        self.refusal: tuple[int, str] | None = None  # why it was closed: (close code, reason)
        self.ignored_writes = 0  # writes from a connection that may not write (a screen)
        self.held = Held()  # what it sent before what that builds on (``held.py``)
        self.client_ids: set[int] = set()
        self.closed = asyncio.Event()
        self.last_sent = time.monotonic()
        self.last_received = self.last_sent  # set by the transport's reader (idle timeout)
        self.queue_bytes = queue_bytes
        self.queued = 0  # bytes waiting in the queue
        self._queue: deque[tuple[int, bytes]] = deque()
        self._sending = False  # the sender holds a frame it took from the queue
        self._wakeup = asyncio.Event()
        self._sender: asyncio.Task[None] | None = None
        self._room: Room | None = None

    def start(self, room: Room) -> None:
        self._room = room
        self._sender = asyncio.create_task(self._send_loop(room), name="peer-sender")

    def enqueue(self, frame: bytes, barrier: int = 0) -> None:
        if self.closed.is_set():
            return
        if (
            not self._queue
            and not self._sending
            and (barrier == 0 or (self._room is not None and barrier <= self._room.committed))
        ):
            try:
                written = self.transport.write_now(frame)
            except Exception as exc:  # the socket failed under us; its reader ends the peer
                log.debug("write failed: %r", exc)  # (never the writer task that relays)
                return
            if written:
                self.last_sent = time.monotonic()
                return
        if self.queued + len(frame) > self.queue_bytes:
            log.warning(
                "closing %s: %d bytes wait for a client that does not read",
                self.identity.role,
                self.queued,
            )
            asyncio.get_running_loop().create_task(self.close(CloseCode.TOO_SLOW, "te traag"))
            return
        self.queued += len(frame)
        self._queue.append((barrier, frame))
        self._wakeup.set()

    async def _send_loop(self, room: Room) -> None:
        queue = self._queue
        while True:
            if not queue:
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            barrier, frame = queue.popleft()
            self.queued -= len(frame)
            self._sending = True
            if barrier > room.committed:
                await room.wait_committed(barrier)
            try:
                # straight to the socket as ``enqueue`` does, unless its buffer is full: a frame
                # that waited here (behind a stamp for the sender, say) is no slower to send
                if not self.transport.write_now(frame):
                    await self.transport.send(frame)
            except Exception as exc:  # the socket is gone; the receive side ends the peer
                log.debug("send failed: %r", exc)
                return
            self._sending = False
            self.last_sent = time.monotonic()

    async def close(self, code: int, reason: str) -> None:
        if self.closed.is_set():
            return
        self.closed.set()
        if self._sender is not None:
            self._sender.cancel()
            self._sender = None  # the task's coroutine holds this peer: no cycle left behind
        self._queue.clear()  # drop what was waiting: it is never sent now
        self.queued = 0
        try:
            # a client that does not read cannot take a close frame either: do not wait forever
            await asyncio.wait_for(self.transport.close(code, reason), CLOSE_TIMEOUT)
        except (Exception, TimeoutError) as exc:
            log.debug("close failed: %r", exc)
