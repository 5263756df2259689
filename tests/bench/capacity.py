"""Capacity: the most concurrent connections a server holds with edit-to-peer p99 under 100 ms.

Meetings of C clients are added step by step (the connections of earlier steps stay), every
client typing at a modest rate and moving its presence; each step is measured for a few
seconds. A server's run ends at its first step that misses the bar (p99 ≥ 100 ms, or less
than 99 % of the owed deliveries arrived, or clients could not connect).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench.ours import prepare_meetings, sign_in, sqlite_url
from tests.bench.peers import LABELS, PEER_NAMES, running
from tests.bench.procstat import CpuMeter, mib, wait_quiet
from tests.bench.report import Table, ratio, write
from tests.bench.workload import Fleet, Window

P99_LIMIT_MS = 100.0
Step = tuple[int, Window, float]  # connections asked, the window, seconds to connect them


@dataclass
class CapacityConfig:
    steps: list[int] = field(default_factory=lambda: [200, 500, 1000, 1500, 2000, 3000])
    clients: int = 10
    rate: float = 0.5
    presence_rate: float = 0.5
    step_seconds: float = 8.0
    budget: float = 75.0  # seconds per server, after which no further step starts
    servers: list[str] = field(default_factory=lambda: ["ours", *PEER_NAMES])

    def params(self) -> str:
        steps = ",".join(str(s) for s in self.steps)
        return (
            f"--steps {steps} --clients {self.clients} --capacity-rate {self.rate} "
            f"--step-seconds {self.step_seconds}"
        )


def passed(window: Window, wanted: int) -> bool:
    return (
        window.server_alive
        and window.p99_ms < P99_LIMIT_MS
        and window.delivered_share >= 0.99
        and window.clients >= 0.99 * wanted
    )


async def run(cfg: CapacityConfig) -> None:
    results: dict[str, list[Step]] = {}
    meetings_needed = -(-max(cfg.steps) // cfg.clients)
    with tempfile.TemporaryDirectory(prefix="bench-capacity-") as tmp:
        url = sqlite_url(str(Path(tmp) / "ours.db"))
        meetings = await prepare_meetings(url, meetings_needed, cfg.clients)
        rooms = [(m.meeting_id, m.seed) for m in meetings]
        for name in cfg.servers:
            print(f"capacity: {name} …", flush=True)
            async with running(name, "capacity", url) as server:
                if name == "ours":
                    took = await sign_in(server, meetings)
                    print(f"  signed in {len(meetings) * cfg.clients} seats in {took:.1f} s")
                await wait_quiet()
                fleet = Fleet(server)
                try:
                    results[name] = await step_up(fleet, rooms, cfg)
                finally:
                    await fleet.close()
    report(cfg, results)


async def step_up(
    fleet: Fleet, rooms: list[tuple[str, bytes]], cfg: CapacityConfig, pids: Sequence[int] = ()
) -> list[Step]:
    """Add meetings step by step until a step misses the bar or the time budget is spent.
    ``pids``: processes whose CPU each step also prints (several processes)."""
    rows: list[Step] = []
    started = time.monotonic()
    fleet.type(cfg.rate, cfg.presence_rate)
    opened = 0
    for step in cfg.steps:
        if time.monotonic() - started > cfg.budget:
            print("  time budget spent; stopping")
            break
        want = -(-step // cfg.clients)
        t0 = time.monotonic()
        await fleet.add_rooms(rooms[opened:want], cfg.clients, parallel_rooms=20)
        connect_s = time.monotonic() - t0
        opened = want
        await fleet.measure(2.0, drain=0)  # let the new clients settle
        meters = [CpuMeter(pid) for pid in pids]
        for meter in meters:
            meter.start()
        window = await fleet.measure(cfg.step_seconds, drain=3.0)
        shares = " + ".join(f"{meter.percent():.0f}" for meter in meters)
        rows.append((step, window, connect_s))
        ok = passed(window, step)
        print(
            f"  {window.clients} clients: p99 {window.p99_ms:.1f} ms, "
            f"delivered {100 * window.delivered_share:.1f} %, "
            f"server CPU {shares or f'{window.server_cpu:.0f}'} % "
            f"{'ok' if ok else 'MISSED'}",
            flush=True,
        )
        if not ok:
            break
    return rows


def held(rows: list[Step]) -> int:
    best = 0
    for step, window, _ in rows:
        if not passed(window, step):
            break
        best = window.clients
    return best


def report(
    cfg: CapacityConfig,
    results: dict[str, list[Step]],
    baseline: str = "ours",
    file: str = "capacity",
    notes: Sequence[str] = (),
) -> None:
    """The steps and the summary; ``results`` by server name (``LABELS``) or by a label of
    its own, each compared with ``baseline``'s."""
    steps = Table(
        f"Capacity steps: meetings of {cfg.clients}, {cfg.rate:g} edits/s and "
        f"{cfg.presence_rate:g} presence moves/s per client, {cfg.step_seconds:g} s per step",
        [
            "server",
            "clean",
            "connections",
            "p50 ms",
            "p99 ms",
            "delivered",
            "edits/s",
            "server CPU %",
            "CPU µs/message",
            "server RSS",
            "loadgen CPU %",
            "other CPU %",
            "connect s",
            "p99 < 100 ms",
        ],
    )
    for name, rows in results.items():
        for step, w, connect_s in rows:
            steps.add(
                LABELS.get(name, name),
                "yes" if w.clean else "no",
                w.clients,
                w.p50_ms,
                w.p99_ms,
                f"{100 * w.delivered_share:.1f} %",
                w.edits_per_s,
                w.server_cpu,
                w.server_us_per_frame,
                mib(w.server_rss),
                w.gen_cpu,
                w.other_cpu,
                connect_s,
                "yes" if passed(w, step) else "no",
            )
    steps.notes += [
        "a step passes with p99 < 100 ms, ≥ 99 % of owed deliveries arrived, and ≥ 99 % of "
        "the clients connected; connections of earlier steps stay open",
        "connect s: seconds to open and sync this step's new clients (20 meetings at a time)",
        "the load generator shares the 2 cores: at high counts its own CPU and lag are part of "
        "every latency",
        *notes,
    ]
    summary = Table(
        "Capacity: most connections held with p99 under 100 ms",
        ["server", "connections", f"÷ {LABELS.get(baseline, baseline)}"],
    )
    base = held(results[baseline]) if baseline in results else None
    for name, rows in results.items():
        best = held(rows)
        last = rows[-1][0] if rows else 0
        top = " (the largest step tried)" if rows and passed(rows[-1][1], last) else ""
        summary.add(
            LABELS.get(name, name),
            f"{best:,}{top}",
            "–" if name == baseline or base is None else ratio(best, base),
        )
    write(file, [summary, steps], cfg.params())
