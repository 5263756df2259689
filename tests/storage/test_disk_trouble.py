"""Disk trouble: while writes fail nothing is acknowledged or relayed; it recovers with the disk.

A full disk cannot be made safely on a shared machine, so the failure is injected at the
store's append: the one fake part. Everything else is the real server and database."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence

from server.crdt.store import LogEntry
from server.storage.update_store import SqlUpdateStore
from tests.conftest import Family, LiveServer, sign_in
from tests.test_server import add_goal, connect, goals, stored_plan


class FlakyDisk:
    """Wraps the real store's append; while ``broken`` every append raises like a full disk."""

    def __init__(self, store: SqlUpdateStore):
        self.store = store
        self.real_append = store.append
        self.broken = False
        self.failures = 0
        self.failed = asyncio.Event()
        store.append = self.append  # type: ignore[method-assign]

    async def append(self, batch: Sequence[LogEntry]) -> None:
        if self.broken:
            self.failures += 1
            self.failed.set()
            raise OSError(28, "No space left on device (injected)")
        await self.real_append(batch)


async def test_nothing_is_acknowledged_that_is_not_on_disk(
    server: LiveServer, family: Family
) -> None:
    disk = FlakyDisk(server.rooms.store)
    writer = await connect(server, await sign_in(server.http, family, "Sanne Bakker"))
    reader = await connect(server, await sign_in(server.http, family, "Oma Ria"))
    add_goal(writer, "g-before", "Voor de storing")
    await writer.wait_saved()
    saved_before = writer.saved

    disk.broken = True
    add_goal(writer, "g-during", "Tijdens de storing")
    await asyncio.wait_for(disk.failed.wait(), 5)
    disk.failed.clear()
    await asyncio.wait_for(disk.failed.wait(), 5)  # the writer retried, and failed again
    assert writer.saved == saved_before  # no "opgeslagen" for what is not on disk
    assert all(g["id"] != "g-during" for g in goals(reader))  # and nobody else saw it
    assert all(g["id"] != "g-during" for g in stored_plan(server, family.meeting_id)["goals"])
    path = server.settings.sqlite_path()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    disk.broken = False  # the disk recovers: the writer's retry gets it through
    await writer.wait_saved(timeout=10)
    await reader.wait_for(lambda: any(g["id"] == "g-during" for g in goals(reader)))
    assert any(g["id"] == "g-during" for g in stored_plan(server, family.meeting_id)["goals"])
    assert disk.failures >= 1
    await writer.close()
    await reader.close()
