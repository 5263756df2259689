"""One live meeting document and the people connected to it.

State machine:  loading → ready ⇄ rebuilding → evicting → closed
(``rebuilding`` after pycrdt panicked: the doc may be poisoned, so it is rebuilt from the store.)

What leaves the room is ordered per peer through its send queue. Each queued frame carries a
*barrier*: the room sequence number that must be durable before the frame is sent. Relayed
updates are queued only after their commit (barrier 0); a sync step 2 or a "saved" message is
queued at once with the sequence it depends on. So a joiner never sees unsaved state, and an
update another participant saw is on disk.
"""

from __future__ import annotations

import asyncio
import enum
import hashlib
import json
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from pycrdt import Doc

from . import protocol
from .close_codes import CloseCode
from .protocol import (
    AwarenessEntry,
    AwarenessMessage,
    Message,
    ProtocolError,
    QueryAwareness,
    SyncMessage,
    SyncType,
    UnknownMessage,
)
from .store import UpdateStore, salvage, squash
from .writer import GroupCommitWriter, PendingUpdate

log = logging.getLogger(__name__)

EMPTY_UPDATE = b"\x00\x00"
CLOSE_TIMEOUT = 2.0  # seconds to hand over a close frame
COLOURS = ("#1f6fb2", "#b3401a", "#2f7d32", "#7a3fa0", "#8a6100", "#0f766e", "#b0265a", "#4b5563")
_PROCESS_EXITS = (KeyboardInterrupt, SystemExit, asyncio.CancelledError, GeneratorExit)
_AWARENESS = bytes([protocol.MessageType.AWARENESS])


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
        self.edits = 0  # effective updates of this peer now durable (counted for the audit)
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


class RoomState(enum.Enum):
    LOADING = "loading"
    READY = "ready"
    REBUILDING = "rebuilding"
    EVICTING = "evicting"
    CLOSED = "closed"


MAX_CLIENT_IDS = 4  # awareness ids one connection may own (a stock client uses one)
TOMBSTONE_SECONDS = 300.0  # how long a left client's tombstone is kept (clients time out at 30 s)


@dataclass(slots=True)
class _Presence:
    clock: int
    state: str
    owner: Peer | None = field(default=None)
    since: float = field(default_factory=time.monotonic)


