"""Twenty kill -9 rounds on three processes (a hundred in ``make reliability``)."""

from __future__ import annotations

from pathlib import Path

from tests.cluster.kills import kill_rounds


async def test_kill_the_busiest_process_twenty_times(pg_url: str, tmp_path: Path) -> None:
    report = await kill_rounds(pg_url, tmp_path, rounds=20, seed=20)
    print(
        f"FIGURE cluster kills: {report.rounds} rounds, {report.checked_items} items checked, "
        f"{len(report.losses)} lost, {len(report.duplicates)} duplicated, "
        f"resync p99 {report.p99():.3f} s (max {max(report.resync_seconds):.3f} s)"
    )
    assert report.losses == [] and report.duplicates == []
    assert report.p99() < 2.0
