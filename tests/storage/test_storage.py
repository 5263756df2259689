"""The SQL update store and the migrations, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import asyncio
import random
import sqlite3
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from pycrdt import Doc, Map, Text
from sqlalchemy import event, func, select

from server.crdt.store import LogEntry, squash
from server.privacy import audit
from server.privacy.edit_audit import audit_edits
from server.storage import update_store
from server.storage.db import alembic_config, create_engine, migrate
from server.storage.models import (
    AuditEvent,
    Base,
    DocumentSnapshot,
    DocumentUpdate,
    Family,
    Meeting,
)
from server.storage.sqlite_appender import SqliteAppender
from server.storage.update_store import SqlUpdateStore
from tests.conftest import sqlite_url

MakeMeeting = Callable[[str], Awaitable[tuple[SqlUpdateStore, str]]]


@pytest.fixture
async def make_meeting() -> AsyncIterator[MakeMeeting]:
    """A store on ``url`` with one family's live meeting; closed after the test whatever
    happened (a failed test left its connections open for the next one's garbage)."""
    stores: list[SqlUpdateStore] = []

    async def make(url: str) -> tuple[SqlUpdateStore, str]:
        engine = create_engine(url)
        stores.append(store := SqlUpdateStore(engine))
        async with engine.begin() as conn:
            await conn.execute(Family.__table__.insert().values(id="f1", name="F"))
            await conn.execute(
                Meeting.__table__.insert().values(
                    id="m1", family_id="f1", title="", status="live", join_code="ABC123"
                )
            )
        return store, "m1"

    yield make
    for store in stores:
        await store.close()
        await store.engine.dispose()


def edits(n: int) -> tuple[Doc, list[bytes]]:
    doc: Doc = Doc()
    text = doc.get("minutes", type=Text)
    out: list[bytes] = []
    doc.observe(lambda e: out.append(e.update))
    for i in range(n):
        text.insert(len(text), f"{i} Zoë; ")
    return doc, out


def replay(rows: list[bytes]) -> str:
    doc: Doc = Doc()
    for row in rows:
        doc.apply_update(row)
    return str(doc.get("minutes", type=Text))


async def test_append_load_and_compact(db_url: str, make_meeting: MakeMeeting) -> None:
    store, meeting = await make_meeting(db_url)
    doc, updates = edits(35)
    await store.append([LogEntry(meeting, u) for u in updates[:20]])
    await store.append([LogEntry(meeting, u) for u in updates[20:30]])
    first_30 = "".join(f"{i} Zoë; " for i in range(30))
    assert replay(await store.load(meeting)) == first_30
    assert await store.compact(meeting) == 30
    rows = await store.load(meeting)
    assert len(rows) == 1 and replay(rows) == first_30
    await store.append([LogEntry(meeting, u) for u in updates[30:]])
    assert await store.compact(meeting) == 5
    assert replay(await store.load(meeting)) == str(doc.get("minutes", type=Text))


async def test_compaction_keeps_edits_the_audit_has_not_counted(
    db_url: str, make_meeting: MakeMeeting
) -> None:
    """An edit's row is its only record of who made it until the edit ledger has audited
    it; compaction folds it into the snapshot but keeps the row until then."""
    store, meeting = await make_meeting(db_url)
    doc, updates = edits(12)
    await store.append([LogEntry(meeting, u, "p1", "family") for u in updates[:10]])
    await store.append([LogEntry(meeting, u) for u in updates[10:]])  # the server's own
    assert await store.compact(meeting) == 2  # only the server's rows go
    assert replay(await store.load(meeting)) == str(doc.get("minutes", type=Text))
    assert await audit_edits(store.engine) == 10
    assert await audit_edits(store.engine) == 0  # counted once
    assert await store.compact(meeting) == 10
    rows = await store.load(meeting)
    assert len(rows) == 1 and replay(rows) == str(doc.get("minutes", type=Text))
    async with store.engine.connect() as conn:
        details = list(
            await conn.scalars(select(AuditEvent.detail).where(AuditEvent.action == "edit_batch"))
        )
    assert len(details) == 1 and details[0].startswith(f"meeting {meeting}; 10 changes")


async def test_append_is_all_or_nothing(db_url: str, make_meeting: MakeMeeting) -> None:
    store, meeting = await make_meeting(db_url)
    _, updates = edits(3)
    try:
        await store.append([LogEntry(meeting, updates[0]), LogEntry("no-such-meeting", updates[1])])
    except Exception as exc:  # the foreign key refuses the second row
        assert "FOREIGN KEY" in str(exc).upper() or "foreign key" in str(exc)
    else:
        raise AssertionError("append with an unknown meeting must fail")
    async with store.engine.connect() as conn:
        assert (await conn.execute(select(DocumentUpdate.id))).all() == []


async def test_migrations_match_the_models(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = create_engine(db_url)
    async with engine.connect() as conn:
        diff = await conn.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
            )
        )
    await engine.dispose()
    assert diff == []


