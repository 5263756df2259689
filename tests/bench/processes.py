"""Several processes (issue 20): our server on PostgreSQL and Redis, as one process and as two
with every meeting's clients spread over both (client n of a room on process n % 2), the same
meetings, seats and load one after the other in one run.

- fan-out: R meetings × C clients (default 50 × 10), as ``fanout.py``;
- one meeting of ``crowd`` clients (default 50): with two processes half of each edit's peers
  are on the other one, so its latency is the cross-process edit-to-peer latency (commit,
  Redis, the other process applying it in log order, its socket). It runs twice: with the
  Python generator, and with the Node one timed by two observers (``crowd.py``), next to the
  reference server in memory under the same generator: the floor of this machine.

Needs ``RONDETAFEL_TEST_POSTGRES_URL`` (a database is made and dropped) and ``redis-server``.
Capacity per added process: ``process_capacity.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

from tests.bench.crowd import CrowdLoad
from tests.bench.crowd import measure as crowd_measure
from tests.bench.loadgen import Endpoint
from tests.bench.ours import BenchMeeting, prepare_meetings, sign_in
from tests.bench.peers import Server, running, start_ours
from tests.bench.procstat import CpuMeter, wait_quiet
from tests.bench.report import Table, write
from tests.bench.workload import Fleet, Window
from tests.cluster.harness import PrivateRedis
from tests.conftest import POSTGRES_URL, postgres_database


@dataclass
class ProcessesConfig:
    meetings: int = 50
    clients: int = 10
    crowd: int = 50  # clients in the one big meeting
    rate: float = 2.0
    presence_rate: float = 1.0
    warmup: float = 3.0
    duration: float = 15.0
    drain: float = 5.0

    def params(self) -> str:
        return (
            f"--meetings {self.meetings} --clients {self.clients} --rate {self.rate} "
            f"--presence-rate {self.presence_rate} --duration {self.duration}"
        )


class Spread:
    """Our processes as one server for the ``Fleet``: slot n of a room goes to process n % N,
    or with ``pinned`` every slot of meeting m to process m % N (as the balancer's hash by
    meeting id does). ``pid`` is the first process's (the fleet's CPU column); the others
    are metered here."""

    def __init__(self, servers: list[Server], meetings: list[BenchMeeting], pinned: bool = False):
        self.servers = servers
        self.name, self.label, self.port = "ours", servers[0].label, servers[0].port
        self.needs_seed = False
        by_id = {m.meeting_id: m for m in meetings}
        order = {m.meeting_id: n for n, m in enumerate(meetings)}

        def endpoint(room: str, slot: int) -> Endpoint:
            seats = by_id[room].seats
            seat = seats[slot % len(seats)]
            port = servers[(order[room] if pinned else slot) % len(servers)].port
            url = f"ws://127.0.0.1:{port}/ws/meetings/{room}?as={seat.session_id}"
            return Endpoint(url, {"Cookie": seat.cookie})

        self.endpoint_for: Callable[[str, int], Endpoint] = endpoint

    @property
    def pid(self) -> int:
        return self.servers[0].pid

    @property
    def alive(self) -> bool:
        return all(s.alive for s in self.servers)


async def run(cfg: ProcessesConfig) -> dict[str, Window]:
    results: dict[str, Window] = {}
    cpu: dict[str, list[float]] = {}
    async with backing() as (url, redis_url):
        many = await prepare_meetings(url, cfg.meetings, cfg.clients, "Spreiding")
        crowd = await prepare_meetings(url, 1, cfg.crowd, "Groot")
        signed = False
        shapes = [
            (f"{cfg.meetings} × {cfg.clients}", many, cfg.clients),
            (f"1 × {cfg.crowd}", crowd, cfg.crowd),
        ]
        for shape, meetings, clients in shapes:
            for count in (1, 2):
                key = f"{shape}, {count} process{'es' if count > 1 else ''}"
                print(f"processes: {key} …", flush=True)
                async with serving(url, redis_url, count) as servers:
                    if not signed:  # invites work once; the sessions serve every run
                        took = await sign_in(servers[0], many + crowd)
                        print(f"  signed in {_seats(many + crowd)} seats in {took:.1f} s")
                        signed = True
                    results[key], cpu[key] = await _measure(cfg, servers, meetings, clients)
                    if meetings is crowd:
                        observed = f"{key}, {OBSERVED}"
                        results[observed], cpu[observed] = await _observe(cfg, servers, crowd[0])
                _print(key, results)
        key = f"1 × {cfg.crowd}, {REFERENCE}, {OBSERVED}"
        async with running("node-mem", "processes") as reference:
            results[key], cpu[key] = await _observe(cfg, [reference], crowd[0])
        _print(key, results)
    report(cfg, results, cpu)
    return results


OBSERVED = "Node generator, 2 observers"
REFERENCE = "@y/websocket-server (memory)"


def _print(key: str, results: dict[str, Window]) -> None:
    for name, w in results.items():
        if name.startswith(key):
            print(f"  {name}: p50 {w.p50_ms:.2f} ms  p99 {w.p99_ms:.2f} ms", flush=True)


async def _observe(
    cfg: ProcessesConfig, servers: list[Server], meeting: BenchMeeting
) -> tuple[Window, list[float]]:
    """The crowded meeting again, driven by ``crowd.mjs`` and timed by two observers."""
    await wait_quiet()
    reference = servers[0].needs_seed  # not ours: its own addresses, the seed pushed first
    endpoint_for = servers[0].endpoint_for if reference else Spread(servers, [meeting]).endpoint_for
    endpoints = [endpoint_for(meeting.meeting_id, slot) for slot in range(cfg.crowd)]
    seed = meeting.seed if reference else None
    load = CrowdLoad(cfg.rate, cfg.presence_rate, cfg.warmup, cfg.duration, cfg.drain)
    return await crowd_measure(endpoints, seed, [s.pid for s in servers], load, observers=2)


def _seats(meetings: list[BenchMeeting]) -> int:
    return sum(len(m.tokens) for m in meetings)


@contextlib.asynccontextmanager
async def backing() -> AsyncIterator[tuple[str, str]]:
    """A fresh PostgreSQL database and a private Redis: ``(database url, redis url)``."""
    if not POSTGRES_URL:
        raise SystemExit("processes: set RONDETAFEL_TEST_POSTGRES_URL (several need PostgreSQL)")
    with tempfile.TemporaryDirectory(prefix="bench-processes-") as tmp:
        redis = await PrivateRedis(Path(tmp)).start()
        database = postgres_database()  # it runs an event loop of its own: in a thread
        url = await asyncio.to_thread(database.__enter__)
        try:
            yield url, redis.url
        finally:
            await asyncio.to_thread(database.__exit__, None, None, None)
            await redis.kill()


@contextlib.asynccontextmanager
async def serving(url: str, redis_url: str, count: int) -> AsyncIterator[list[Server]]:
    extra = {"RONDETAFEL_REDIS_URL": redis_url}
    starting = (start_ours(url, f"processes-{n}", extra=extra) for n in range(count))
    servers = list(await asyncio.gather(*starting))
    try:
        yield servers
    finally:
        for server in servers:
            server.stop()


async def _measure(
    cfg: ProcessesConfig, servers: list[Server], meetings: list[BenchMeeting], clients: int
) -> tuple[Window, list[float]]:
    await wait_quiet()
    spread = Spread(servers, meetings)
    fleet = Fleet(spread, echo=True)  # type: ignore[arg-type]
    try:
        await fleet.add_rooms([(m.meeting_id, m.seed) for m in meetings], clients)
        fleet.type(cfg.rate, cfg.presence_rate)
        await fleet.measure(cfg.warmup, drain=0)
        meters = [CpuMeter(s.pid) for s in servers]
        for meter in meters:
            meter.start()
        window = await fleet.measure(cfg.duration, cfg.drain)
        shares = [meter.percent() for meter in meters]  # over the window and its drain
    finally:
        await fleet.close()
    if fleet.stats.closes:
        print(f"  closes/errors: {dict(fleet.stats.closes)}")
    return window, shares


def report(cfg: ProcessesConfig, results: dict[str, Window], cpu: dict[str, list[float]]) -> None:
    table = Table(
        f"Several processes (PostgreSQL + Redis), {cfg.rate:g} edits/s and "
        f"{cfg.presence_rate:g} presence moves/s per client, {cfg.duration:g} s",
        [
            "meetings × clients, processes",
            "clean",
            "clients",
            "edits/s",
            "to peers/s",
            "delivered",
            "p50 ms",
            "p99 ms",
            "max ms",
            "CPU % per process",
            "loadgen CPU %",
            "other CPU %",
        ],
    )
    for key, w in results.items():
        table.add(
            key,
            "yes" if w.clean else "no",
            w.clients,
            w.edits_per_s,
            w.peer_deliveries_per_s,
            f"{100 * w.delivered_share:.2f} %",
            w.p50_ms,
            w.p99_ms,
            w.max_ms,
            " + ".join(f"{share:.0f}" for share in cpu[key]),
            w.gen_cpu,
            w.other_cpu,
        )
    table.notes += [
        "two processes: client n of each meeting on process n % 2, so about half of each "
        "edit's peers are on the other process (commit, Redis, applied there in log order)",
        "latency: edit handed to the socket → read by each other client (one clock)",
        "CPU per process over the window and its drain; 'other CPU' is the rest of the "
        "machine (other sessions, and with two processes the second one's share is in it)",
        "every row on PostgreSQL (one process on SQLite: see the fan-out table), except the "
        "reference's (in memory, one process, no commit)",
        f"'{OBSERVED}': the crowd's clients in one Node process (tests/bench/crowd.mjs), two "
        "more in another, on process 0 and 1, that type too and alone time what they read "
        "(every edit but their own), so no read waits for 48 others; 'other CPU' there "
        "excludes every server process",
    ]
    write("processes", [table], cfg.params())
