"""A hundred crash rounds (``make reliability``)."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.crash import crash_rounds, graceful_stop


async def test_hundred_crash_rounds_lose_nothing(tmp_path: Path) -> None:
    report = await crash_rounds(tmp_path, rounds=100, seed=2026)
    print(
        f"FIGURE crash: {report.rounds} SIGKILL rounds, {report.checked_items} items checked, "
        f"{len(report.losses)} lost, {len(report.duplicates)} duplicated"
    )
    assert report.losses == [] and report.duplicates == []


async def test_sigterm_flushes_within_10s_every_time(tmp_path: Path) -> None:
    for seed in range(5):
        seconds, lost = await graceful_stop(tmp_path / str(seed), seed=seed)
        print(f"FIGURE SIGTERM seed {seed}: exit after {seconds:.2f} s, {len(lost)} lost")
        assert lost == [] and seconds < 10
