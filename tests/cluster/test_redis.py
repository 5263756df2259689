"""Redis may fail; the meeting converges all the same (5 restart rounds here, 20 in
``make reliability``)."""

from __future__ import annotations

import random
from pathlib import Path

from tests.cluster.harness import cluster
from tests.cluster.redis_rounds import converged, redis_restart_rounds, table, type_for


async def test_redis_killed_and_restarted_mid_meeting(pg_url: str, tmp_path: Path) -> None:
    async with cluster(pg_url, tmp_path, size=2) as group:
        seconds = await redis_restart_rounds(group, rounds=5, seed=5)
    print(
        f"FIGURE redis restarts: {len(seconds)} rounds, reconverged after max {max(seconds):.2f} s"
    )
    assert max(seconds) < 1.0 + 0.5  # the repair timer's second, plus a loaded machine's margin


async def test_dropped_doorbells_are_repaired_from_the_log(pg_url: str, tmp_path: Path) -> None:
    """Every process ignores half of what Redis brings: the gaps are read from the log."""
    async with cluster(pg_url, tmp_path, size=2, bus_drop_rate="0.5") as group:
        members, clients = await table(group, 6)
        await type_for(clients, 2.0, 0, random.Random(6))
        took = await converged(group.url, members, clients, timeout=3)
        print(f"FIGURE dropped doorbells: converged {took:.2f} s after typing stopped")
        for client in clients:
            await client.close()
