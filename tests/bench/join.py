"""Join: how long a new client takes to have the five-year family's meeting document.

Client side: socket opened (ours: handshake plus sign-in check and audit row), sync step 2
received, and *complete* (the client's state vector covers the whole document: the LevelDB
server answers before its stored state has loaded and sends the rest as an update later).
Server side can not be read from outside the running server; it is measured in this process
with the server's own load path (``Room.load`` on ``SqlUpdateStore``, then the step 2 a
joiner gets) against the same database.

Cold: the room is not in memory (ours: from the log or its snapshot; LevelDB: from disk).
Warm: another client holds the room. Node in memory and pycrdt-websocket keep nothing when
nobody is connected, so they only have a warm case; compaction applies to ours only.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from server.crdt import protocol
from server.crdt.room import Room
from server.crdt.writer import GroupCommitWriter
from server.storage.db import create_engine
from server.storage.update_store import SqlUpdateStore
from tests.bench.history import History, build
from tests.bench.loadgen import (
    Endpoint,
    LoadClient,
    RoomLoad,
    Stats,
    percentile,
    poll,
    state_vector,
)
from tests.bench.ours import Seat, redeem, sqlite_url
from tests.bench.peers import LABELS, PEER_NAMES, Server, running
from tests.bench.procstat import wait_quiet
from tests.bench.report import Table, fmt, ratio, write

ROOM = "vijf-jaar"  # the room name on reference servers


@dataclass
class JoinConfig:
    edits: int = 20_000
    samples: int = 5
    servers: list[str] = field(default_factory=lambda: ["ours", *PEER_NAMES])

    def params(self) -> str:
        return f"--edits {self.edits} --samples {self.samples}"


@dataclass
class Samples:
    open_ms: list[float] = field(default_factory=list)
    step2_ms: list[float] = field(default_factory=list)
    complete_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)


async def timed_join(endpoint: Endpoint, target: dict[int, int], into: Samples) -> None:
    client = LoadClient(RoomLoad("join"), endpoint, Stats(), echo=False)
    client.apply_updates = True
    client.target = target
    started = time.perf_counter()
    try:
        await client.connect(timeout=60)
        await asyncio.wait_for(client.complete.wait(), 60)
    finally:
        await client.close()
    into.open_ms.append(client.open_seconds * 1000)
    into.step2_ms.append((client.step2_at - started) * 1000)
    into.complete_ms.append((client.complete_at - started) * 1000)


async def server_side(database_url: str, meeting_id: str, samples: int) -> list[float]:
    """The server's own cold-join work, timed here: load + replay, then the joiner's step 2."""
    engine = create_engine(database_url)
    store = SqlUpdateStore(engine)
    times = []
    try:
        for _ in range(samples):
            started = time.perf_counter()
            room = Room(meeting_id, store, GroupCommitWriter(store))
            await room.load()
            protocol.sync_step2(room.doc.get_update(b"\x00"))
            times.append((time.perf_counter() - started) * 1000)
    finally:
        await engine.dispose()
    return times


async def run_ours(history: History, cfg: JoinConfig) -> dict[str, Samples]:
    target = state_vector(history.final_state)
    results = {"cold, log": Samples(), "cold, compacted": Samples(), "warm": Samples()}
    results["cold, log"].server_ms = await server_side(
        history.database_url, history.uncompacted[0], 3
    )
    results["cold, compacted"].server_ms = await server_side(
        history.database_url, history.compacted[0], 3
    )
    async with running("ours", "join", history.database_url, grace=600) as server:
        async with httpx.AsyncClient(trust_env=False, timeout=30) as http:
            seats = [await redeem(http, server.http, t) for t in history.member_tokens]
        await wait_quiet()

        def endpoint(meeting_id: str, seat: Seat) -> Endpoint:
            url = f"ws://127.0.0.1:{server.port}/ws/meetings/{meeting_id}?as={seat.session_id}"
            return Endpoint(url, {"Cookie": seat.cookie})

        for i, meeting_id in enumerate(history.uncompacted[1:]):
            await timed_join(endpoint(meeting_id, seats[i % 10]), target, results["cold, log"])
        for i, meeting_id in enumerate(history.compacted):
            await timed_join(
                endpoint(meeting_id, seats[i % 10]), target, results["cold, compacted"]
            )
        holder = LoadClient(RoomLoad("holder"), endpoint(history.uncompacted[0], seats[0]), Stats())
        await holder.connect(timeout=60)
        try:
            for i in range(cfg.samples):
                await timed_join(
                    endpoint(history.uncompacted[0], seats[1 + i % 9]), target, results["warm"]
                )
        finally:
            await holder.close()
    return results


async def push_history(server: Server, history: History) -> LoadClient:
    """A client that writes the seed and every edit into the peer's room, one update each."""
    stats = Stats()
    holder = LoadClient(RoomLoad(ROOM), server.endpoint_for(ROOM, 0), stats, echo=False)
    await holder.connect(timeout=30)
    for update in [history.seed, *history.edits]:
        await holder.push(update, refresh=False)
    # every reference server echoes updates to their author: the last echo means "all applied"
    await poll(lambda: stats.recv_updates >= len(history.edits) + 1, 120)
    return holder


