"""A short offline-tablet run in every test run; ``make reliability`` runs longer ones."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.offline import offline_tablet


async def test_offline_tablet_edits_merge_exactly_once_across_a_server_restart(
    tmp_path: Path,
) -> None:
    assert await offline_tablet(tmp_path, seed=1) == []
