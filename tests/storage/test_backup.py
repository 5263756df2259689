"""``rondetafel backup`` copies a live database consistently; a fresh instance on the copy
serves the same plans."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace
from pathlib import Path

from server.crdt import schema
from server.storage.backup import backup_sqlite
from tests.cli.test_cli import env_for, run
from tests.conftest import Family, LiveServer, sign_in
from tests.test_server import add_goal, connect, stored_plan


async def test_backup_of_a_live_database_restores_the_same_plans(
    server: LiveServer, family: Family, tmp_path: Path
) -> None:
    typist = await connect(server, await sign_in(server.http, family, "Sanne Bakker"))
    for i in range(10):
        add_goal(typist, f"g{i}", f"Doel {i} – geëvalueerd")
    await typist.wait_saved()
    typing = asyncio.create_task(_keep_typing(typist))  # the server keeps writing meanwhile
    target = tmp_path / "copy" / "backup.db"
    source = server.settings.sqlite_path()
    assert source is not None
    await asyncio.to_thread(backup_sqlite, source, target)
    typing.cancel()
    await asyncio.gather(typing, return_exceptions=True)
    await typist.wait_saved()
    with sqlite3.connect(target) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    restored = await LiveServer(
        replace(server.settings, database_url=f"sqlite+aiosqlite:///{target}")
    ).start()
    try:
        plan = stored_plan(restored, family.meeting_id)
        assert {f"g{i}" for i in range(10)} <= {g["id"] for g in plan["goals"]}
        # the copy is one consistent moment: a prefix of what the live database has now
        live = stored_plan(server, family.meeting_id)
        assert plan["goals"] == live["goals"][: len(plan["goals"])]
        reader = await connect(restored, await sign_in(restored.http, family, "Mark Bakker"))
        assert schema.extract(reader.doc)["goals"] == plan["goals"]
        await reader.close()
    finally:
        await restored.stop()
    await typist.close()


async def _keep_typing(client: object) -> None:
    from tests.yclient import YClient

    assert isinstance(client, YClient)
    for i in range(10_000):
        add_goal(client, f"late{i}", "Later getypt")
        await client.wait_saved()


async def test_backup_command_refuses_to_overwrite(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    assert (await run("demo", env=env))[0] == 0
    target = tmp_path / "b.db"
    code, out, err = await run("backup", str(target), env=env)
    assert code == 0 and "integrity ok" in out, err
    code, _, err = await run("backup", str(target), env=env)
    assert code == 2 and "exists already" in err
