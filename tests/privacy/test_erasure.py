"""Erasure: a family's text is gone from the SQLite files (database and WAL), the live room is
shut and its clients disconnected, the audit rows stay and name nobody; and a control
experiment showing that without secure_delete or without the WAL checkpoint the text stays."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pycrdt import Doc, Map, Text
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from server.crdt.close_codes import CloseCode
from server.crdt.store import LogEntry
from server.privacy.erasure import delete_family_rows, erase_family, scrub_sqlite
from server.settings import Settings
from server.speech import AudioCache
from server.storage.db import create_engine, sessionmaker
from server.storage.models import AuditEvent, Person, PlanVersion
from server.storage.models import Family as FamilyRow
from server.storage.update_store import SqlUpdateStore
from tests.conftest import Family, LiveServer, db_url, make_family, sign_in  # noqa: F401
from tests.yclient import YClient

FAMILY_NAME = "Familie Zwaluwstaart QX7Q"
PERSON_NAME = "Persoon Kwikstaart ZZ9Z"
GOAL_TEXT = "Doeltekst-Uniek-8843-reuzenpanda"
LIVE_TEXT = "Livetekst-Uniek-5521-"
KNOWN = (FAMILY_NAME, PERSON_NAME, GOAL_TEXT, LIVE_TEXT)
DEMO_NAMES = ("Sanne Bakker", "Lotte Smit", "Oma Ria", "Esther de Wit")


def files(settings: Settings) -> list[Path]:
    db = settings.sqlite_path()
    assert db is not None
    return [p for p in (db, Path(f"{db}-wal")) if p.exists()]


@contextlib.contextmanager
def server_connection(settings: Settings) -> Iterator[None]:
    """An idle connection kept open, as a running server keeps its pool: SQLite checkpoints
    and removes the WAL itself when the *last* connection closes, which would hide whether
    erasure scrubs the files on its own."""
    holder = sqlite3.connect(settings.sqlite_path())
    holder.execute("select count(*) from families").fetchall()
    try:
        yield
    finally:
        holder.close()


def found_in_files(settings: Settings) -> set[str]:
    """Which known texts occur anywhere in the raw bytes of the database and its WAL."""
    raw = b"".join(p.read_bytes() for p in files(settings))
    return {text for text in KNOWN if text.encode() in raw}


async def family_with_known_text(settings: Settings) -> Family:
    """A family whose name, one person, a plan version and its live document hold texts we
    can look for byte by byte."""
    family = await make_family(settings, FAMILY_NAME)
    engine = create_engine(settings.database_url)
    try:
        async with sessionmaker(engine).begin() as db:
            await db.execute(
                update(Person)
                .where(Person.family_id == family.family_id, Person.name == "Oma Ria")
                .values(name=PERSON_NAME)
            )
            v1 = await db.scalar(
                select(PlanVersion).where(PlanVersion.family_id == family.family_id)
            )
            assert v1 is not None
            db.add(
                PlanVersion(
                    family_id=family.family_id,
                    number=2,
                    plan={**v1.plan, "goals": [{"id": "g", "text": GOAL_TEXT}]},
                    snapshot=b"",
                )
            )
        doc = Doc()
        doc["strengths"] = Text(LIVE_TEXT)
        await SqlUpdateStore(engine).append([LogEntry(family.meeting_id, doc.get_update())])
    finally:
        await engine.dispose()
    return family


async def test_erase_leaves_no_known_text_in_the_files(settings: Settings) -> None:
    family = await family_with_known_text(settings)
    with server_connection(settings):
        assert found_in_files(settings) == set(KNOWN)  # the search works
        engine = create_engine(settings.database_url)
        try:
            erased = await erase_family(engine, None, AudioCache.of(settings), family.family_id)
            assert erased.scrubbed and erased.rows["families"] == 1
            assert erased.rows["people"] == 8
            assert found_in_files(settings) == set()
        finally:
            await engine.dispose()


@pytest.mark.parametrize(
    ("secure_delete", "checkpoint"),
    [("OFF", True), ("ON", False)],
    ids=["no-secure-delete", "no-checkpoint"],
)
async def test_without_either_measure_the_text_stays_on_disk(
    settings: Settings, secure_delete: str, checkpoint: bool
) -> None:
    """The control experiment: the same deletes, with one of the two measures left out."""
    family = await family_with_known_text(settings)
    with server_connection(settings):
        engine = create_engine(settings.database_url)
        try:
            async with engine.begin() as conn:
                await conn.exec_driver_sql(f"PRAGMA secure_delete={secure_delete}")
                await delete_family_rows(conn, family.family_id)
            if checkpoint:
                await scrub_sqlite(engine)
            assert found_in_files(settings), "deleted text should linger without the measure"
        finally:
            await engine.dispose()


async def audit_table(settings: Settings) -> list[AuditEvent]:
    engine = create_engine(settings.database_url)
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(select(AuditEvent))).all())  # type: ignore[arg-type]
    finally:
        await engine.dispose()


async def test_erase_on_the_family_page_shuts_the_live_room(settings: Settings) -> None:
    live = await LiveServer(settings).start()
    try:
        family = await family_with_known_text(live.settings)
        sanne = await sign_in(live.http, family, "Sanne Bakker")
        tablet = await YClient(sanne.ws_url(live.ws), sanne.cookie).connect()
        strengths = tablet.doc.get("strengths", type=Text)
        for i in range(60):  # past the compaction threshold (50): rows are deleted meanwhile
            strengths.insert(len(strengths), f"{LIVE_TEXT}{i} ")
        await tablet.wait_saved()
        lotte = await sign_in(live.http, family, "Lotte Smit")
        async with httpx.AsyncClient(base_url=live.http) as browser:
            response = await browser.post(
                f"/families/{family.family_id}/erase?as={lotte.session_id}",
                data={"confirm_name": FAMILY_NAME},
                headers={"Cookie": lotte.cookie, "Origin": live.http, "X-CSRF-Token": lotte.csrf},
            )
        assert response.status_code == 200, response.text
        await tablet.wait_for(lambda: tablet.close_code is not None)
        # the open tablet is told the family's data was erased, not that the plan was saved
        assert tablet.doc.get("meta", type=Map).get("status") == "erased"
        assert tablet.close_code == CloseCode.ERASED
        assert family.meeting_id not in live.rooms.rooms
        again = await YClient(sanne.ws_url(live.ws), sanne.cookie).connect(wait_synced=False)
        await again.wait_for(lambda: again.close_code is not None)
        assert again.close_code == 4401  # the session went with the family
        assert found_in_files(live.settings) == set()
        rows = await audit_table(live.settings)
        ours = [r for r in rows if r.family_id == family.family_id]
        assert {"start_session", "join_meeting", "edit_batch", "erase_family"} <= {
            r.action for r in ours
        }
        for row in rows:  # pseudonymous: ids, codes and counts only
            flat = " ".join(str(v) for v in row)
            for text in (*KNOWN, *DEMO_NAMES):
                assert text not in flat, (text, row)
        # the ids in the audit rows no longer lead to anyone
        engine = create_engine(live.settings.database_url)
        async with engine.connect() as conn:
            actors = {r.actor_id for r in ours if r.actor_id}
            assert actors
            assert (await conn.execute(select(Person.id).where(Person.id.in_(actors)))).all() == []
            assert (
                await conn.scalar(select(FamilyRow.id).where(FamilyRow.id == family.family_id))
                is None
            )
        await engine.dispose()
        await tablet.close()
        await again.close()
    finally:
        await live.stop()


TABLES = (
    *("families", "people", "meetings", "plan_versions", "invites", "sessions"),
    *("document_updates", "document_snapshots"),
)


async def counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        return {t: int(await conn.scalar(text(f"select count(*) from {t}")) or 0) for t in TABLES}


async def test_erasing_one_family_leaves_the_other(db_url: str) -> None:  # noqa: F811
    """On SQLite and PostgreSQL: every row of one family goes, the other family stays."""
    settings = Settings(database_url=db_url, demo=True)
    await make_family(settings, "Familie Blijft")
    engine = create_engine(settings.database_url)
    try:
        only_kept = await counts(engine)
        gone = await family_with_known_text(settings)
        erased = await erase_family(engine, None, AudioCache.of(settings), gone.family_id)
        assert erased.scrubbed == (engine.dialect.name == "sqlite")
        assert erased.rows["plan_versions"] == 2 and erased.rows["document_updates"] >= 2
        assert await counts(engine) == only_kept
        with pytest.raises(LookupError):
            await erase_family(engine, None, AudioCache.of(settings), gone.family_id)
    finally:
        await engine.dispose()
