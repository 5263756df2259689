"""``rondetafel family expired`` and ``rondetafel family erase`` as an operator runs them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli.test_cli import env_for, run


async def demo(tmp_path: Path) -> tuple[dict[str, str], str]:
    env = env_for(tmp_path, RONDETAFEL_DEMO="1")
    code, out, err = await run("demo", "--json", env=env)
    assert code == 0, err
    return env, json.loads(out)["family_id"]


def query(tmp_path: Path, sql: str, *args: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(tmp_path / "cli.db") as db:
        return db.execute(sql, args).fetchall()


async def test_expired_lists_by_the_retention_setting(tmp_path: Path) -> None:
    env, family_id = await demo(tmp_path)
    code, out, _ = await run("family", "expired", env=env)
    assert code == 0 and family_id not in out and "20 years" in out
    code, out, _ = await run("family", "expired", env={**env, "RONDETAFEL_RETENTION_YEARS": "0"})
    assert code == 0 and family_id in out and "Familie Bakker (demo)" in out
    assert query(tmp_path, "select count(*) from families") == [(1,)]  # listing erases nothing


async def test_erase_refuses_a_live_meeting_then_erases_when_the_server_is_stopped(
    tmp_path: Path,
) -> None:
    env, family_id = await demo(tmp_path)
    code, _, err = await run("family", "erase", family_id, "--yes", env=env)
    assert code == 2 and "live meeting" in err
    assert query(tmp_path, "select count(*) from people") == [(8,)]
    code, _, err = await run("family", "erase", "0" * 32, "--yes", env=env)
    assert code == 2 and "no family" in err
    code, out, err = await run("family", "erase", family_id, "--yes", "--server-stopped", env=env)
    assert code == 0, err
    assert "erased" in out and "people 8" in out
    for table in ("families", "people", "meetings", "plan_versions", "invites"):
        assert query(tmp_path, f"select count(*) from {table}") == [(0,)], table
    admin = query(
        tmp_path,
        "select actor_role, outcome, access_point from audit_log where action='erase_family'",
    )
    assert admin == [("admin", "ok", "cli")]
    raw = (tmp_path / "cli.db").read_bytes()
    assert b"Sanne Bakker" not in raw and b"Familie Bakker" not in raw
