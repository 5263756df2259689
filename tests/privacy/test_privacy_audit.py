"""The audit log is append-only: no UPDATE or DELETE of ``audit_log`` anywhere in the server
package, the database refuses one (migration 0004_privacy), and every public function of the
privacy work leaves the existing rows exactly as they were."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from server.app import create_app
from server.privacy import audit
from server.privacy.audit_view import family_log
from server.privacy.erasure import erase_family
from server.privacy.export import export_family, to_json
from server.privacy.retention import expired_families
from server.settings import Settings
from server.storage.db import create_engine, sessionmaker
from server.storage.models import AuditEvent
from server.storage.models import Family as FamilyRow
from tests.conftest import ROOT, db_url, join, make_family  # noqa: F401  (fixture)

SERVER = ROOT / "server"
FORBIDDEN = [
    re.compile(r"\b(update|delete)\(\s*AuditEvent\b"),
    re.compile(r"\b(update|delete)\(\s*AuditEvent\.__table__"),
    re.compile(r"(?i)\bupdate\s+\"?audit_log\b"),
    re.compile(r"(?i)\bdelete\s+from\s+\"?audit_log\b"),
    re.compile(r"(?i)\btruncate\s+(table\s+)?\"?audit_log\b"),
    re.compile(r"\.delete\(\s*(event|row|audit)"),
]


def offending_lines(source: str) -> list[str]:
    return [line for line in source.splitlines() if any(p.search(line) for p in FORBIDDEN)]


def test_the_grep_catches_the_ways_to_change_audit_rows() -> None:
    """The patterns below must find each of these, or the source test could not fail."""
    for bad in (
        "await conn.execute(delete(AuditEvent).where(AuditEvent.id == 1))",
        "stmt = update(AuditEvent).values(detail='')",
        "conn.execute(update(AuditEvent.__table__))",
        'await conn.exec_driver_sql("DELETE FROM audit_log WHERE id = 1")',
        'text("UPDATE audit_log SET actor_id = NULL")',
        'text("truncate table audit_log")',
        "await db.delete(event)",
    ):
        assert offending_lines(bad), bad


def test_server_source_never_updates_or_deletes_audit_rows() -> None:
    found = {
        str(path.relative_to(ROOT)): lines
        for path in sorted(SERVER.rglob("*.py"))
        if (lines := offending_lines(path.read_text(encoding="utf-8")))
    }
    assert found == {}


async def test_the_database_refuses_to_change_audit_rows(db_url: str) -> None:  # noqa: F811
    engine = create_engine(db_url)
    try:
        await audit.record(engine, audit.SYSTEM, "view_plan", "ok", detail="a row to change")
        for statement in (
            update(AuditEvent).values(detail="rewritten"),
            delete(AuditEvent),
        ):
            with pytest.raises(DBAPIError, match="append-only"):
                async with engine.begin() as conn:
                    await conn.execute(statement)
        if engine.dialect.name == "postgresql":
            with pytest.raises(DBAPIError, match="append-only"):
                async with engine.begin() as conn:
                    await conn.execute(text("TRUNCATE audit_log"))
    finally:
        await engine.dispose()


async def snapshot(settings: Settings) -> list[tuple[object, ...]]:
    engine = create_engine(settings.database_url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(select(AuditEvent).order_by(AuditEvent.id))
            return [tuple(r) for r in rows]
    finally:
        await engine.dispose()


async def test_every_privacy_function_only_adds_audit_rows(settings: Settings) -> None:
    family = await make_family(settings, "Familie Ons")
    other = await make_family(settings, "Familie Ander")
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=settings.base_url) as c:
            session = await join(c, family.links["Lotte Smit"]["url"])
            await c.get(f"/families/{family.family_id}/plan", params={"as": session})
            before = await snapshot(settings)
            assert before
            base = f"/families/{family.family_id}"
            for path in ("/log", "/plan/seen", "/plan/print", "/export", "/erase"):
                await c.get(base + path, params={"as": session})
                await c.get(f"/families/{other.family_id}{path}", params={"as": session})
            await c.post(f"{base}/erase", params={"as": session}, data={"confirm_name": "x"})
            engine = app.state.services.engine
            async with sessionmaker(engine)() as db:
                await family_log(db, family.family_id, 1)
                await family_log(db, family.family_id, 1, family_view=True)
                await expired_families(db, 0)
                row = await db.get(FamilyRow, family.family_id)
                assert row is not None
                to_json(await export_family(db, app.state.services.rooms, row))
            await erase_family(
                engine, app.state.services.rooms, app.state.services.audio, other.family_id
            )
            await c.post(
                f"{base}/erase", params={"as": session}, data={"confirm_name": "Familie Ons"}
            )
    after = await snapshot(settings)
    assert after[: len(before)] == before  # untouched, in order
    assert len(after) > len(before)
