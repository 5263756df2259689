"""One live meeting document and the people connected to it.

State machine:  loading → ready ⇄ rebuilding → evicting → closed
(``rebuilding`` after pycrdt panicked, or after the gate refused an update that was already
applied: the doc is rebuilt from the store, i.e. from what is committed plus what was pending.)

Every update a client sends passes the gate (``gate.py``): the strict decoder first, then the
schema's shape and the sender's rights; a refused one is never stored or relayed, and the
sender's socket closes with ``UPDATE_REFUSED``. Connections are ``peer.Peer``s; presence is
``presence.Presence``.

What leaves the room is ordered per peer through its send queue. Each queued frame carries a
*barrier*: the room sequence number that must be durable before the frame is sent. Relayed
updates are queued only after their commit (barrier 0); a sync step 2 or a "saved" message is
queued at once with the sequence it depends on. So a joiner never sees unsaved state, and an
update another participant saw is on disk.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Callable
from typing import Any

from pycrdt import Doc, Map, merge_updates

from . import part_trace, protocol, rights
from .close_codes import CloseCode
from .gate import Gate, Sender, Stamp, UpdateRefused, UpdateWaits, check_format
from .peer import Identity, Peer, Transport
from .presence import MAX_CLIENT_IDS, TOMBSTONE_SECONDS, Presence, _Presence
from .protocol import (
    AwarenessMessage,
    Message,
    ProtocolError,
    QueryAwareness,
    SyncMessage,
    SyncType,
    UnknownMessage,
)
from .remote import Neighbours
from .store import UpdateStore, salvage, squash
from .writer import GroupCommitWriter, PendingUpdate

__all__ = [
    "MAX_CLIENT_IDS",
    "TOMBSTONE_SECONDS",
    "Identity",
    "Peer",
    "Room",
    "RoomState",
    "Transport",
]

log = logging.getLogger(__name__)

EMPTY_UPDATE = b"\x00\x00"
_PROCESS_EXITS = (KeyboardInterrupt, SystemExit, asyncio.CancelledError, GeneratorExit)


class RoomState(enum.Enum):
    LOADING = "loading"
    READY = "ready"
    REBUILDING = "rebuilding"
    EVICTING = "evicting"
    CLOSED = "closed"


class Room(Presence):
    """The live document of one meeting: sync, awareness and the write path."""

    def __init__(
        self,
        meeting_id: str,
        store: UpdateStore,
        writer: GroupCommitWriter,
        compaction_threshold: int = 500,
        quota: int = rights.DOCUMENT_BYTES,
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
        self.gate = Gate(self.doc)
        self.gated = True  # False: updates skip the gate (a benchmark's reference only)
        self.quota = quota  # bytes the stored document may take
        self.document_bytes = 0  # what it takes: what was loaded, plus every update since
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
        self.neighbours: Neighbours | None = None  # other processes serving this meeting

    # -- lifecycle -------------------------------------------------------------------------

    async def load(self) -> None:
        """Build the doc from the store. Large logs are replayed in a worker thread."""
        updates = await self.store.load(self.meeting_id)
        merged = updates[0] if len(updates) == 1 else await self._replay(updates)
        doc: Doc = Doc()
        doc.apply_update(merged)
        self._install(doc)
        self.document_bytes = sum(len(update) for update in updates)
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
        self.gate.close()
        self.doc = doc
        self._subscription = doc.observe(self._collect)
        self.gate = Gate(doc)

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
        self._greet(peer)

    def remove(self, peer: Peer) -> None:
        """Forget a connection and tell the others its presence is gone."""
        self.peers.discard(peer)
        self.synced.discard(peer)
        self._leave(peer)

    def _ready_for_echoes(self) -> bool:
        return self.state is RoomState.READY

    async def receive(self, peer: Peer, frame: bytes) -> None:
        """Handle one frame from ``peer``. A bad frame closes only that peer."""
        if self.state is not RoomState.READY:
            await self.wait_ready()
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
        except UpdateWaits:  # held for its sender (``held.py``): the doc is rebuilt without it
            self._applied.clear()
            await self.rebuild(refused=True)
        except UpdateRefused as exc:  # applied, and now taken back: rebuild without it
            self._begin_rebuild()
            # at once: a sender that stops reading would hold its close frame for seconds
            await asyncio.gather(
                self._refuse(peer, CloseCode.UPDATE_REFUSED, exc), self.rebuild(refused=True)
            )
        except (ProtocolError, ValueError, RuntimeError, AssertionError, TypeError) as exc:
            await self._refuse(peer, CloseCode.INVALID, exc)
        except _PROCESS_EXITS:
            raise
        except BaseException as exc:  # pyo3 PanicException: the doc may now be poisoned
            self._begin_rebuild()
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
        peer.refusal = (code, type(exc).__name__)
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
            peer.held.apply(message.payload, lambda update: self._apply(update, peer))
        elif message.payload != EMPTY_UPDATE:  # a refused write is never acknowledged
            peer.ignored_writes += 1
            log.info(
                "meeting %s: ignored write from read-only %s connection",
                self.meeting_id,
                peer.identity.role,
            )
            return
        if peer.identity.wants_saved:
            peer.enqueue(protocol.encode_saved(peer.received), barrier=self.seq)

    def _apply(self, update: bytes, origin: Peer) -> None:
        """Apply a client's update through the gate; raises ``UpdateRefused`` (the doc then
        holds the refused change: the caller rebuilds it)."""
        self._applied.clear()
        if not self.gated:
            self.doc.apply_update(update)
            self._enqueue_applied(origin)
            return
        check_format(update)  # before pycrdt sees a byte of it
        me = origin.identity
        stamps = self.gate.check(Sender(me.person_id, me.role), update, self._applied)
        if not self._applied:
            return
        size = sum(len(effective) for effective in self._applied)
        if self.document_bytes + size > self.quota and not self._within_quota(size):
            raise UpdateRefused(f"the document would pass its quota of {self.quota} bytes")
        stamped = self._stamp_authorship(stamps) if stamps else None
        self._enqueue_applied(origin)
        if stamped is not None:  # the sender learns the server's stamp once it is durable
            origin.enqueue(protocol.sync_update(stamped), barrier=self.seq)
        if self.gate.marks:  # who changed a part: the server's edit, after the client's bytes
            self.change(lambda doc: part_trace.mark(doc, self.gate.marks))

    def _within_quota(self, size: int) -> bool:
        """The counter (bytes stored since the last compaction) passed the quota: take the
        document's own size, new update included, and fold the log now. Only a document that
        is itself too big refuses an update; the counter is an upper bound of it."""
        exact = len(self.doc.get_update())
        if exact > self.quota:
            return False
        self.document_bytes = max(0, exact - size)  # ``_enqueue_applied`` adds ``size``
        self.since_compaction = max(self.since_compaction, self.compaction_threshold)
        self._compact_when_due()
        return True

    def _stamp_authorship(self, stamps: list[Stamp]) -> bytes:
        """Write the sender's authorship over what it claimed, and fold the client's update and
        the stamp into one: the other peers never see the claim without the stamp."""
        claimed = len(self._applied)
        with self.doc.transaction(origin="server"):
            for stamp in stamps:
                item: Map[Any] = Map(_integrated=stamp.item, _doc=self.doc)
                for key, value in stamp.values.items():
                    item[key] = value
        stamp_updates = self._applied[claimed:]
        self._applied[:] = [merge_updates(*self._applied)]
        return stamp_updates[0] if len(stamp_updates) == 1 else merge_updates(*stamp_updates)

    def _enqueue_applied(self, origin: Peer | None) -> None:
        author = None if origin is None else origin.identity.author
        for effective in self._applied:
            self.document_bytes += len(effective)
            self.seq += 1
            self.writer.enqueue(PendingUpdate(self, self.seq, effective, origin, author))
        self._applied.clear()

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
        """Wait while the doc is loaded or rebuilt: nothing may read or write the old one.
        Checked again on waking: another refusal may have begun a rebuild meanwhile (a
        joiner synced then would get the refused update, and build on it)."""
        while self.state in (RoomState.LOADING, RoomState.REBUILDING):
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
            # the quota counts what is stored: now about one snapshot (deleted text folds away)
            self.document_bytes = len(self.doc.get_update())
            log.info("meeting %s: compacted %d updates", self.meeting_id, folded)
        finally:
            self._compaction = None

    def _begin_rebuild(self) -> None:
        """From now on no frame touches the doc until it is rebuilt (called before the first
        await after a bad update, so no other peer's frame lands on the tainted doc)."""
        self.state = RoomState.REBUILDING
        self._ready.clear()

    async def rebuild(self, refused: bool = False) -> None:
        """Replace a possibly poisoned doc (or one holding a refused update) with one built
        from the store: what is committed, once what was pending is committed too."""
        self._begin_rebuild()
        if refused:  # the refusal itself was logged, once
            log.debug("meeting %s: rebuilding the document from the store", self.meeting_id)
        else:
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

    async def evict(self, code: int = CloseCode.GOING_AWAY) -> None:
        """Flush, compact and close every connection (with ``code``: going away, or erased);
        the room is not used afterwards."""
        self.state = RoomState.EVICTING
        reason = "gewist" if code == CloseCode.ERASED else "server gaat uit"
        for peer in list(self.peers):
            await peer.close(code, reason)
        if self._compaction is not None:
            await self._compaction
        await self.wait_committed(self.seq)
        if self.since_compaction:
            await self.store.compact(self.meeting_id)
        self.doc.unobserve(self._subscription)
        self.gate.close()
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
