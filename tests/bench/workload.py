"""A fleet of typing clients against one server, and one measured window of its traffic."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from dataclasses import dataclass

from tests.bench.loadgen import (
    LoadClient,
    LoopLag,
    RoomLoad,
    Stats,
    close_rooms,
    gather_limited,
    open_room,
    poll,
)
from tests.bench.loadgen import percentile as pct
from tests.bench.peers import Server
from tests.bench.procstat import CpuMeter, MachineMeter, rss_bytes


@dataclass
class Window:
    """What one measured window saw, from the clients' side and the server's process."""

    seconds: float
    clients: int
    edits: int
    deliveries: int  # update frames received by clients during the window
    expected: int  # deliveries the window's edits were owed (edits × other synced clients)
    delivered: int  # of those, how many arrived (in the window or the drain after it)
    frames_in: int  # every frame clients received
    frames_out: int  # every frame clients sent (edits, presence, echoes)
    awareness_in: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    server_cpu: float  # % of one core
    server_rss: int
    gen_cpu: float  # the load generator's own CPU, % of one core
    gen_lag_p99_ms: float  # how late the generator's loop woke up
    other_cpu: float  # CPU the rest of the machine used meanwhile (other sessions), % of a core
    server_alive: bool  # False: the server process exited during the window
    connect_p50_ms: float
    connect_p99_ms: float

    @property
    def clean(self) -> bool:
        """The generator kept up and the machine was not busy with other work: trust it."""
        return self.gen_lag_p99_ms <= 50 and self.other_cpu <= 30 and self.server_alive

    @property
    def edits_per_s(self) -> float:
        return self.edits / self.seconds

    @property
    def delivered_per_s(self) -> float:
        return self.deliveries / self.seconds

    @property
    def peer_deliveries_per_s(self) -> float:
        """Deliveries of this window's edits to the *other* clients, per second."""
        return self.delivered / self.seconds

    @property
    def server_us_per_frame(self) -> float:
        """Server CPU per websocket message it handled (received plus sent), in µs."""
        frames = (self.frames_in + self.frames_out) / self.seconds
        return self.server_cpu * 1e4 / frames if frames else float("nan")

    @property
    def frames_per_edit(self) -> float:
        return self.frames_in / self.edits if self.edits else float("nan")

    @property
    def doc_frames_per_edit(self) -> float:
        return self.deliveries / self.edits if self.edits else float("nan")

    @property
    def delivered_share(self) -> float:
        return self.delivered / self.expected if self.expected else float("nan")


class Fleet:
    """Rooms of clients on one server; they type and move presence while ``typing``."""

    def __init__(self, server: Server, echo: bool = True):
        self.server = server
        self.echo = echo
        self.stats = Stats()
        self.rooms: list[RoomLoad] = []
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._typing: tuple[float, float] | None = None

    @property
    def clients(self) -> list[LoadClient]:
        return [c for r in self.rooms for c in r.clients if not c.closed]

    async def add_rooms(
        self, rooms: list[tuple[str, bytes]], clients: int, parallel_rooms: int = 10
    ) -> None:
        """Connect ``clients`` per room (reference servers get the room's seed pushed first)."""
        new = [RoomLoad(name, seed if self.server.needs_seed else None) for name, seed in rooms]
        results = await gather_limited(
            (
                open_room(
                    room,
                    [self.server.endpoint_for(room.name, i) for i in range(clients)],
                    self.stats,
                    self.echo,
                )
                for room in new
            ),
            parallel_rooms,
        )
        for result in results:
            if isinstance(result, BaseException):
                self.stats.closes[f"room failed: {type(result).__name__}: {result}"] += 1
        self.rooms += new
        if self._typing is not None:
            self._start([c for r in new for c in r.clients], *self._typing)

    def type(self, rate: float, presence_rate: float) -> None:
        self._typing = (rate, presence_rate)
        self._start(self.clients, rate, presence_rate)

    def _start(self, clients: list[LoadClient], rate: float, presence_rate: float) -> None:
        for client in clients:
            self._tasks.append(asyncio.create_task(client.run(rate, presence_rate, self._stop)))

    async def stop_typing(self) -> None:
        self._stop.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*self._tasks, return_exceptions=True), 10)
        self._tasks, self._typing, self._stop = [], None, asyncio.Event()

    async def measure(self, seconds: float, drain: float = 5.0) -> Window:
        """Record ``seconds`` of traffic, then wait up to ``drain`` s for owed deliveries."""
        stats = self.stats
        stats.latencies, stats.pending, stats.expected = [], {}, 0
        lag = LoopLag()
        lag.start()
        before = stats.snapshot()
        server_cpu, gen_cpu = CpuMeter(self.server.pid), CpuMeter(os.getpid())
        machine = MachineMeter()
        server_cpu.start()
        gen_cpu.start()
        machine.start()
        started = time.monotonic()
        stats.recording = True
        await asyncio.sleep(seconds)
        stats.recording = False
        elapsed = time.monotonic() - started
        after = stats.snapshot()
        server_pct, gen_pct = server_cpu.percent(), gen_cpu.percent()
        other_pct = max(0.0, machine.percent() - server_pct - gen_pct)
        lag.stop()
        alive = self.server.alive
        rss = rss_bytes(self.server.pid) if alive else 0
        await poll(lambda: len(stats.latencies) >= stats.expected, drain)
        latencies = [x * 1000 for x in stats.latencies]
        delta = {k: after[k] - before[k] for k in after}
        syncs = [x * 1000 for x in stats.sync_times]
        return Window(
            seconds=elapsed,
            clients=len(self.clients),
            edits=delta["sent_edits"],
            deliveries=delta["recv_updates"],
            expected=stats.expected,
            delivered=len(latencies),
            frames_in=delta["recv_frames"],
            frames_out=delta["sent_frames"],
            awareness_in=delta["recv_awareness"],
            p50_ms=pct(latencies, 50),
            p99_ms=pct(latencies, 99),
            max_ms=max(latencies) if latencies else float("nan"),
            server_cpu=server_pct,
            server_rss=rss,
            gen_cpu=gen_pct,
            gen_lag_p99_ms=pct([x * 1000 for x in lag.lags], 99),
            other_cpu=other_pct,
            server_alive=alive,
            connect_p50_ms=pct(syncs, 50),
            connect_p99_ms=pct(syncs, 99),
        )

    async def close(self) -> None:
        await self.stop_typing()
        await close_rooms(self.rooms)
        self.rooms = []
