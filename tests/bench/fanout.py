"""Fan-out: R meetings × C clients typing into actions (words, evaluations) and moving presence.

Every server gets the same rooms (the meeting ids and seeded documents of ours), the same
clients and the same rates, one after the other in one run. Edit-to-peer latency is measured
from the moment an edit is handed to the socket to the moment each other client reads it.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench.ours import prepare_meetings, sign_in, sqlite_url, use_seats
from tests.bench.peers import LABELS, OURS, PEER_NAMES, running
from tests.bench.procstat import mib, wait_quiet
from tests.bench.report import Table, ratio, write
from tests.bench.workload import Fleet, Window


@dataclass
class FanoutConfig:
    meetings: int = 50
    clients: int = 10
    rate: float = 2.0  # edits per second per client (a typing person)
    presence_rate: float = 1.0  # presence moves per second per client
    warmup: float = 3.0
    duration: float = 15.0
    drain: float = 5.0
    echo: bool = True  # clients re-send awareness they receive, as stock clients do
    servers: list[str] = field(default_factory=lambda: ["ours", *PEER_NAMES])

    def params(self) -> str:
        return (
            f"--meetings {self.meetings} --clients {self.clients} --rate {self.rate} "
            f"--presence-rate {self.presence_rate} --duration {self.duration}"
        )


async def run(cfg: FanoutConfig) -> dict[str, Window]:
    results: dict[str, Window] = {}
    with tempfile.TemporaryDirectory(prefix="bench-fanout-") as tmp:
        url = sqlite_url(str(Path(tmp) / "ours.db"))
        meetings = await prepare_meetings(url, cfg.meetings, cfg.clients)
        rooms = [(m.meeting_id, m.seed) for m in meetings]
        for name in cfg.servers:
            print(f"fanout: {name} …", flush=True)
            async with running(name, "fanout", url) as server:
                if name in OURS and not meetings[0].seats:
                    took = await sign_in(server, meetings)
                    print(f"  signed in {cfg.meetings * cfg.clients} seats in {took:.1f} s")
                elif name in OURS:
                    use_seats(server, meetings)
                await wait_quiet()
                fleet = Fleet(server, cfg.echo)
                try:
                    await fleet.add_rooms(rooms, cfg.clients)
                    fleet.type(cfg.rate, cfg.presence_rate)
                    await fleet.measure(cfg.warmup, drain=0)
                    window = await fleet.measure(cfg.duration, cfg.drain)
                finally:
                    await fleet.close()
                if fleet.stats.closes:
                    print(f"  closes/errors: {dict(fleet.stats.closes)}")
                results[name] = window
                print(f"  p50 {window.p50_ms:.2f} ms  p99 {window.p99_ms:.2f} ms", flush=True)
    report(cfg, results)
    return results


def report(cfg: FanoutConfig, results: dict[str, Window]) -> None:
    shape = f"{cfg.meetings} meetings × {cfg.clients} clients"
    figures = Table(
        f"Fan-out, {shape}, {cfg.rate:g} edits/s and {cfg.presence_rate:g} presence moves/s "
        f"per client, {cfg.duration:g} s",
        [
            "server",
            "clean",
            "clients",
            "edits/s",
            "to peers/s",
            "delivered",
            "p50 ms",
            "p99 ms",
            "max ms",
            "frames in/edit",
            "updates/edit",
            "server CPU %",
            "CPU µs/message",
            "server RSS",
            "loadgen CPU %",
            "loadgen lag p99 ms",
            "other CPU %",
            "sync p50 ms",
        ],
    )
    for name, w in results.items():
        figures.add(
            LABELS[name],
            "yes" if w.clean else "no",
            w.clients,
            w.edits_per_s,
            w.peer_deliveries_per_s,
            f"{100 * w.delivered_share:.2f} %",
            w.p50_ms,
            w.p99_ms,
            w.max_ms,
            w.frames_per_edit,
            w.doc_frames_per_edit,
            w.server_cpu,
            w.server_us_per_frame,
            mib(w.server_rss),
            w.gen_cpu,
            w.gen_lag_p99_ms,
            w.other_cpu,
            w.connect_p50_ms,
        )
    figures.notes += [
        "latency: edit handed to the socket → read by each other client of the meeting "
        "(one clock, one process); 'to peers/s' = those deliveries per second, 'delivered' "
        "= the share of them that arrived (within the window plus a drain)",
        "frames in/edit counts every frame clients received (updates, awareness, echoes of "
        "their own edit) per edit sent; updates/edit only the document updates",
        "clients re-send awareness entries they receive with a newer clock, as stock "
        "y-websocket clients do" + ("" if cfg.echo else " (off in this run)"),
        "server CPU is % of one core over the window (from /proc); the load generator runs "
        "on the same 2 cores: when its CPU nears 100 % its lag inflates every latency; "
        "'other CPU' is what the rest of the machine (other sessions) used meanwhile: when it "
        "is high, every figure of that row is pessimistic",
        "CPU µs/message: server CPU ÷ every websocket message it received or sent",
        "sync: socket opened → sync step 2 received, while the room's clients connect "
        "(10 rooms at a time)",
        "clean: the load generator's loop lag p99 ≤ 50 ms and other work on the machine ≤ 30 % "
        "of a core; a row that is not clean measured the machine as much as the server",
    ]
    for name, w in results.items():
        if not w.server_alive:
            figures.notes.append(f"{LABELS[name]}: the server process exited during the run")
    tables = [figures]
    ours = results.get("ours")
    if ours is not None:
        ratios = Table(
            f"Fan-out ratios, ours ÷ peer ({shape}; latency and CPU: below 1 is better; "
            "throughput: above 1 is better)",
            ["peer", "p50", "p99", "to peers/s", "server CPU", "CPU per message", "server RSS"],
        )
        for name, w in results.items():
            if name == "ours":
                continue
            ratios.add(
                LABELS[name],
                ratio(ours.p50_ms, w.p50_ms),
                ratio(ours.p99_ms, w.p99_ms),
                ratio(ours.peer_deliveries_per_s, w.peer_deliveries_per_s),
                ratio(ours.server_cpu, w.server_cpu),
                ratio(ours.server_us_per_frame, w.server_us_per_frame),
                ratio(ours.server_rss, w.server_rss),
            )
        ratios.notes.append(
            "to peers/s counts deliveries to the other clients only: the Node servers and "
            "pycrdt-websocket also send each update back to its author, ours does not"
        )
        tables.append(ratios)
    write("fanout", tables, cfg.params())
