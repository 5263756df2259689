"""Close: the coordinator closes the five-year family's meeting into plan version 41.

``POST /api/meetings/{id}/close`` as the coordinator (cookie, ``?as=``, our Origin), timed
from request to the 201 response. Two cases: everyone still at the table (ten clients hold
the room; also timed: until each of them has the update that marks the meeting closed), and
nobody connected (the close loads the room from its log first). Reference servers have no
such operation, so this benchmark runs ours only.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from server.middleware.csrf import csrf_token
from server.settings import DEFAULT_SECRET
from tests.bench.history import build
from tests.bench.loadgen import Endpoint, LoadClient, RoomLoad, Stats, percentile
from tests.bench.ours import Seat, redeem, sqlite_url
from tests.bench.peers import running
from tests.bench.procstat import wait_quiet
from tests.bench.report import Table, write


@dataclass
class CloseConfig:
    edits: int = 20_000
    samples: int = 5

    def params(self) -> str:
        return f"--edits {self.edits} --samples {self.samples}"


async def run(cfg: CloseConfig) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-close-") as tmp:
        url = sqlite_url(str(Path(tmp) / "ours.db"))
        print("close: building the five-year family …", flush=True)
        history = await build(url, cfg.edits, 2 * cfg.samples + 1, 0)
        print(f"  built in {history.build_seconds:.1f} s", flush=True)
        bystander_room, *meetings = history.uncompacted
        at_table, seen, nobody, stalls = [], [], [], []
        async with (
            running("ours", "close", url, grace=600) as server,
            httpx.AsyncClient(trust_env=False, timeout=60) as http,
        ):
            coordinator = await redeem(http, server.http, history.coordinator_token)
            seats = [await redeem(http, server.http, t) for t in history.member_tokens]

            def endpoint(meeting_id: str, seat: Seat) -> Endpoint:
                path = f"/ws/meetings/{meeting_id}?as={seat.session_id}"
                return Endpoint(f"ws://127.0.0.1:{server.port}{path}", {"Cookie": seat.cookie})

            async def close(meeting_id: str) -> float:
                started = time.perf_counter()
                response = await http.post(
                    f"{server.http}/api/meetings/{meeting_id}/close",
                    params={"as": coordinator.session_id},
                    headers={
                        "Cookie": coordinator.cookie,
                        "Origin": server.http,
                        "X-CSRF-Token": csrf_token(DEFAULT_SECRET, coordinator.session_id),
                    },
                )
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 201:
                    raise RuntimeError(f"close: {response.status_code} {response.text}")
                return elapsed

            # another meeting, typing at 20 edits/s throughout: what does a close cost it?
            probe = Stats()
            room = RoomLoad(bystander_room)
            typist, reader = (LoadClient(room, endpoint(room.name, s), probe) for s in seats[:2])
            await typist.connect(timeout=60)
            await reader.connect(timeout=60)
            stop = asyncio.Event()
            typing = asyncio.create_task(typist.run(20.0, 0.0, stop))
            probe.recording = True
            await wait_quiet()
            try:
                for meeting_id in meetings[: cfg.samples]:
                    clients = [
                        LoadClient(RoomLoad(meeting_id), endpoint(meeting_id, s), Stats())
                        for s in seats
                    ]
                    await asyncio.gather(*(c.connect(timeout=60) for c in clients))
                    for c in clients:
                        c.got_update.clear()
                    probe.latencies = []
                    started = time.perf_counter()
                    at_table.append(await close(meeting_id))
                    await asyncio.wait_for(
                        asyncio.gather(*(c.got_update.wait() for c in clients)), 30
                    )
                    seen.append((time.perf_counter() - started) * 1000)
                    await asyncio.sleep(0.2)
                    stalls.append(max(probe.latencies, default=0.0) * 1000)
                    await asyncio.gather(*(c.close() for c in clients))
                for meeting_id in meetings[cfg.samples :]:
                    probe.latencies = []
                    nobody.append(await close(meeting_id))
                    await asyncio.sleep(0.2)
                    stalls.append(max(probe.latencies, default=0.0) * 1000)
            finally:
                stop.set()
                await typing
                await typist.close()
                await reader.close()
    table = Table(
        f"Close the five-year family's meeting into plan version 41 ({cfg.samples} samples "
        f"each; document {history.doc_bytes / 1024:.0f} KiB)",
        ["server", "case", "p50 ms", "max ms", "all 10 clients see it closed, p50 ms"],
    )
    table.add("Rondetafel (SQLite, durable)", "10 clients connected", *_p(at_table), _p(seen)[0])
    table.add("Rondetafel (SQLite, durable)", "nobody connected (room loads)", *_p(nobody), None)
    for peer in ("@y/websocket-server 0.1.1", "y-websocket 1 (LevelDB)", "pycrdt-websocket"):
        table.add(peer, "no such operation", None, None, None)
    table.notes += [
        "POST /api/meetings/{id}/close as the coordinator: request → 201, client side; the "
        "server marks meta.status closed, waits until that is durable, extracts the plan and "
        "writes plan version 41 (plan JSON + Yjs snapshot) in one transaction",
        "'nobody connected' meetings hold the uncompacted log (seed + every edit)",
        "meanwhile another meeting types 20 edits/s: its worst edit-to-peer latency during a "
        f"close was p50 {_p(stalls)[0]:.0f} ms, max {max(stalls, default=0):.0f} ms (the "
        "work of a close that runs on the event loop stalls every meeting of the process)",
    ]
    write("close", [table], cfg.params())


def _p(values: list[float]) -> tuple[float, float | None]:
    return percentile(values, 50), max(values) if values else None