class Room:
    """The live document of one meeting: sync, awareness and the write path."""

    def __init__(
        self,
        meeting_id: str,
        store: UpdateStore,
        writer: GroupCommitWriter,
        compaction_threshold: int = 500,
    ):
        self.meeting_id = meeting_id
        self.store = store
        self.writer = writer
        self.compaction_threshold = compaction_threshold
        self.state = RoomState.LOADING
        # Set by the server (closing, erasure), never read from the document: a writer could
        # put ``meta.status = closed`` there, and the meeting's row is what says closed.
        self.read_only = False
        self.closing = asyncio.Lock()  # held while the server closes the meeting
        self.doc: Doc = Doc()
        self._subscription = self.doc.observe(self._collect)
        self.peers: set[Peer] = set()  # connected
        self.synced: set[Peer] = set()  # answered sync step 1: receives relayed updates
        self.holders = 0  # peers plus short-lived users (closing): evicted only at zero
        self.seq = 0  # effective updates applied
        self.committed = 0  # effective updates durable
        self.since_compaction = 0
        self.store_failing = False
        self._presence: dict[int, _Presence] = {}
        self._applied: list[bytes] = []
        self._commit_event = asyncio.Event()
        self._ready = asyncio.Event()
        self._compaction: asyncio.Task[None] | None = None

    # -- lifecycle -------------------------------------------------------------------------

    async def load(self) -> None:
        """Build the doc from the store. Large logs are replayed in a worker thread."""
        updates = await self.store.load(self.meeting_id)
        merged = updates[0] if len(updates) == 1 else await self._replay(updates)
        doc: Doc = Doc()
        doc.apply_update(merged)
        self._install(doc)
        self.state = RoomState.READY
        self._ready.set()
        # a long log (left by a crash) is folded at once, so the next load is a snapshot
        self.since_compaction = len(updates) - 1
        self._compact_when_due()

    async def _replay(self, updates: list[bytes]) -> bytes:
        try:
            return await asyncio.to_thread(squash, updates)
        except _PROCESS_EXITS:
            raise
        except BaseException:  # a stored row pycrdt cannot replay: keep every row it can
            log.exception("meeting %s: replay failed; salvaging row by row", self.meeting_id)
            return await asyncio.to_thread(salvage, updates)

    def _install(self, doc: Doc) -> None:
        # pycrdt keeps observers in Rust, out of reach of Python's GC: unobserve on the way out
        self.doc.unobserve(self._subscription)
        self.doc = doc
        self._subscription = doc.observe(self._collect)

    def _collect(self, event: object) -> None:
        update: bytes = event.update  # type: ignore[attr-defined]
        if update != EMPTY_UPDATE:
            self._applied.append(update)

    @property
    def pending(self) -> bool:
        return self.seq > self.committed or self._compaction is not None

    # -- connections -----------------------------------------------------------------------

    def add(self, peer: Peer) -> None:
        """Greet a new connection: our state vector, and who is already here."""
        self.peers.add(peer)
        peer.start(self)
        peer.enqueue(protocol.sync_step1(self.doc))
        present = [
            AwarenessEntry(cid, p.clock, p.state)
            for cid, p in self._presence.items()
            if p.state != "null"
        ]
        if present:
            peer.enqueue(protocol.encode_awareness(present))

    def remove(self, peer: Peer) -> None:
        """Forget a connection and tell the others its presence is gone."""
        self.peers.discard(peer)
        self.synced.discard(peer)
        gone = []
        for client_id in peer.client_ids:
            presence = self._presence.get(client_id)
            if presence is not None and presence.owner is peer:
                presence.clock += 1
                presence.state, presence.owner, presence.since = "null", None, time.monotonic()
                gone.append(AwarenessEntry(client_id, presence.clock, "null"))
        if gone:
            self._send_all(protocol.encode_awareness(gone))

    async def receive(self, peer: Peer, frame: bytes) -> None:
        """Handle one frame from ``peer``. A bad frame closes only that peer."""
        if self.state is not RoomState.READY:
            await self._ready.wait()
            if self.state is RoomState.CLOSED:
                await peer.close(CloseCode.BROKEN, "probeer opnieuw")
                return
        if self.stale_echo(frame):  # (where the socket can, it dropped these unread)
            return
        try:
            message = protocol.decode(frame)
            _HANDLERS[type(message)](self, peer, message)
        except UnknownMessage as exc:
            await self._refuse(peer, CloseCode.UNSUPPORTED, exc)
        except (ProtocolError, ValueError, RuntimeError, AssertionError, TypeError) as exc:
            await self._refuse(peer, CloseCode.INVALID, exc)
        except _PROCESS_EXITS:
            raise
        except BaseException as exc:  # pyo3 PanicException: the doc may now be poisoned
            await self._refuse(peer, CloseCode.INVALID, exc)
            await self.rebuild()

    async def _refuse(self, peer: Peer, code: int, exc: BaseException) -> None:
        log.warning(
            "meeting %s: closing %s connection (%d): %s: %s",
            self.meeting_id,
            peer.identity.role,
            code,
            type(exc).__name__,
            str(exc)[:200],
        )
        self._applied.clear()
        await peer.close(code, "ongeldig bericht")

    # -- message handlers ------------------------------------------------------------------

    def _on_sync(self, peer: Peer, message: SyncMessage) -> None:
        if message.sync_type is SyncType.STEP1:
            update = self.doc.get_update(message.payload)
            peer.enqueue(protocol.sync_step2(update), barrier=self.seq)
            self.synced.add(peer)
            return
        peer.received += 1
        if peer.identity.can_write and not self.read_only:
            self._apply(message.payload, peer)
        elif message.payload != EMPTY_UPDATE:  # a refused write is never acknowledged
            log.info(
                "meeting %s: ignored write from read-only %s connection",
                self.meeting_id,
                peer.identity.role,
            )
            return
        if peer.identity.wants_saved:
            peer.enqueue(protocol.encode_saved(peer.received), barrier=self.seq)

    def _apply(self, update: bytes, origin: Peer | None) -> None:
        self._applied.clear()
        self.doc.apply_update(update)
        self._enqueue_applied(origin)

    def _enqueue_applied(self, origin: Peer | None) -> None:
        for effective in self._applied:
            self.seq += 1
            self.writer.enqueue(PendingUpdate(self, self.seq, effective, origin))
        self._applied.clear()

    def _on_awareness(self, peer: Peer, message: AwarenessMessage) -> None:
        changed = []
        for entry in message.entries:
            known = self._presence.get(entry.client_id)
            if known is not None and entry.clock <= known.clock:
                if known.owner is None and known.state == "null":
                    # a client back after a disconnect: show it our tombstone so it bumps its clock
                    peer.enqueue(
                        protocol.encode_awareness(
                            [AwarenessEntry(entry.client_id, known.clock, "null")]
                        )
                    )
                continue  # stale, or an echo another client re-sent: drop before parsing
            if known is not None and known.owner not in (None, peer):
                continue  # one connection may not speak for another's client id
            state = self._stamp(peer, entry.state)
            if entry.client_id not in peer.client_ids:
                if state == "null" and known is None:
                    continue  # nothing to remove: remembering it would only grow the registry
                if len(peer.client_ids) >= MAX_CLIENT_IDS:
                    log.info("meeting %s: too many awareness ids", self.meeting_id)
                    continue
            self._presence[entry.client_id] = _Presence(
                entry.clock, state, peer if state != "null" else None
            )
            peer.client_ids.add(entry.client_id)
            changed.append(AwarenessEntry(entry.client_id, entry.clock, state))
        if changed:
            self._send_all(protocol.encode_awareness(changed))

    def stale_echo(self, frame: bytes) -> bool:
        """Whether ``frame`` is presence this room already has (a stock client's echo of what
        it received): dropped before decoding, by the socket before it is even queued."""
        if self.state is not RoomState.READY or frame[:1] != _AWARENESS:
            return False
        head = protocol.peek_awareness(frame)
        if head is None:
            return False
        known = self._presence.get(head[0])
        # a tombstone is answered (see _on_awareness), so only live entries are skipped here
        return known is not None and head[1] <= known.clock and known.owner is not None

    def _stamp(self, peer: Peer, state: str) -> str:
        """Overwrite the identity a client claims with the one the server knows."""
        parsed = protocol.parse_state(state)
        if parsed is None:
            return "null"
        me = peer.identity
        parsed["user"] = {
            "person_id": me.person_id,
            "name": me.name,
            "role": me.role,
            "color": me.colour,
        }
        return json.dumps(parsed, separators=(",", ":"))

    def forget_tombstones(self, now: float) -> None:
        """Drop presences that left long ago, so the registry stays as small as the table."""
        old = now - TOMBSTONE_SECONDS
        for client_id in [
            cid for cid, p in self._presence.items() if p.owner is None and p.since < old
        ]:
            del self._presence[client_id]

    def _on_query_awareness(self, peer: Peer, message: Message) -> None:
        present = [AwarenessEntry(cid, p.clock, p.state) for cid, p in self._presence.items()]
        peer.enqueue(protocol.encode_awareness(present))

    def _send_all(self, frame: bytes) -> None:
        for peer in self.peers:
            peer.enqueue(frame)

    # -- the write path ----------------------------------------------------------------------

    def change(self, edit: Callable[[Doc], None]) -> int:
        """Apply a server-side edit (e.g. closing); returns the seq to wait for."""
        self._applied.clear()
        with self.doc.transaction(origin="server"):
            edit(self.doc)
        self._enqueue_applied(None)
        return self.seq

    def on_committed(self, seq: int, update: bytes, origin: Peer | None) -> None:
        """Called by the writer, in order, once ``update`` is durable: relay it."""
        self.committed = seq
        frame = protocol.sync_update(update)  # encoded once; the same bytes to every peer
        for peer in self.synced:
            if peer is not origin:
                peer.enqueue(frame)
        if origin is not None:
            origin.edits += 1  # one add per commit: the audit reads it per batch, off this path
        event, self._commit_event = self._commit_event, asyncio.Event()
        event.set()
        self.since_compaction += 1
        self._compact_when_due()

    def _compact_when_due(self) -> None:
        if self.since_compaction >= self.compaction_threshold and self._compaction is None:
            self._compaction = asyncio.get_running_loop().create_task(self.compact())

    def on_store_failing(self, failing: bool) -> None:
        self.store_failing = failing

    async def wait_ready(self) -> None:
        """Wait while the doc is being rebuilt (a server edit must not land on the old one)."""
        await self._ready.wait()

    async def wait_committed(self, seq: int) -> None:
        while self.committed < seq:
            await self._commit_event.wait()

    async def compact(self) -> None:
        """Fold the stored log into a snapshot (runs beside the live room)."""
        try:
            await self.wait_committed(self.seq)
            folded = await self.store.compact(self.meeting_id)
            self.since_compaction = 0
            log.info("meeting %s: compacted %d updates", self.meeting_id, folded)
        finally:
            self._compaction = None

    async def rebuild(self) -> None:
        """Replace a possibly poisoned doc with one built from what is durable."""
        self.state = RoomState.REBUILDING
        self._ready.clear()
        log.error("meeting %s: rebuilding the document from the store", self.meeting_id)
        try:
            await self.wait_committed(self.seq)
            await self.load()
        except Exception:
            # never leave receivers waiting for a doc that will not come: end the room; people
            # reconnect and the manager loads it afresh
            log.exception("meeting %s: rebuild failed; closing the room", self.meeting_id)
            self.state = RoomState.CLOSED
            self._ready.set()
            for peer in list(self.peers):
                await peer.close(CloseCode.BROKEN, "probeer opnieuw")

    async def evict(self) -> None:
        """Flush, compact and close every connection; the room is not used afterwards."""
        self.state = RoomState.EVICTING
        for peer in list(self.peers):
            await peer.close(CloseCode.GOING_AWAY, "server gaat uit")
        if self._compaction is not None:
            await self._compaction
        await self.wait_committed(self.seq)
        if self.since_compaction:
            await self.store.compact(self.meeting_id)
        self.doc.unobserve(self._subscription)
        self.state = RoomState.CLOSED


def _ignore(room: Room, peer: Peer, message: Message) -> None:
    pass


# per message type; module-level functions rather than a dict of bound methods in each room,
# which would be a reference cycle: an evicted room would wait for the garbage collector
_HANDLERS: dict[type, Callable[[Room, Peer, Any], None]] = {
    SyncMessage: Room._on_sync,
    AwarenessMessage: Room._on_awareness,
    QueryAwareness: Room._on_query_awareness,
    protocol.Auth: _ignore,
}
