"""Offline tablets for longer (``make reliability``)."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.offline import offline_tablet


async def test_offline_for_minutes_with_many_edits(tmp_path: Path) -> None:
    for seed, minutes in enumerate((0.0, 1.0, 3.0)):
        problems = await offline_tablet(
            tmp_path / str(seed), seed=seed, offline_edits=200, offline_seconds=60 * minutes
        )
        print(
            f"FIGURE offline seed {seed}: 600 offline edits, {minutes:.0f} min cut off "
            f"(server restarted meanwhile), {len(problems)} problems"
        )
        assert problems == []
