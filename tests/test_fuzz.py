"""A short hostile-input run in every test run; ``make reliability`` sends 100,000 frames."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.fuzz import hostile_run, percentile_ms


async def test_malformed_frames_never_take_down_the_server_or_slow_others(
    tmp_path: Path,
) -> None:
    report = await hostile_run(tmp_path, frames=600, seed=5)
    before, during = (
        {q: percentile_ms(values, q) for q in (50, 95, 99)}
        for values in (report.baseline, report.under_fuzz)
    )
    print(
        f"FIGURE fuzz: {report.frames} frames in {report.seconds:.1f} s, "
        f"{report.connections} connections, "
        f"closes {dict(report.closes)}; other meeting p50/p95/p99 "
        f"{before[50]:.1f}/{before[95]:.1f}/{before[99]:.1f} ms -> "
        f"{during[50]:.1f}/{during[95]:.1f}/{during[99]:.1f} ms"
    )
    assert report.hangs == []
    assert report.server_alive and report.room_serves
    assert report.closes[1007] > 0 and report.closes[1003] > 0
    assert report.closes[4422] > 0  # wrong kinds and forbidden paths: the gate (issue 14)
    # twice the normal p95. This short run has a few hundred samples on a shared 2-core machine,
    # where the server, the fuzzer and both clients take turns for the cores: its few slowest
    # (the p99) are the scheduler's, and under 50 ms is noise. A server that stalls on a frame
    # moves the p95; the long run in tests/reliability holds the p99 to a 20 ms floor.
    assert during[95] <= max(2 * before[95], 50.0)
