"""Family plans: starting a meeting from the latest plan version, closing it into the next
version, and reading and comparing versions. Plan versions are only ever inserted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pycrdt import Doc
from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .crdt import carry, schema
from .crdt.manager import RoomManager
from .errors import PlanError
from .join_codes import new_join_code
from .messages import time_zone
from .privacy.audit import Action, Outcome
from .storage.models import (
    AuditEvent,
    DocumentUpdate,
    Family,
    Meeting,
    MeetingStatus,
    Person,
    PlanVersion,
    utcnow,
)


async def latest_version(db: AsyncSession, family_id: str) -> PlanVersion | None:
    result: PlanVersion | None = await db.scalar(
        select(PlanVersion)
        .where(PlanVersion.family_id == family_id)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    )
    return result


async def family_zone(db: AsyncSession, family_id: str) -> Any:
    """The zone the family's times are shown in (``Family.time_zone``; see ``time_zone``)."""
    name = await db.scalar(select(Family.time_zone).where(Family.id == family_id))
    return time_zone(name or "")


async def people_of(db: AsyncSession, family_id: str) -> dict[str, dict[str, str]]:
    people = await db.scalars(
        select(Person)
        .where(Person.family_id == family_id, Person.removed_at.is_(None))
        .order_by(Person.created_at)
    )
    return {
        p.id: {
            "name": p.name,
            "role": p.role,
            "relation": p.relation,
            "organisation": p.organisation,
            "offers": p.offers,
        }
        for p in people
    }


async def plan_meeting(
    db: AsyncSession, family: Family, title: str, starts_at: datetime | None, place: str
) -> Meeting:
    """The next round table, planned: shown on the family page until it is started."""
    meeting = Meeting(
        family_id=family.id,
        title=title or f"Rondetafeloverleg {family.name}",
        status=MeetingStatus.SCHEDULED,
        join_code=new_join_code(),
        starts_at=starts_at,
        place=place,
    )
    db.add(meeting)
    await db.flush()
    return meeting


async def start_meeting(
    db: AsyncSession, family: Family, title: str = "", planned: Meeting | None = None
) -> Meeting:
    """Make a meeting live (a ``planned`` one, else a new one) and store its seeded document
    as its first update. One live meeting per family at a time.

    The server seeds once, here, so clients never do (two clients seeding at the same
    instant would duplicate the plan)."""
    live = await db.scalar(
        select(Meeting.id).where(
            Meeting.family_id == family.id, Meeting.status == MeetingStatus.LIVE
        )
    )
    if live is not None:
        raise PlanError("already_live")
    if planned is not None and planned.status != MeetingStatus.SCHEDULED:
        raise PlanError("not_planned")
    last = await latest_version(db, family.id)
    people = await people_of(db, family.id)
    start = carry.carry_forward(last.plan, last.number, people) if last else schema.empty_plan()
    start["title"] = (planned.title if planned else title) or f"Rondetafeloverleg {family.name}"
    start["people"] = people
    doc: Doc = Doc()
    schema.seed(doc, start)
    meeting = planned or Meeting(family_id=family.id, join_code=new_join_code())
    meeting.title = start["title"]
    meeting.status = MeetingStatus.LIVE
    meeting.started_at = utcnow()
    db.add(meeting)
    await db.flush()
    await db.execute(
        # the server's own seeding: no one's edit batch, so nothing for the audit to count
        insert(DocumentUpdate).values(meeting_id=meeting.id, data=doc.get_update(), audited=True)
    )
    return meeting


