"""Twenty kill -9 rounds on three processes (100 in ``make reliability``): the process hosting
the most clients of the busiest meeting dies while ten clients type; they reconnect to the
others. Nothing another client had received or that was acknowledged is lost, nothing is
duplicated. Every client is synced again within 2 s (p99) in the 100 rounds of ``make
reliability``; here, beside a whole suite on a loaded 2-core machine, within ``LOADED_P99``
(each p99 of 20 rounds is the slowest of ~80 reconnects, most of them ten at once into a
process that has just started)."""

from __future__ import annotations

from pathlib import Path

from tests.cluster.kills import kill_rounds

LOADED_P99 = 6.0  # seconds; measured 1.0–4.4 s here at load average 8–13


async def test_twenty_kill_rounds_on_three_processes(pg_url: str, tmp_path: Path) -> None:
    report = await kill_rounds(pg_url, tmp_path, rounds=20, seed=20)
    print(
        f"FIGURE cluster kills: {report.rounds} rounds, {report.checked_items} items checked, "
        f"{len(report.losses)} lost, {len(report.duplicates)} duplicated, "
        f"resync p99 {report.p99():.3f} s"
    )
    assert report.losses == [] and report.duplicates == []
    assert report.p99() < LOADED_P99, sorted(report.resync_seconds)[-5:]
