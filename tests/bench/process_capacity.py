"""Capacity per added process (issue 20): the most connections held with edit-to-peer p99
under 100 ms by one process, and by two, on PostgreSQL and Redis, stepping up as
``capacity.py`` does. Every meeting's clients reach one process (meeting m on process
m % N), as behind the balancer, which hashes by meeting id: a process added takes whole
meetings, and what it adds is its own CPU, if the machine has a core for it.

``make bench ONLY=process_capacity``; needs ``RONDETAFEL_TEST_POSTGRES_URL``.
"""

from __future__ import annotations

from tests.bench.capacity import CapacityConfig, held, report, step_up
from tests.bench.ours import prepare_meetings, sign_in
from tests.bench.processes import Spread, backing, serving
from tests.bench.procstat import wait_quiet
from tests.bench.workload import Fleet

COUNTS = (1, 2)


def label(count: int) -> str:
    return f"ours, {count} process{'es' if count > 1 else ''} (PostgreSQL + Redis)"


async def run(cfg: CapacityConfig) -> None:
    results = {}
    async with backing() as (url, redis_url):
        meetings = await prepare_meetings(url, -(-max(cfg.steps) // cfg.clients), cfg.clients)
        rooms = [(m.meeting_id, m.seed) for m in meetings]
        signed = False
        for count in COUNTS:
            print(f"process capacity: {label(count)} …", flush=True)
            async with serving(url, redis_url, count) as servers:
                if not signed:  # invites work once; the sessions serve every run
                    took = await sign_in(servers[0], meetings)
                    print(f"  signed in {len(meetings) * cfg.clients} seats in {took:.1f} s")
                    signed = True
                await wait_quiet()
                fleet = Fleet(Spread(servers, meetings, pinned=True))  # type: ignore[arg-type]
                try:
                    results[label(count)] = await step_up(
                        fleet, rooms, cfg, [s.pid for s in servers]
                    )
                finally:
                    await fleet.close()
            print(f"  held {held(results[label(count)]):,}", flush=True)
    report(
        cfg,
        results,
        baseline=label(1),
        file="process_capacity",
        notes=[
            "meeting m's clients all on process m % N (the balancer's hash by meeting id); "
            "'server CPU %' is the first process's, the others are in 'other CPU %'",
            "on this machine's 2 cores the load generator, PostgreSQL and Redis share the "
            "cores with the processes: a second process can add only what is left",
        ],
    )
