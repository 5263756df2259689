"""A family's file as its coordinator keeps it: creating, renaming, handing it over to another
coordinator, closing it when support ends, and what her home shows of each family.

A closed file (``Family.closed_at``) is read-only: nothing of it changes any more (people,
meetings, links, the name), it stays readable, and the retention period counts from the
closing (``server/privacy/retention.py``). A file with a live meeting cannot close: the
meeting closes first, so its last plan version is written.

Handing over: the new coordinator takes part as a person of her own (or her existing person
at this family gets the role); the old coordinator's person is removed, so her account no
longer reaches the family, and her open sockets close. Both sides are audited by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from . import field_checks, people
from .access import accounts
from .crdt.schema import Role
from .errors import BadInput, FileError
from .storage.models import Family, Meeting, MeetingStatus, Person, PlanVersion, User, utcnow

NOTE_MAX = field_checks.TEXT_MAX
DONE = "done"  # an action's status that is no longer open


def require_open(family: Family) -> None:
    if family.closed_at is not None:
        raise FileError("family_closed")


async def create(db: AsyncSession, name: object, note: object, coordinator: User) -> Family:
    """A new family with ``coordinator`` (a staff account) at its table as its coordinator."""
    family = Family(name=field_checks.name(name), note=field_checks.text(note, "note"))
    db.add(family)
    await db.flush()
    db.add(
        Person(
            family_id=family.id,
            name=coordinator.display_name,
            role=Role.COORDINATOR,
            user_id=coordinator.id,
        )
    )
    await db.flush()
    return family


def rename(family: Family, name: object, note: object) -> list[str]:
    """Change the name and note; returns which of them changed."""
    require_open(family)
    values = {"name": field_checks.name(name), "note": field_checks.text(note, "note")}
    changed = [key for key, value in values.items() if getattr(family, key) != value]
    for key in changed:
        setattr(family, key, values[key])
    return changed


async def coordinators(db: AsyncSession, but: str | None) -> list[User]:
    """The coordinator accounts a family can be handed over to (active; not ``but``)."""
    found = await db.scalars(
        select(User)
        .where(User.role == Role.COORDINATOR, User.disabled_at.is_(None), User.id != (but or ""))
        .order_by(User.display_name)
    )
    return list(found)


async def hand_over(
    db: AsyncSession, family: Family, old: Person, username: object
) -> tuple[Person, list[str]]:
    """Give the family to the coordinator account ``username``; returns the new coordinator's
    person and the sessions of the old one that were revoked."""
    require_open(family)
    wanted = accounts.normalise(str(username or ""))
    user = await db.scalar(select(User).where(User.username == wanted))
    if user is None or user.role != Role.COORDINATOR or user.disabled_at is not None:
        raise BadInput("coordinator_unknown")
    if user.id == old.user_id:
        raise BadInput("coordinator_same")
    new = await db.scalar(
        select(Person).where(
            Person.family_id == family.id, Person.user_id == user.id, Person.removed_at.is_(None)
        )
    )
    if new is None:
        new = await people.add(
            db, family, {"name": user.display_name, "role": Role.COORDINATOR, "user_id": user.id}
        )
    new.role = Role.COORDINATOR
    revoked = await people.remove(db, old, by_person_id=None)
    return new, revoked


async def close(db: AsyncSession, family: Family) -> None:
    require_open(family)
    if await people.live_meeting(db, family.id) is not None:
        raise FileError("meeting_live")
    family.closed_at = utcnow()


@dataclass(frozen=True, slots=True)
class Overview:
    """What the coordinator's home shows of one family."""

    next_meeting: Meeting | None  # the live one, else the next planned
    open_actions: int
    closed_at: datetime | None


async def overviews(db: AsyncSession, family_ids: list[str]) -> dict[str, Overview]:
    meetings = await db.scalars(
        select(Meeting)
        .where(
            Meeting.family_id.in_(family_ids),
            Meeting.status.in_((MeetingStatus.LIVE, MeetingStatus.SCHEDULED)),
        )
        .order_by(Meeting.starts_at.is_(None), Meeting.starts_at, Meeting.created_at)
    )
    nearest: dict[str, Meeting] = {}
    for meeting in meetings:
        current = nearest.get(meeting.family_id)
        if current is None or (
            meeting.status == MeetingStatus.LIVE and current.status != MeetingStatus.LIVE
        ):
            nearest[meeting.family_id] = meeting
    latest = (
        select(PlanVersion.family_id, func.max(PlanVersion.number).label("number"))
        .where(PlanVersion.family_id.in_(family_ids))
        .group_by(PlanVersion.family_id)
        .subquery()
    )
    plans: dict[str, Any] = dict(
        (
            await db.execute(
                select(PlanVersion.family_id, PlanVersion.plan).join(
                    latest,
                    (PlanVersion.family_id == latest.c.family_id)
                    & (PlanVersion.number == latest.c.number),
                )
            )
        ).all()
    )
    closed: dict[str, datetime | None] = dict(
        (
            await db.execute(select(Family.id, Family.closed_at).where(Family.id.in_(family_ids)))
        ).all()
    )
    return {
        fid: Overview(
            nearest.get(fid),
            sum(a.get("status") != DONE for a in (plans.get(fid) or {}).get("actions", [])),
            closed.get(fid),
        )
        for fid in family_ids
    }
