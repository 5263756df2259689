"""A y-websocket load generator that speaks the protocol itself (asyncio, the websockets
library's sans-I/O protocol in ``wire.py``, and pycrdt).

Every ``LoadClient`` behaves like a stock y-websocket provider: it sends sync step 1 on
connect, answers the server's step 1, applies the server's step 2, types small edits into the
``text`` of a goal or an action of the meeting schema (real Yjs updates made by pycrdt, ~30
bytes each), moves its presence, and re-sends awareness entries it receives with a newer clock
(stock clients do that: it is the "awareness echo" of YJS-NOTES). The same messages go to every
server; only the URL and headers differ.

Edit-to-peer latency: each edit is keyed by its first struct's (client id, clock), read from the
update's header on both ends (every server relays a single-client insert under that key, even
when it re-encodes it; ours may merge its authorship stamp into it, a group of its own that the
reader walks past), so no marker text is needed. Send and receive times come from one clock
in one process. Remote updates are not applied to the clients' docs (they only need their own
view to type into), which keeps the generator's CPU for the sockets.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pycrdt import Array, Doc, Map, Text, create_awareness_message, write_var_uint

from server.crdt import protocol
from tests.bench.wire import WireSocket

TYPED = "abcdefghijklmnopqrstuvwxyz ë"
FULL = 400  # UTF-8 bytes of a field before a typist trims it (the gate allows 500 characters)


def _boundary(utf8: bytes, pos: int) -> int:
    """``pos``, or the start of the character it falls inside."""
    while 0 < pos < len(utf8) and utf8[pos] & 0xC0 == 0x80:
        pos -= 1
    return pos


def read_var_uint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def update_key(update: bytes, pos: int = 0) -> tuple[int, int] | None:
    """(client, clock) of the first struct group of a Yjs v1 update, None if it has none."""
    return next(iter(update_keys(update, pos)), None)


def update_keys(update: bytes, pos: int = 0) -> Iterable[tuple[int, int]]:
    """(client, clock) of every struct group of a v1 update, in order. The server merges the
    authorship it stamps on a part into the edit's own update, and its group may come first
    (Yjs writes higher client ids first), so the edit's key can be the second. Only what a
    stamped edit holds is walked: strings, Any values, deletions; anything else ends it."""
    clients, pos = read_var_uint(update, pos)
    for _ in range(clients):
        structs, pos = read_var_uint(update, pos)
        client, pos = read_var_uint(update, pos)
        clock, pos = read_var_uint(update, pos)
        yield client, clock
        for _ in range(structs):
            pos = _skip_struct(update, pos)
            if pos < 0:
                return


def _skip_struct(data: bytes, pos: int) -> int:
    """The position after one struct, or -1 for a kind a stamped edit does not hold."""
    info, pos = data[pos], pos + 1
    kind = info & 0x1F
    if kind in (0, 10):  # GC, Skip
        return read_var_uint(data, pos)[1]
    if info & 0x80:  # origin
        pos = _skip_id(data, pos)
    if info & 0x40:  # right origin
        pos = _skip_id(data, pos)
    if not info & 0xC0:  # no neighbour: the parent (a root's name or an item's id), its key
        named, pos = read_var_uint(data, pos)
        pos = _skip_string(data, pos) if named else _skip_id(data, pos)
        if info & 0x20:
            pos = _skip_string(data, pos)
    if kind == 1:  # deleted
        return read_var_uint(data, pos)[1]
    if kind == 4:  # string
        return _skip_string(data, pos)
    if kind == 8:  # Any values
        count, pos = read_var_uint(data, pos)
        for _ in range(count):
            pos = _skip_any(data, pos)
            if pos < 0:
                return -1
        return pos
    return -1


def _skip_id(data: bytes, pos: int) -> int:
    """Past an item id: its client and its clock."""
    return read_var_uint(data, read_var_uint(data, pos)[1])[1]


def _skip_string(data: bytes, pos: int) -> int:
    length, pos = read_var_uint(data, pos)
    return pos + length


def _skip_any(data: bytes, pos: int) -> int:
    tag, pos = data[pos], pos + 1
    if tag in (127, 126, 121, 120):  # undefined, null, false, true
        return pos
    if tag in (119, 116):  # string, bytes
        return _skip_string(data, pos)
    if tag == 125:  # varint
        while data[pos] & 0x80:
            pos += 1
        return pos + 1
    return {124: pos + 4, 123: pos + 8, 122: pos + 8}.get(tag, -1)  # numbers; no nesting


def state_vector(data: bytes) -> dict[int, int]:
    """A Yjs state vector (varUint count, then client → clock pairs) as a dict."""
    count, pos = read_var_uint(data, 0)
    clocks = {}
    for _ in range(count):
        client, pos = read_var_uint(data, pos)
        clocks[client], pos = read_var_uint(data, pos)
    return clocks


def covers(state: dict[int, int], target: dict[int, int]) -> bool:
    return all(state.get(client, 0) >= clock for client, clock in target.items())


def awareness_entries(frame: bytes) -> Iterable[tuple[int, int, bytes]]:
    """(client, clock, raw state) of an AWARENESS frame (type byte included)."""
    _, pos = read_var_uint(frame, 1)  # payload length
    count, pos = read_var_uint(frame, pos)
    for _ in range(count):
        client, pos = read_var_uint(frame, pos)
        clock, pos = read_var_uint(frame, pos)
        length, pos = read_var_uint(frame, pos)
        yield client, clock, frame[pos : pos + length]
        pos += length


def encode_awareness(entries: list[tuple[int, int, bytes]]) -> bytes:
    parts = [write_var_uint(len(entries))]
    for client, clock, state in entries:
        parts += [
            write_var_uint(client),
            write_var_uint(clock),
            write_var_uint(len(state)),
            state,
        ]
    return create_awareness_message(b"".join(parts))


@dataclass
class Stats:
    """Counters shared by every client of one run (one event loop, so no locks)."""

    recording: bool = False
    sent_edits: int = 0
    sent_presence: int = 0
    sent_frames: int = 0
    recv_frames: int = 0
    recv_updates: int = 0
    recv_awareness: int = 0
    echoes: int = 0
    expected: int = 0  # deliveries of recorded edits the server owes (edits × other peers)
    latencies: list[float] = field(default_factory=list)  # seconds, recorded edits only
    pending: dict[tuple[int, int], float] = field(default_factory=dict)
    sync_times: list[float] = field(default_factory=list)  # connect → synced, seconds
    closes: Counter[str] = field(default_factory=Counter)
    send_errors: int = 0

    def snapshot(self) -> dict[str, int]:
        return {
            "sent_edits": self.sent_edits,
            "sent_presence": self.sent_presence,
            "sent_frames": self.sent_frames,
            "recv_frames": self.recv_frames,
            "recv_updates": self.recv_updates,
            "recv_awareness": self.recv_awareness,
            "echoes": self.echoes,
        }


@dataclass(frozen=True)
class Endpoint:
    """Where one client connects: URL and extra headers (ours needs a session cookie)."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)


