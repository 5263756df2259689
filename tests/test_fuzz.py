"""A short hostile-input run in every test run; ``make reliability`` sends 100,000 frames."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.fuzz import hostile_run


async def test_malformed_frames_never_take_down_the_server_or_slow_others(
    tmp_path: Path,
) -> None:
    report = await hostile_run(tmp_path, frames=600, seed=5)
    print(
        f"FIGURE fuzz: {report.frames} frames in {report.seconds:.1f} s, "
        f"{report.connections} connections, "
        f"closes {dict(report.closes)}, other meeting p99 {report.baseline_p99_ms:.1f} ms "
        f"-> {report.under_fuzz_p99_ms:.1f} ms"
    )
    assert report.hangs == []
    assert report.server_alive and report.room_serves
    assert report.closes[1007] > 0 and report.closes[1003] > 0
    assert report.closes[4422] > 0  # wrong kinds and forbidden paths: the gate (issue 14)
    # twice the normal p99; this short run has ~100 samples on a shared 2-core machine, so
    # p99s under 50 ms are noise here (the long run in tests/reliability holds a 20 ms floor)
    assert report.under_fuzz_p99_ms <= max(2 * report.baseline_p99_ms, 50.0)
