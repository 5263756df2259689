"""A few storage-level SIGKILLs in every test run; ``make reliability`` runs fifty."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.storage_crash import kill_rounds


async def test_kill_in_group_commit_or_compaction_tears_nothing(tmp_path: Path) -> None:
    assert await kill_rounds(tmp_path, rounds=3, seed=4) == []
