"""The retention period: a family is listed once its last activity is older than the setting."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from server.privacy.retention import DAYS_PER_YEAR, expired_families
from server.settings import Settings
from server.storage.db import create_engine, sessionmaker
from server.storage.models import Family, Meeting, utcnow
from tests.conftest import make_family

YEAR = timedelta(days=DAYS_PER_YEAR)


async def test_last_activity_counts_and_the_setting_decides(settings: Settings) -> None:
    old = await make_family(settings, "Familie Oud")
    recent = await make_family(settings, "Familie Recent")
    assert Settings().retention_years == 20  # the Jeugdwet default
    engine = create_engine(settings.database_url)
    try:
        async with sessionmaker(engine).begin() as db:
            # the recent family met again five years from now
            await db.execute(
                update(Meeting)
                .where(Meeting.family_id == recent.family_id)
                .values(started_at=utcnow() + 5 * YEAR)
            )
        async with sessionmaker(engine)() as db:
            assert await expired_families(db, 20) == []
            later = utcnow() + 21 * YEAR
            found = await expired_families(db, 20, now=later)
            assert [(e.family_id, e.name) for e in found] == [(old.family_id, "Familie Oud")]
            both = await expired_families(db, 20, now=utcnow() + 26 * YEAR)
            assert [e.family_id for e in both] == [old.family_id, recent.family_id]
    finally:
        await engine.dispose()


async def test_the_period_counts_from_the_closing_of_the_file(settings: Settings) -> None:
    family = await make_family(settings, "Familie Gesloten")
    engine = create_engine(settings.database_url)
    try:
        async with sessionmaker(engine).begin() as db:
            # support ended three years after the last meeting: the file closed then
            await db.execute(
                update(Family)
                .where(Family.id == family.family_id)
                .values(closed_at=utcnow() + 3 * YEAR)
            )
        async with sessionmaker(engine)() as db:
            assert await expired_families(db, 20, now=utcnow() + 21 * YEAR) == []
            found = await expired_families(db, 20, now=utcnow() + 24 * YEAR)
            assert [e.family_id for e in found] == [family.family_id]
    finally:
        await engine.dispose()
