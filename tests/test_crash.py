"""A few crash rounds in every test run; ``make reliability`` runs a hundred."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.crash import crash_rounds


async def test_no_update_that_a_client_received_is_lost_in_a_crash(tmp_path: Path) -> None:
    report = await crash_rounds(tmp_path, rounds=3, seed=7)
    assert report.rounds == 3 and report.checked_items > 0
    assert report.losses == [] and report.duplicates == []


async def test_sigterm_under_load_flushes_every_pending_write_within_10s(tmp_path: Path) -> None:
    from tests.reliability.crash import graceful_stop

    seconds, lost = await graceful_stop(tmp_path, seed=3)
    print(f"FIGURE SIGTERM under load (10 clients x 20 edits/s): exit after {seconds:.2f} s")
    assert lost == []
    assert seconds < 10
