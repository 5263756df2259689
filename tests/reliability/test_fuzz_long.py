"""100,000 hostile frames (``make reliability``)."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.fuzz import hostile_run


async def test_hundred_thousand_hostile_frames(tmp_path: Path) -> None:
    report = await hostile_run(tmp_path, frames=100_000, seed=2026, attackers=2)
    print(
        f"FIGURE fuzz: {report.frames} frames in {report.seconds:.0f} s over "
        f"{report.connections} connections (2 attackers), "
        f"closes {dict(report.closes)}; other meeting p99 {report.baseline_p99_ms:.1f} ms "
        f"normal, {report.under_fuzz_p99_ms:.1f} ms under fuzz"
    )
    assert report.hangs == []
    assert report.server_alive and report.room_serves
    assert report.under_fuzz_p99_ms <= max(2 * report.baseline_p99_ms, 20.0)
