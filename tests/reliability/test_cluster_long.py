"""The long multi-process runs (``make reliability``): 100 kill -9 rounds, 20 Redis restarts."""

from __future__ import annotations

from pathlib import Path

from tests.cluster.harness import cluster, pg_url
from tests.cluster.kills import kill_rounds
from tests.cluster.redis_rounds import redis_restart_rounds

__all__ = ["pg_url"]


async def test_hundred_kill_rounds_on_three_processes(pg_url: str, tmp_path: Path) -> None:
    report = await kill_rounds(pg_url, tmp_path, rounds=100, seed=2026)
    print(
        f"FIGURE cluster kills: {report.rounds} rounds, {report.checked_items} items checked, "
        f"{len(report.losses)} lost, {len(report.duplicates)} duplicated, "
        f"resync p99 {report.p99():.3f} s"
    )
    assert report.losses == [] and report.duplicates == [] and report.p99() < 2.0


async def test_twenty_redis_restarts(pg_url: str, tmp_path: Path) -> None:
    async with cluster(pg_url, tmp_path, size=2) as group:
        seconds = await redis_restart_rounds(group, rounds=20, seed=20)
    print(f"FIGURE redis restarts: {len(seconds)} rounds, reconverged within {max(seconds):.2f} s")
    assert max(seconds) < 1.5
