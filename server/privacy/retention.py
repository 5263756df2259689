"""The retention period (Jeugdwet: youth-care files are kept 20 years) and the families past it.

A family's last activity is the newest of: its creation, any meeting's creation, start or close,
any plan version, and the closing of its file (support ended: the period counts from then).
``expired_families`` only lists; erasing stays a human decision
(``rondetafel family erase``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..storage.models import Family, Meeting, PlanVersion, as_utc, utcnow

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True, slots=True)
class Expired:
    family_id: str
    name: str
    last_activity: datetime


def cutoff(years: float, now: datetime | None = None) -> datetime:
    """The moment before which a family's last activity makes it expired."""
    return (now or utcnow()) - timedelta(days=years * DAYS_PER_YEAR)


async def expired_families(
    db: AsyncSession, years: float, now: datetime | None = None
) -> list[Expired]:
    """Families whose last activity is older than the retention period, oldest first."""
    limit = cutoff(years, now)
    last: dict[str, datetime] = {}

    def seen(family_id: str, moment: datetime | None) -> None:
        if moment is None:
            return
        moment = as_utc(moment)
        if family_id not in last or moment > last[family_id]:
            last[family_id] = moment

    names = {}
    for family_id, name, created, closed in await db.execute(
        select(Family.id, Family.name, Family.created_at, Family.closed_at)
    ):
        names[family_id] = name
        seen(family_id, created)
        seen(family_id, closed)
    for column in (Meeting.created_at, Meeting.started_at, Meeting.closed_at):
        for family_id, moment in await db.execute(
            select(Meeting.family_id, func.max(column)).group_by(Meeting.family_id)
        ):
            seen(family_id, moment)
    for family_id, moment in await db.execute(
        select(PlanVersion.family_id, func.max(PlanVersion.closed_at)).group_by(
            PlanVersion.family_id
        )
    ):
        seen(family_id, moment)
    found = [Expired(fid, names[fid], moment) for fid, moment in last.items() if moment < limit]
    return sorted(found, key=lambda e: e.last_activity)
