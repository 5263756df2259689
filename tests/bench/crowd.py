"""One crowded meeting measured by the Node load generator (``crowd.mjs``).

At 50 clients in one meeting every edit is read 49 times, one after another, by the loop of
one generator: the last reader of an edit waits for the other 48, whatever the server does
(the reference server in memory, which commits nothing, measured p99 8–11 ms that way here).
With ``observers`` the meeting's clients run in two Node processes: the crowd, and a few
observers that type like everyone else but are the only ones who time what they read, so
their reads wait for nobody's. Both use CLOCK_MONOTONIC, one clock for the machine. Same
clients, rates and edit keys as ``loadgen.py``; the servers are metered over the window here.
"""

from __future__ import annotations

import asyncio
import base64
import json
import tempfile
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from tests.bench.loadgen import Endpoint, percentile
from tests.bench.procstat import CpuMeter, MachineMeter
from tests.bench.workload import Window

SCRIPT = Path(__file__).resolve().parent / "crowd.mjs"
T = TypeVar("T")


@dataclass
class CrowdLoad:
    rate: float
    presence_rate: float
    warmup: float
    duration: float
    drain: float


async def measure(
    endpoints: list[Endpoint],
    seed: bytes | None,
    server_pids: list[int],
    load: CrowdLoad,
    observers: int = 0,
) -> tuple[Window, list[float]]:
    """Run the Node generator against ``endpoints`` (one per client); return its window and
    each server process's CPU share over it. ``seed`` is pushed first (reference servers
    start rooms empty). ``observers`` > 0: the first that many clients time, the rest type."""
    with tempfile.TemporaryDirectory(prefix="bench-crowd-") as tmp:
        split = observers > 0
        crowd = await _Generator.start(Path(tmp), "crowd", endpoints[observers:], seed, load, split)
        try:
            if not split:
                return await _within(load, crowd.follow(server_pids))
            watch = await _Generator.start(
                Path(tmp), "observers", endpoints[:observers], None, load, split
            )
            try:
                crowd.go()
                watch.go()
                (window, shares), _ = await _within(
                    load, asyncio.gather(crowd.follow(server_pids), watch.follow([]))
                )
                return _observed(window, crowd.result, watch.result, set(watch.ids)), shares
            finally:
                await watch.stop()
        finally:
            await crowd.stop()


def _observed(
    window: Window, crowd: dict[str, Any], watch: dict[str, Any], observers: set[int]
) -> Window:
    """The latencies the observers saw of every edit sent in the window (theirs included,
    not by their own author); the rest of the window as the crowd measured it."""
    sent = dict(map(tuple, crowd["sent"] + watch["sent"]))
    seen: dict[tuple[int, str], float] = {}
    for reader, key, at in watch["arrivals"]:
        seen.setdefault((reader, key), at)
    latencies = [
        seen[(reader, key)] - at
        for key, at in sent.items()
        for reader in observers
        if not key.startswith(f"{reader}:") and (reader, key) in seen
    ]
    authors = {str(o) for o in observers}
    owed = sum(len(observers) - (key.split(":")[0] in authors) for key in sent)
    window.expected, window.delivered = owed, len(latencies)
    window.edits += watch["edits"]
    window.clients += watch["clients"]
    window.gen_cpu += watch["gen_cpu"]
    window.other_cpu = max(0.0, window.other_cpu - watch["gen_cpu"])
    window.gen_lag_p99_ms = max(window.gen_lag_p99_ms, watch["gen_lag_p99_ms"])
    window.p50_ms, window.p99_ms = percentile(latencies, 50), percentile(latencies, 99)
    window.max_ms = max(latencies, default=float("nan"))
    return window


async def _within(load: CrowdLoad, work: Awaitable[T]) -> T:
    return await asyncio.wait_for(work, load.warmup + load.duration + load.drain + 60)


class _Generator:
    """One ``crowd.mjs`` process, from its start (its clients synced) to its result."""

    def __init__(self, proc: asyncio.subprocess.Process):
        self.proc = proc
        self.ids: list[int] = []
        self.result: dict[str, Any] = {}

    @classmethod
    async def start(
        cls,
        tmp: Path,
        name: str,
        endpoints: list[Endpoint],
        seed: bytes | None,
        load: CrowdLoad,
        split: bool,
    ) -> _Generator:
        config = {
            "endpoints": [{"url": e.url, "headers": e.headers} for e in endpoints],
            "seed": base64.b64encode(seed).decode() if seed else None,
            "rate": load.rate,
            "presence_rate": load.presence_rate,
            "warmup": load.warmup,
            "duration": load.duration,
            "drain": load.drain,
            "split": split,
            "observe": name == "observers",
        }
        path = tmp / f"{name}.json"
        path.write_text(json.dumps(config))
        proc = await asyncio.create_subprocess_exec(
            "node",
            str(SCRIPT),
            str(path),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=2**26,  # an observer's result line holds every arrival
        )
        generator = cls(proc)
        try:
            generator.ids = (await _within(load, generator._next()))["ids"]
        except BaseException:
            await generator.stop()
            raise
        return generator

    async def _next(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = await self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"crowd.mjs ended without a result (exit {await self.proc.wait()})")
        message: dict[str, Any] = json.loads(line)
        if "error" in message:
            raise RuntimeError(f"crowd.mjs: {message}")
        return message

    def go(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"go\n")

    async def follow(self, server_pids: list[int]) -> tuple[Window, list[float]]:
        """Meter the servers over the window; the generator's own figures at its end."""
        servers = [CpuMeter(pid) for pid in server_pids]
        machine = MachineMeter()
        shares: list[float] = []
        busy = 0.0
        while True:
            message = await self._next()
            phase = message.get("phase")
            if phase == "measuring":
                for meter in [*servers, machine]:
                    meter.start()
            elif phase == "drain":
                shares, busy = [m.percent() for m in servers], machine.percent()
            elif "result" in message:
                self.result = r = message["result"]
                if r["closes"]:
                    print(f"  closes: {r['closes']}")
                return _window(r, shares, busy - sum(shares) - r["gen_cpu"]), shares

    async def stop(self) -> None:
        if self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()


def _window(r: dict[str, Any], shares: list[float], other: float) -> Window:
    nan = float("nan")
    return Window(
        seconds=r["seconds"],
        clients=r["clients"],
        edits=r["edits"],
        deliveries=r["deliveries"],
        expected=r["expected"],
        delivered=r["delivered"],
        frames_in=r["frames_in"],
        frames_out=r["frames_out"],
        awareness_in=r["awareness_in"],
        p50_ms=r["p50_ms"] if r["p50_ms"] is not None else nan,
        p99_ms=r["p99_ms"] if r["p99_ms"] is not None else nan,
        max_ms=r["max_ms"] if r["max_ms"] is not None else nan,
        server_cpu=shares[0] if shares else nan,
        server_rss=0,
        gen_cpu=r["gen_cpu"],
        gen_lag_p99_ms=r["gen_lag_p99_ms"] if r["gen_lag_p99_ms"] is not None else nan,
        other_cpu=max(0.0, other),
        server_alive=True,
        connect_p50_ms=nan,
        connect_p99_ms=nan,
    )
