"""Edit batches in the audit log: a client typing on a real server produces audit rows per
period and at disconnect, never one per keystroke, and the counts add up."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from pathlib import Path

from pycrdt import Text
from sqlalchemy import select

from server.settings import Settings
from server.storage.db import create_engine, migrate
from server.storage.models import AuditEvent
from tests.conftest import Family, LiveServer, make_family, sign_in
from tests.server_process import ServerProcess, free_port
from tests.yclient import YClient

COUNT = re.compile(r"; (\d+) changes$")


async def edit_rows(settings: Settings, wanted: int, timeout: float = 10.0) -> list[AuditEvent]:
    """The edit_batch rows, once their counts add up to ``wanted`` (the last row is written
    when the server sees the disconnect)."""
    engine = create_engine(settings.database_url)
    try:
        async with asyncio.timeout(timeout):
            while True:
                async with engine.connect() as conn:
                    rows = list(
                        (
                            await conn.execute(
                                select(AuditEvent)
                                .where(AuditEvent.action == "edit_batch")
                                .order_by(AuditEvent.id)
                            )
                        ).all()
                    )
                if sum(_count(r) for r in rows) >= wanted:
                    return rows  # type: ignore[return-value]
                await asyncio.sleep(0.05)  # polling the database for the row to appear
    finally:
        await engine.dispose()


def _count(row: AuditEvent) -> int:
    match = COUNT.search(row.detail)
    assert match, row.detail
    return int(match.group(1))


async def type_keys(client: YClient, keys: int) -> None:
    text = client.doc.get("strengths", type=Text)
    for i in range(keys):
        text.insert(len(text), str(i % 10))  # one keystroke, one update
    await client.wait_saved()


async def test_one_row_for_a_burst_of_keystrokes(settings: Settings) -> None:
    live = await LiveServer(settings).start()  # default period: 60 s
    try:
        family: Family = await make_family(live.settings)
        sanne = await sign_in(live.http, family, "Sanne Bakker")
        tablet = await YClient(sanne.ws_url(live.ws), sanne.cookie).connect()
        await type_keys(tablet, 40)
        await tablet.close()
        rows = await edit_rows(live.settings, 40)
        assert len(rows) == 1 and _count(rows[0]) == 40
        row = rows[0]
        assert row.family_id == family.family_id and row.actor_role == "family"
        assert row.actor_id and row.access_point == f"ws:{family.meeting_id}"
        assert "Sanne" not in row.detail and row.outcome == "ok"
    finally:
        await live.stop()


async def test_rows_per_period_while_typing_and_counts_add_up(settings: Settings) -> None:
    live = await LiveServer(replace(settings, audit_edit_seconds=0.2)).start()
    try:
        family = await make_family(live.settings)
        sanne = await sign_in(live.http, family, "Sanne Bakker")
        tablet = await YClient(sanne.ws_url(live.ws), sanne.cookie).connect()
        for _ in range(3):
            await type_keys(tablet, 20)
            await asyncio.sleep(0.25)  # let one audit period pass: the policy is time-based
        await tablet.close()
        rows = await edit_rows(live.settings, 60)
        assert sum(_count(r) for r in rows) == 60
        assert 2 <= len(rows) <= 4, [r.detail for r in rows]  # per period, not per keystroke
    finally:
        await live.stop()


async def test_a_read_only_screen_that_sends_edits_writes_no_edit_rows(
    settings: Settings,
) -> None:
    live = await LiveServer(settings).start()
    try:
        family = await make_family(live.settings)
        screen = await sign_in(live.http, family, family.name_of("screen"))
        sanne = await sign_in(live.http, family, "Sanne Bakker")
        wall = await YClient(screen.ws_url(live.ws, saved=False), screen.cookie).connect()
        wall.doc.get("strengths", type=Text).insert(0, "mag niet")
        tablet = await YClient(sanne.ws_url(live.ws), sanne.cookie).connect()
        await type_keys(tablet, 3)
        await wall.close()
        await tablet.close()
        rows = await edit_rows(live.settings, 3)
        assert [(r.actor_role, _count(r)) for r in rows] == [("family", 3)]
    finally:
        await live.stop()


async def test_edits_of_a_process_killed_mid_period_reach_the_audit_log(tmp_path: Path) -> None:
    """The period's edit batch used to live in memory until the period ended: kill -9 lost
    it. Now each durable update names its writer, so the restarted process audits them."""
    db_path = tmp_path / "crash.db"
    url = f"sqlite+aiosqlite:///{db_path}"
    await asyncio.to_thread(migrate, url)
    port = free_port()
    settings = Settings(database_url=url, demo=True, port=port)
    family = await make_family(settings)
    server = await ServerProcess(db_path, port, audit_edit_seconds="3600").start()
    try:
        sanne = await sign_in(server.http, family, "Sanne Bakker")
        tablet = await YClient(sanne.ws_url(server.ws), sanne.cookie).connect()
        await type_keys(tablet, 25)  # told "opgeslagen": durable, not yet audited
        await server.kill()
        assert await edit_rows(settings, 0) == []  # the period never ended
        await tablet.close()
        await server.start()
        rows = await edit_rows(settings, 25)
        assert [(r.actor_role, r.family_id, _count(r)) for r in rows] == [
            ("family", family.family_id, 25)
        ]
    finally:
        await server.terminate()
