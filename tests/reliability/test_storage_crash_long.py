"""Fifty storage-level SIGKILLs in group commits and compactions (``make reliability``)."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.storage_crash import kill_rounds


async def test_fifty_kills_tear_nothing(tmp_path: Path) -> None:
    problems = await kill_rounds(tmp_path, rounds=50, seed=2026)
    print(f"FIGURE storage kills: 50 rounds, {len(problems)} problems")
    assert problems == []