async def test_audit_row_of_a_probe_with_an_odd_family_id_is_still_written(db_url: str) -> None:
    from server.privacy import audit
    from server.storage.models import AuditEvent

    engine = create_engine(db_url)
    await audit.record(
        engine,
        audit.Actor("p1", "family", "f" * 32),
        "view_plan",
        "refused",
        family_id="x" * 500,
        access_point="/api/families/xxx/plan",
    )
    async with engine.connect() as conn:
        row = (await conn.execute(select(AuditEvent))).one()
    await engine.dispose()
    assert row.family_id is None and "x" * 64 in row.detail and "x" * 65 not in row.detail


async def test_appends_during_a_compaction_stay_in_the_log(
    db_url: str, make_meeting: MakeMeeting
) -> None:
    """Compaction folds what was in the log when it started; what is appended meanwhile
    (the table keeps typing) stays after it, and the snapshot row reads back as a model."""
    store, meeting = await make_meeting(db_url)
    _, updates = edits(60)
    await store.append([LogEntry(meeting, u) for u in updates[:30]])

    async def keep_typing() -> None:  # one append at a time, as the group-commit writer does
        for update in updates[30:]:
            await store.append([LogEntry(meeting, update)])

    folded, _ = await asyncio.gather(store.compact(meeting), keep_typing())
    assert 30 <= folded <= 60
    rows = await store.load(meeting)
    assert replay(rows) == "".join(f"{i} Zoë; " for i in range(60))
    assert len(rows) == 1 + 60 - folded
    async with store.engine.connect() as conn:
        snapshot = (await conn.execute(select(DocumentSnapshot))).one()
    assert snapshot.meeting_id == meeting and snapshot.updated_at.year >= 2026


async def test_a_load_racing_a_compaction_sees_every_update(
    tmp_path: Path, make_meeting: MakeMeeting
) -> None:
    """A compaction that swaps snapshot and log between the reads of a load must not make the
    load miss the folded rows (it did when snapshot and log were two SELECTs)."""
    url = sqlite_url(tmp_path)
    await asyncio.to_thread(migrate, url)
    store, meeting = await make_meeting(url)
    doc, updates = edits(10)
    await store.append([LogEntry(meeting, u) for u in updates])
    swapped = False

    def compact_behind_the_loads_back(
        conn: object, cursor: object, statement: str, *_: object
    ) -> None:
        nonlocal swapped
        if swapped or "SELECT" not in statement:
            return
        swapped = True  # another connection folds the whole log into a snapshot right now
        with sqlite3.connect(tmp_path / "rondetafel.db") as other:
            other.execute(
                "INSERT INTO document_snapshots (meeting_id, data, updated_at) VALUES (?, ?, ?)",
                (meeting, doc.get_update(), "2026-01-01"),
            )
            other.execute("DELETE FROM document_updates WHERE meeting_id = ?", (meeting,))

    event.listen(store.engine.sync_engine, "after_cursor_execute", compact_behind_the_loads_back)
    rows = await store.load(meeting)
    assert swapped
    assert replay(rows) == str(doc.get("minutes", type=Text))


async def test_audit_rows_that_arrive_together_are_committed_together(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    await asyncio.to_thread(migrate, url)
    engine = create_engine(url)
    commits = 0

    def count(_conn: object) -> None:
        nonlocal commits
        commits += 1

    event.listen(engine.sync_engine, "commit", count)
    actor = audit.Actor(None, "system")
    await asyncio.gather(*(audit.record(engine, actor, "view_plan", "ok") for _ in range(50)))
    async with engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(AuditEvent)) == 50
    assert commits <= 3  # the first row alone, then everything that waited meanwhile
    await engine.dispose()