async def run_peer(name: str, history: History, cfg: JoinConfig) -> dict[str, Samples]:
    target = state_vector(history.final_state)
    results: dict[str, Samples] = {"warm": Samples()}
    async with running(name, "join") as server:
        await wait_quiet()
        holder = await push_history(server, history)
        if name == "node-leveldb":
            await holder.close()
            await asyncio.sleep(2)  # the last client left: the doc is written and dropped
            results["cold, log"] = Samples()
            for _ in range(cfg.samples):
                await timed_join(server.endpoint_for(ROOM, 0), target, results["cold, log"])
                await asyncio.sleep(0.5)
            holder = LoadClient(RoomLoad(ROOM), server.endpoint_for(ROOM, 0), Stats())
            holder.apply_updates, holder.target = True, target
            await holder.connect(timeout=60)
            await asyncio.wait_for(holder.complete.wait(), 60)
        try:
            for _ in range(cfg.samples):
                await timed_join(server.endpoint_for(ROOM, 0), target, results["warm"])
        finally:
            await holder.close()
    return results


async def run(cfg: JoinConfig) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-join-") as tmp:
        url = sqlite_url(str(Path(tmp) / "ours.db"))
        print("join: building the five-year family …", flush=True)
        history = await build(url, cfg.edits, cfg.samples + 1, cfg.samples)
        print(f"  built in {history.build_seconds:.1f} s", flush=True)
        results: dict[str, dict[str, Samples]] = {}
        for name in cfg.servers:
            print(f"join: {name} …", flush=True)
            if name == "ours":
                results[name] = await run_ours(history, cfg)
            else:
                results[name] = await run_peer(name, history, cfg)
    report(cfg, history, results)


def report(cfg: JoinConfig, history: History, results: dict[str, dict[str, Samples]]) -> None:
    table = Table(
        f"Join the five-year family's meeting ({len(history.edits):,} edits, document "
        f"{history.doc_bytes / 1024:.0f} KiB as one update), {cfg.samples} samples each",
        [
            "server",
            "case",
            "open p50 ms",
            "step 2 p50 ms",
            "complete p50 ms",
            "complete max ms",
            "server side p50 ms",
        ],
    )
    for name, cases in results.items():
        for case, s in cases.items():
            table.add(
                LABELS[name],
                case,
                percentile(s.open_ms, 50),
                percentile(s.step2_ms, 50),
                percentile(s.complete_ms, 50),
                max(s.complete_ms) if s.complete_ms else None,
                percentile(s.server_ms, 50) if s.server_ms else "not readable from outside",
            )
    table.notes += [
        "open: connect → websocket open (ours includes the session check and an audit row); "
        "step 2: → sync step 2 read from the socket; complete: → the client (pycrdt) has "
        "applied the whole document (its own apply of ~0.4 MB is part of every server's figure)",
        "server side (ours): Room.load + the joiner's step 2, timed in the benchmark process "
        "on the same database with the server's own code; the running server is not "
        "instrumented",
        "the family: 40 plan versions, 200 goals, 1,000 actions carried into the live "
        "meeting, the edits typed by 10 participants; 'log' = seed + every edit as rows, "
        "'compacted' = one snapshot made by SqlUpdateStore.compact",
        "reference servers got the same seed and edits as one update message each",
    ]
    tables = [table]
    ours = results.get("ours")
    if ours:
        ratios = Table(
            "Join ratios, ours ÷ peer (time to complete, p50; below 1 is better)",
            ["peer", "warm", "cold (ours from the log)", "cold (ours compacted)"],
        )
        for name, cases in results.items():
            if name == "ours":
                continue
            cold = cases.get("cold, log")
            ratios.add(
                LABELS[name],
                ratio(_p50(ours["warm"]), _p50(cases["warm"])),
                ratio(_p50(ours["cold, log"]), _p50(cold)) if cold else fmt(None),
                ratio(_p50(ours["cold, compacted"]), _p50(cold)) if cold else fmt(None),
            )
        tables.append(ratios)
    write("join", tables, cfg.params())


def _p50(samples: Samples | None) -> float | None:
    return percentile(samples.complete_ms, 50) if samples else None