class LoadClient:
    """One simulated participant."""

    def __init__(self, room: RoomLoad, endpoint: Endpoint, stats: Stats, echo: bool = True):
        self.room = room
        self.endpoint = endpoint
        self.stats = stats
        self.echo = echo
        self.doc: Doc = Doc()
        self.client_id: int = self.doc.client_id
        self.ws: WireSocket | None = None
        self.synced = asyncio.Event()
        self.closed = False
        self.close_code: int | None = None
        self.open_seconds = 0.0  # connect() start → websocket open (handshake, and our sign-in)
        self.step2_at = 0.0  # perf_counter when the server's sync step 2 was read
        self.complete_at = 0.0  # perf_counter when the doc first covered ``target``
        self.got_update = asyncio.Event()
        self.got_awareness = asyncio.Event()
        self.known: dict[int, int] = {}
        self.clock = 0
        self.texts: list[tuple[str, Text]] = []
        self.field = 0
        self.pos = -1  # UTF-8 byte index in the field's text; -1: its end
        self.apply_updates = False  # apply relayed updates too (a joiner that checks its state)
        self.target: dict[int, int] | None = None  # state to reach before ``complete`` is set
        self.complete = asyncio.Event()
        self._local: list[bytes] = []
        self._remote = False
        self.doc.observe(self._on_change)

    # -- connection ------------------------------------------------------------------------

    async def connect(self, timeout: float = 15.0) -> float:
        """Open, sync, and return the seconds from opening the socket to having step 2."""
        started = time.perf_counter()
        self.ws = await WireSocket.connect(
            self.endpoint.url, self.endpoint.headers, self._on_message, timeout
        )
        self.ws.lost.add_done_callback(self._on_lost)
        self.open_seconds = time.perf_counter() - started
        await self._send(protocol.sync_step1(self.doc))
        await asyncio.wait_for(self.synced.wait(), timeout)
        elapsed = time.perf_counter() - started
        self.stats.sync_times.append(elapsed)
        self._find_texts()
        return elapsed

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def _send(self, frame: bytes) -> None:
        self._send_now(frame)

    def _send_now(self, frame: bytes) -> None:
        if self.ws is not None and self.ws.send(frame):
            self.stats.sent_frames += 1
        else:
            self.stats.send_errors += 1

    # -- receiving -------------------------------------------------------------------------

    def _on_message(self, frame: bytes) -> None:
        self._on_frame(frame, time.perf_counter())

    def _on_lost(self, _: object) -> None:
        self.closed = True
        self.close_code = self.ws.close_code if self.ws is not None else None
        self.stats.closes[str(self.close_code)] += 1
        self.room.synced.discard(self)

    def _on_frame(self, frame: bytes, now: float) -> None:
        stats = self.stats
        stats.recv_frames += 1
        kind = frame[0]
        if kind == 0:
            sync_type = frame[1]
            if sync_type == 2:
                stats.recv_updates += 1
                _, pos = read_var_uint(frame, 2)
                pending = stats.pending
                for key in update_keys(frame, pos):
                    sent = pending.get(key)
                    if sent is not None:
                        if key[0] != self.client_id:
                            stats.latencies.append(now - sent)
                        break
                self.got_update.set()
                if self.apply_updates:
                    self._apply(frame[pos:])
            elif sync_type == 1:
                _, pos = read_var_uint(frame, 2)
                self.step2_at = self.step2_at or now
                self._apply(frame[pos:])
                if not self.synced.is_set():
                    self.synced.set()
                    self.room.synced.add(self)
            elif sync_type == 0:
                _, pos = read_var_uint(frame, 2)
                self._send_now(protocol.sync_step2(self.doc.get_update(frame[pos:])))
        elif kind == 1:
            stats.recv_awareness += 1
            self.got_awareness.set()
            if self.echo:
                self._echo_awareness(frame)

    def _echo_awareness(self, frame: bytes) -> None:
        """Like y-protocols: apply entries with a newer clock, and re-broadcast them."""
        newer = []
        for client, clock, state in awareness_entries(frame):
            if client == self.client_id:
                continue
            if clock > self.known.get(client, 0):
                self.known[client] = clock
                newer.append((client, clock, state))
        if newer:
            self.stats.echoes += 1
            self._send_now(encode_awareness(newer))

    def _apply(self, update: bytes) -> None:
        self._remote = True
        try:
            self.doc.apply_update(update)
        finally:
            self._remote = False
        target = self.target
        if target is not None and not self.complete.is_set():  # noqa: SIM102
            if covers(state_vector(self.doc.get_state()), target):
                self.complete_at = time.perf_counter()
                self.complete.set()

    def _on_change(self, event: Any) -> None:
        if not self._remote:
            self._local.append(event.update)

    # -- typing and presence ---------------------------------------------------------------

    def _find_texts(self) -> None:
        self.texts = []
        # actions: every role at the table may write their text (a goal's words are the
        # family's and the coordinator's; the server's gate closes anyone else typing there)
        for name in ("actions",):
            for item in self.doc.get(name, type=Array):
                if isinstance(item, Map) and isinstance(item.get("text"), Text):
                    self.texts.append((f"{name}:{item.get('id')}", item["text"]))
        if self.texts:
            self.field, self.pos = random.randrange(len(self.texts)), -1

    async def push(self, update: bytes, refresh: bool = True) -> None:
        """Apply ``update`` locally and send what it changed (how a client seeds a peer room)."""
        self._local.clear()
        self.doc.apply_update(update)
        for local in self._local:
            await self._send(protocol.sync_update(local))
        self._local.clear()
        if refresh:
            self._find_texts()

    async def edit(self) -> None:
        """Type one character into the current field (sometimes switch fields first)."""
        if not self.texts:
            return
        if random.random() < 0.02:
            self.field, self.pos = random.randrange(len(self.texts)), -1
        text = self.texts[self.field][1]
        if self.pos < 0:
            self.pos = len(text)  # pycrdt indexes Text in UTF-8 bytes: the end is a boundary
        # what this client sees of the field: everything if it applies what it receives,
        # else the seed and its own typing (its share of the field: one of the meeting's
        # typists, at least ten; with 50 in one meeting a tenth each overran the limit)
        typists = max(len(self.room.synced), 10)
        if len(text) > (FULL if self.apply_updates else FULL // typists):
            await self._trim(text)
        elif self.pos > 0:  # others typed or trimmed meanwhile: stay on a character boundary
            self.pos = _boundary(str(text).encode(), min(self.pos, len(text)))
        char = random.choice(TYPED)
        self._local.clear()
        text.insert(self.pos, char)
        self.pos += len(char.encode())  # an index inside a character makes a broken update
        stats = self.stats
        for update in self._local:
            key = update_key(update)
            if stats.recording and key is not None:
                stats.pending[key] = time.perf_counter()
                stats.expected += len(self.room.synced) - 1
            stats.sent_edits += 1
            await self._send(protocol.sync_update(update))
        self._local.clear()

    async def _trim(self, text: Text) -> None:
        """Cut the first half of what this client sees of a field, so the field stays under
        the gate's limit (500 characters an action's words) however long the run: one
        delete, sent but not measured; then type on at its end."""
        cut = _boundary(str(text).encode(), len(text) // 2)
        self._local.clear()
        del text[0:cut]
        for update in self._local:
            await self._send(protocol.sync_update(update))
        self._local.clear()
        self.pos = len(text)

    async def presence(self) -> None:
        self.clock += 1
        where = self.texts[self.field][0] if self.texts else ""
        state = {"step": 2, "editing": where, "cursor": self.pos}
        self.stats.sent_presence += 1
        entry = (self.client_id, self.clock, json.dumps(state).encode())
        await self._send(encode_awareness([entry]))

    async def run(self, rate: float, presence_rate: float, stop: asyncio.Event) -> None:
        """Type at ``rate`` edits/s and move presence at ``presence_rate``/s until ``stop``."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        next_edit = now + (random.random() / rate if rate > 0 else float("inf"))
        next_move = now + (random.random() / presence_rate if presence_rate > 0 else float("inf"))
        while not stop.is_set() and not self.closed:
            wake = min(next_edit, next_move)
            delay = wake - loop.time()
            if delay > 0:
                await asyncio.sleep(min(delay, 1.0))  # cheaper than waiting on ``stop`` too
                continue
            if next_edit <= wake:
                await self.edit()
                next_edit += random.uniform(0.5, 1.5) / rate
            else:
                await self.presence()
                next_move += random.uniform(0.5, 1.5) / presence_rate


@dataclass(eq=False)
class RoomLoad:
    """One meeting's room in a run: its name, the clients, and who is synced."""

    name: str
    seed: bytes | None = None  # pushed by the first client into servers that hold no document
    clients: list[LoadClient] = field(default_factory=list)
    synced: set[LoadClient] = field(default_factory=set)


async def gather_limited(coros: Iterable[Any], limit: int) -> list[Any]:
    """Run coroutines with at most ``limit`` in flight; exceptions are returned, not raised."""
    semaphore = asyncio.Semaphore(limit)

    async def one(coro: Any) -> Any:
        async with semaphore:
            return await coro

    return await asyncio.gather(*(one(c) for c in coros), return_exceptions=True)


async def open_room(
    room: RoomLoad,
    endpoints: list[Endpoint],
    stats: Stats,
    echo: bool = True,
    limit: int = 10,
) -> None:
    """Connect a room's clients; the first one seeds the room when the server has no document."""
    first = LoadClient(room, endpoints[0], stats, echo)
    await first.connect()
    room.clients.append(first)
    if room.seed is not None:
        first.got_update.clear()
        await first.push(room.seed)
        # reference servers relay updates to their origin too: the echo means "applied"
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(first.got_update.wait(), 5)
    rest = [LoadClient(room, e, stats, echo) for e in endpoints[1:]]
    results = await gather_limited((c.connect() for c in rest), limit)
    for client, result in zip(rest, results, strict=True):
        if isinstance(result, BaseException):
            stats.closes[f"connect failed: {type(result).__name__}"] += 1
            await client.close()
        else:
            room.clients.append(client)


async def close_rooms(rooms: Iterable[RoomLoad], limit: int = 100) -> None:
    await gather_limited((c.close() for r in rooms for c in r.clients), limit)


async def poll(
    predicate: Callable[[], bool | Awaitable[bool]], timeout: float, interval: float = 0.05
) -> bool:
    """Check ``predicate`` every ``interval`` s until it holds or ``timeout`` s have passed
    (for state outside this process, or counters that have no event)."""
    for _ in range(max(1, int(timeout / interval))):
        result = predicate()
        if await result if inspect.isawaitable(result) else result:
            return True
        await asyncio.sleep(interval)
    return False


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


class LoopLag:
    """How late the generator's own event loop wakes up: a sign that it, not the server, is slow."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.lags: list[float] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._tick())

    async def _tick(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(self.interval)
            self.lags.append(loop.time() - before - self.interval)

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