async def test_hot_writes_take_turns_instead_of_waiting_in_sqlite(
    tmp_path: Path, make_meeting: MakeMeeting
) -> None:
    """The update log and the audit log never meet SQLite's busy handler (whose sleeps grow
    to 100 ms): with it switched off, concurrent writers would fail with "database is
    locked"; taking turns in the event loop, none does."""
    url = sqlite_url(tmp_path)
    await asyncio.to_thread(migrate, url)
    store, meeting = await make_meeting(url)

    def no_busy_wait(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=0")

    event.listen(store.engine.sync_engine, "connect", no_busy_wait)
    await store.engine.dispose()  # reconnect with the listener
    _, updates = edits(100)
    actor = audit.Actor(None, "system")
    await asyncio.gather(
        *(store.append([LogEntry(meeting, u)]) for u in updates),
        *(audit.record(store.engine, actor, "join_meeting", "ok") for _ in range(100)),
    )
    assert len(await store.load(meeting)) == 100


async def test_the_log_appender_reports_a_database_it_cannot_open_and_recovers(
    tmp_path: Path,
) -> None:
    """Appends run on their own thread: a failure comes back to the caller, never hangs it,
    and the next append tries again (a disk that was full or a directory that was missing)."""
    target = tmp_path / "later" / "rondetafel.db"
    appender = SqliteAppender(str(target))
    with pytest.raises(sqlite3.OperationalError):
        await asyncio.wait_for(appender.append([LogEntry("m1", b"\x00\x00")]), 5)
    target.parent.mkdir()
    with sqlite3.connect(target) as db:
        db.execute(
            "CREATE TABLE document_updates"
            " (meeting_id TEXT, data BLOB, author_id TEXT, author_role TEXT, audited INTEGER)"
        )
    await asyncio.wait_for(
        appender.append([LogEntry("m1", b"\x00\x00"), LogEntry("m1", b"\x01")]), 5
    )
    await appender.close()
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT count(*) FROM document_updates").fetchone()[0] == 2


async def test_concurrent_appends_and_compactions_lose_nothing(
    db_url: str, make_meeting: MakeMeeting
) -> None:
    """Writers whose transactions stay open a moment (another process's group commit: its
    ids are drawn at insert, its commit comes later) and two compactions at once, over and
    over: every row ends up in the log or in the snapshot, none is deleted unfolded. With
    ``DELETE … id <= max(id)`` PostgreSQL lost rows here."""
    store, meeting = await make_meeting(db_url)
    rng = random.Random(20)
    writers, rows_each = 4, 30
    done = asyncio.Event()

    def key_update(key: str) -> bytes:
        doc: Doc = Doc()
        doc.get("keys", type=Map)[key] = 1
        return doc.get_update()

    async def write(writer: int) -> None:
        for i in range(rows_each):
            async with store.engine.begin() as conn:
                await conn.execute(
                    DocumentUpdate.__table__.insert().values(
                        meeting_id=meeting, data=key_update(f"{writer}-{i}"), audited=True
                    )
                )
                await asyncio.sleep(rng.random() * 0.01)  # committed later than its id says

    async def compact() -> int:
        folded = 0
        while not done.is_set():
            folded += await store.compact(meeting)
            await asyncio.sleep(0)
        return folded

    compactions = [asyncio.create_task(compact()) for _ in range(2)]
    await asyncio.gather(*(write(w) for w in range(writers)))
    done.set()
    assert sum(await asyncio.gather(*compactions)) > 0
    await store.compact(meeting)
    doc: Doc = Doc()
    for row in await store.load(meeting):
        doc.apply_update(row)
    keys = doc.get("keys", type=Map)
    missing = {f"{w}-{i}" for w in range(writers) for i in range(rows_each)} - set(keys.keys())
    assert missing == set()


async def test_a_compaction_overtaken_while_it_replays_folds_nothing_new(
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    make_meeting: MakeMeeting,
) -> None:
    """Compaction A reads the log and replays it; meanwhile compaction B folds the same rows
    and the table types on. A then deletes "the rows it read" by id: on SQLite, whose rowids
    were reused once the log was empty, those ids were the new rows, so A deleted them
    unfolded and put its older snapshot over B's."""
    store, meeting = await make_meeting(db_url)
    _, updates = edits(6)
    await store.append([LogEntry(meeting, u) for u in updates[:3]])
    replaying, go_on = threading.Event(), threading.Event()
    calls = 0

    def slow_first_squash(rows: list[bytes]) -> bytes:
        nonlocal calls
        calls += 1
        if calls == 1:
            replaying.set()
            assert go_on.wait(10)
        return squash(rows)

    monkeypatch.setattr(update_store, "squash", slow_first_squash)
    first = asyncio.create_task(store.compact(meeting))
    assert await asyncio.to_thread(replaying.wait, 10)
    assert await store.compact(meeting) == 3
    await store.append([LogEntry(meeting, u) for u in updates[3:]])
    go_on.set()
    assert await first == 0
    assert replay(await store.load(meeting)) == "".join(f"{i} Zoë; " for i in range(6))


async def test_the_log_keeps_its_rows_and_never_reuses_an_id_after_the_migration(
    tmp_path: Path,
    make_meeting: MakeMeeting,
) -> None:
    url = sqlite_url(tmp_path)
    await asyncio.to_thread(command.upgrade, alembic_config(url), "0010_languages")
    store, meeting = await make_meeting(url)
    await store.append([LogEntry(meeting, b"a"), LogEntry(meeting, b"b")])
    await store.close()
    await store.engine.dispose()
    await asyncio.to_thread(migrate, url)
    with sqlite3.connect(tmp_path / "rondetafel.db") as db:
        assert db.execute("SELECT id, data FROM document_updates").fetchall() == [
            (1, b"a"),
            (2, b"b"),
        ]
        db.execute("DELETE FROM document_updates")  # a compaction folded them all
        db.execute("INSERT INTO document_updates (meeting_id, data) VALUES ('m1', x'63')")
        assert db.execute("SELECT id FROM document_updates").fetchall() == [(3,)]
