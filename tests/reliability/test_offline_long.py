"""Offline tablets for longer (``make reliability``)."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.offline import offline_tablet


async def test_offline_for_minutes_with_many_edits(tmp_path: Path) -> None:
    for seed in range(3):
        problems = await offline_tablet(
            tmp_path / str(seed), seed=seed, offline_edits=200, offline_seconds=40.0 * seed
        )
        print(
            f"FIGURE offline seed {seed}: 600 offline edits, {40 * seed} s cut off, "
            f"{len(problems)} problems"
        )
        assert problems == []