async def close_meeting(
    sessions: async_sessionmaker[AsyncSession],
    rooms: RoomManager,
    meeting_id: str,
    closed_by: str | None,
) -> PlanVersion:
    """Close a live meeting: the final document becomes plan version N+1 in one transaction,
    and only then does the document say ``status=closed`` (every client turns read-only).

    The room stops taking writes first (``read_only``, in memory), so the plan read here is the
    final one; if writing the version fails, the room takes writes again and the document
    still says live, so the family's meeting is never frozen by a close that did not happen.
    Whether a meeting is closed is the meeting row's business: the document's ``meta.status``
    is only what clients show."""
    async with sessions() as db:
        meeting = await db.get(Meeting, meeting_id)
        if meeting is None or meeting.status != MeetingStatus.LIVE:
            raise PlanError("not_live")
    async with rooms.hold(meeting_id) as room, room.closing:
        await room.wait_ready()
        room.read_only = True
        try:
            await room.wait_committed(room.seq)
            plan = schema.extract(room.doc)
            plan["attendance"] = await attendance_now(sessions, meeting_id, plan)
            snapshot = _closed_snapshot(room.doc)
            version = await _write_version(sessions, meeting, closed_by, plan, snapshot)
        except PlanError:  # closed meanwhile by someone else: it stays closed
            raise
        except BaseException:
            room.read_only = False
            raise
        await room.wait_committed(room.change(schema.mark_closed))
    return version


async def attendance_now(
    sessions: async_sessionmaker[AsyncSession], meeting_id: str, plan: schema.Plan
) -> dict[str, str]:
    """The attendance a close would write now (``with_devices``): the closing review shows
    the same as the plan version will."""
    return with_devices(plan, await _joined(sessions, meeting_id))


async def _joined(sessions: async_sessionmaker[AsyncSession], meeting_id: str) -> set[str]:
    """Who connected to the meeting with a device of their own, from the audit log: it is
    durable (a room reloaded or a server restarted midway forgets its peers, the log does not)."""
    async with sessions() as db:
        rows = await db.scalars(
            select(AuditEvent.actor_id).where(
                AuditEvent.action == Action.JOIN_MEETING,
                AuditEvent.outcome == Outcome.OK,
                AuditEvent.access_point == f"ws:{meeting_id}",
            )
        )
        return {row for row in rows if row}


def with_devices(plan: schema.Plan, joined: set[str]) -> dict[str, str]:
    """The plan version's attendance: the coordinator's marks, and ``device`` for each of the
    family's people who joined with a device and was not marked (a mark says more: someone who
    looked in from home and left is what the coordinator says)."""
    marks: dict[str, str] = dict(plan.get("attendance", {}))
    for person_id in plan.get("people", {}):
        if person_id in joined and person_id not in marks:
            marks[person_id] = schema.Attendance.DEVICE.value
    return marks


def _closed_snapshot(doc: Doc) -> bytes:
    """The final state as the version keeps it: the document with ``status=closed``, built on
    a copy (the live document is marked only once the version is written)."""
    copy: Doc = Doc()
    copy.apply_update(doc.get_update())
    schema.mark_closed(copy)
    snapshot: bytes = copy.get_update()
    return snapshot


async def _write_version(
    sessions: async_sessionmaker[AsyncSession],
    meeting: Meeting,
    closed_by: str | None,
    plan: schema.Plan,
    snapshot: bytes,
) -> PlanVersion:
    async with sessions.begin() as db:
        closed = await db.execute(
            update(Meeting)
            .where(Meeting.id == meeting.id, Meeting.status == MeetingStatus.LIVE)
            .values(status=MeetingStatus.CLOSED, closed_at=utcnow(), closed_by=closed_by)
        )
        if closed.rowcount != 1:  # type: ignore[attr-defined]
            raise PlanError("closed")
        number = (
            await db.scalar(
                select(func.max(PlanVersion.number)).where(
                    PlanVersion.family_id == meeting.family_id
                )
            )
            or 0
        ) + 1
        version = PlanVersion(
            family_id=meeting.family_id,
            number=number,
            meeting_id=meeting.id,
            closed_by=closed_by,
            plan=plan,
            snapshot=snapshot,
        )
        db.add(version)
    return version


def version_json(version: PlanVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "meeting_id": version.meeting_id,
        "closed_by": version.closed_by,
        "closed_at": version.closed_at.isoformat(),
        "plan": version.plan,
    }
