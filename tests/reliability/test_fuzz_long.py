"""100,000 hostile frames (``make reliability``)."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.fuzz import hostile_run, percentile_ms


async def test_hundred_thousand_hostile_frames(tmp_path: Path) -> None:
    report = await hostile_run(tmp_path, frames=100_000, seed=2026, attackers=2)
    before, during = (percentile_ms(v, 99) for v in (report.baseline, report.under_fuzz))
    print(
        f"FIGURE fuzz: {report.frames} frames in {report.seconds:.0f} s over "
        f"{report.connections} connections (2 attackers), "
        f"closes {dict(report.closes)}; other meeting p99 {before:.1f} ms "
        f"normal, {during:.1f} ms under fuzz"
    )
    assert report.hangs == []
    assert report.server_alive and report.room_serves
    assert during <= max(2 * before, 20.0)
