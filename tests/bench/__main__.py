"""``python -m tests.bench [--only NAME] [options]``: run the benchmarks, print and write tables.

Benchmarks: fanout, join, close, capacity, memory (all by default), and profile (only when
named: py-spy on our server under the fan-out load), update_format and gate (only when named:
``check_update``, and the whole gate, beside pycrdt's apply; no server) and processes (only
when named: one process beside two on PostgreSQL and Redis) and process_capacity (only when
named: capacity of one process and of two, on PostgreSQL and Redis). Tables go to
``test-output/bench/``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
from typing import TYPE_CHECKING

from tests.bench.peers import PEER_NAMES

if TYPE_CHECKING:
    from tests.bench.capacity import CapacityConfig

BENCHMARKS = ("fanout", "join", "close", "capacity", "memory")
EXTRA = ("profile", "update_format", "gate", "processes", "process_capacity")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument(
        "--only",
        action="append",
        choices=BENCHMARKS + EXTRA,
        help="run only this benchmark (repeatable)",
    )
    parser.add_argument(
        "--servers",
        default=",".join(["ours", *PEER_NAMES]),
        help="comma-separated servers to run: ours,node-mem,node-leveldb,pycrdt-ws",
    )
    parser.add_argument(
        "--priority",
        type=int,
        default=0,
        help="nice value for the benchmark and every server it starts (e.g. -10 on a machine "
        "shared with other work; below 0 needs root)",
    )
    fan = parser.add_argument_group("fanout, capacity and profile")
    fan.add_argument("--meetings", type=int, default=50, help="live meetings (fanout)")
    fan.add_argument("--clients", type=int, default=10, help="clients per meeting")
    fan.add_argument("--rate", type=float, default=2.0, help="edits/s per client")
    fan.add_argument("--presence-rate", type=float, default=1.0, help="presence moves/s")
    fan.add_argument("--duration", type=float, default=15.0, help="measured seconds")
    fan.add_argument(
        "--no-echo", action="store_true", help="clients do not re-send received awareness"
    )
    fan.add_argument(
        "--steps",
        default="200,500,1000,1500,2000,2500,3000",
        help="capacity: connection counts to try, in order",
    )
    fan.add_argument("--step-seconds", type=float, default=8.0, help="capacity: s per step")
    fan.add_argument(
        "--capacity-rate", type=float, default=0.5, help="capacity: edits/s per client"
    )
    fan.add_argument(
        "--postgres", action="store_true", help="profile: on PostgreSQL + Redis (not SQLite)"
    )
    other = parser.add_argument_group("join, close and memory")
    other.add_argument("--edits", type=int, default=20_000, help="edits in the history log")
    other.add_argument("--samples", type=int, default=5, help="join/close samples")
    other.add_argument("--live", type=int, default=100, help="memory: live meetings × clients")
    other.add_argument(
        "--churn", type=int, default=3_000, help="memory: meetings opened and left (spec: 10000)"
    )
    other.add_argument("--rounds", type=int, default=7, help="update_format, gate: best of N")
    return parser.parse_args(argv)


def capacity_config(args: argparse.Namespace, servers: list[str]) -> CapacityConfig:
    from tests.bench.capacity import CapacityConfig

    return CapacityConfig(
        steps=[int(s) for s in args.steps.split(",")],
        clients=args.clients,
        rate=args.capacity_rate,
        step_seconds=args.step_seconds,
        servers=servers,
    )


async def main(args: argparse.Namespace) -> None:
    servers = [s.strip() for s in args.servers.split(",") if s.strip()]
    chosen = args.only or list(BENCHMARKS)
    for name in chosen:
        if name == "fanout":
            from tests.bench import fanout

            await fanout.run(
                fanout.FanoutConfig(
                    meetings=args.meetings,
                    clients=args.clients,
                    rate=args.rate,
                    presence_rate=args.presence_rate,
                    duration=args.duration,
                    echo=not args.no_echo,
                    servers=servers,
                )
            )
        elif name == "join":
            from tests.bench import join

            await join.run(join.JoinConfig(edits=args.edits, samples=args.samples, servers=servers))
        elif name == "close":
            from tests.bench import close

            await close.run(close.CloseConfig(edits=args.edits, samples=args.samples))
        elif name == "capacity":
            from tests.bench import capacity

            await capacity.run(capacity_config(args, servers))
        elif name == "memory":
            from tests.bench import memory

            await memory.run(
                memory.MemoryConfig(
                    live=args.live, clients=args.clients, churn=args.churn, servers=servers
                )
            )
        elif name == "gate":
            from tests.bench import gate

            await gate.run(gate.GateConfig(rounds=args.rounds))
        elif name == "update_format":
            from tests.bench import update_format

            await update_format.run(update_format.UpdateFormatConfig(rounds=args.rounds))
        elif name == "process_capacity":
            from tests.bench import process_capacity

            await process_capacity.run(capacity_config(args, ["ours"]))
        elif name == "processes":
            from tests.bench import processes

            await processes.run(
                processes.ProcessesConfig(
                    meetings=args.meetings,
                    clients=args.clients,
                    rate=args.rate,
                    presence_rate=args.presence_rate,
                    duration=args.duration,
                )
            )
        elif name == "profile":
            from tests.bench import profile

            await profile.run(
                profile.ProfileConfig(
                    meetings=args.meetings,
                    clients=args.clients,
                    rate=args.rate,
                    presence_rate=args.presence_rate,
                    duration=max(args.duration, 20.0),
                    postgres=args.postgres,
                )
            )


def run(argv: list[str] | None = None) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # thousands of sockets
    os.environ.setdefault("RUST_BACKTRACE", "0")
    args = parse(argv)
    if args.priority:
        os.setpriority(os.PRIO_PROCESS, 0, args.priority)  # inherited by the servers
    try:
        import uvloop

        uvloop.run(main(args))
    except ImportError:
        asyncio.run(main(args))
    sys.stdout.flush()


if __name__ == "__main__":
    run()
