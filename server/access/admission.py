"""Joining at the table: a tablet that used the join code asks to join as one of the family's
family or network people, and waits; the coordinator admits or refuses it, and may remove
anyone at the table later.

Session states (``Session.admission``)::

    pending ──admit──▶ admitted ──remove──▶ removed (revoked)
       └──refuse──▶ refused (revoked)

Invite links start ``admitted`` sessions (the link itself was the coordinator's decision).
Only admitted, unrevoked sessions are a ``Principal`` (``access.check_session``), so a waiting
tablet reaches nothing but its waiting page. Removing revokes every session of that person for
the meeting; the websocket side (``Connections.revoke``) is the caller's job, after commit.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from ..crdt.schema import Role
from ..errors import NoRequest, NotAtTable, NotLive, NotYourself, UnknownPerson
from ..services import services
from ..storage.models import (
    Invite,
    Meeting,
    MeetingRemoval,
    MeetingStatus,
    Person,
    Session,
    as_utc,
    utcnow,
)
from .sessions import Admission, Principal, find_session, new_session

CODE_ROLES = (Role.FAMILY, Role.NETWORK)  # professionals and coordinators use their own links


@dataclass(frozen=True, slots=True)
class Seat:
    """One row of the coordinator's lists: a waiting request, or someone at the table."""

    session_id: str
    person_id: str | None
    name: str
    role: str
    since: datetime
    is_you: bool = False
    at_table: bool = False  # a waiting request for someone who is at the table already


async def people_to_pick(db: AsyncSession, meeting: Meeting) -> list[Person]:
    """The family and network people of the meeting's family, family first."""
    people = await db.scalars(
        select(Person)
        .where(
            Person.family_id == meeting.family_id,
            Person.role.in_(CODE_ROLES),
            Person.removed_at.is_(None),
        )
        .order_by(Person.created_at)
    )
    return sorted(people, key=lambda p: CODE_ROLES.index(p.role))


async def request_admission(
    db: AsyncSession, secret: str, meeting: Meeting, person_id: str, ttl: timedelta
) -> tuple[Session, str]:
    """Start a pending session for ``person_id``; returns (session, cookie token).

    The person must be family or network of the meeting's own family: anyone else (another
    family's person, a professional, the coordinator) is refused as if unknown."""
    person = await db.get(Person, person_id) if person_id else None
    if (
        person is None
        or person.family_id != meeting.family_id
        or person.role not in CODE_ROLES
        or person.removed_at is not None
    ):
        raise UnknownPerson()
    return await new_session(
        db,
        secret,
        ttl,
        family_id=meeting.family_id,
        meeting_id=meeting.id,
        person_id=person.id,
        role=person.role,
        admission=Admission.PENDING,
    )


async def decide(db: AsyncSession, meeting: Meeting, session_id: str, admit: bool) -> Session:
    """Admit or refuse a pending request of this meeting (only once: a second click loses)."""
    if meeting.status != MeetingStatus.LIVE:
        raise NotLive()
    values: dict[str, object] = {"admission": Admission.ADMITTED if admit else Admission.REFUSED}
    values["decided_at"] = utcnow()
    if not admit:
        values["revoked_at"] = values["decided_at"]
    changed = await db.execute(
        update(Session)
        .where(
            Session.id == session_id,
            Session.meeting_id == meeting.id,
            Session.admission == Admission.PENDING,
            Session.revoked_at.is_(None),
        )
        .values(**values)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise NoRequest()
    session = await db.get(Session, session_id, populate_existing=True)
    assert session is not None
    return session


async def remove(
    db: AsyncSession, meeting: Meeting, session_id: str, by: Principal
) -> tuple[Session, list[str]]:
    """Revoke every session of the target's person for this meeting (a screen: that session),
    and withdraw their links not yet used (a screen: every unused screen link): an older link
    must not bring the person straight back.

    Returns the target and the ids revoked. Nobody removes themselves: the coordinator who
    does would lock themselves out of their own meeting."""
    target = await db.get(Session, session_id)
    if (
        target is None
        or target.meeting_id != meeting.id
        or target.admission not in (Admission.ADMITTED, Admission.PENDING)
        or target.revoked_at is not None
    ):
        raise NotAtTable()
    if target.id == by.session_id or (
        target.person_id is not None and target.person_id == by.person_id
    ):
        raise NotYourself()
    same = (
        Session.person_id == target.person_id
        if target.person_id is not None
        else Session.id == target.id
    )
    ids = list(
        await db.scalars(
            select(Session.id).where(
                Session.meeting_id == meeting.id,
                same,
                Session.admission.in_((Admission.ADMITTED, Admission.PENDING)),
                Session.revoked_at.is_(None),
            )
        )
    )
    now = utcnow()
    await db.execute(
        update(Session)
        .where(Session.id.in_(ids))
        .values(admission=Admission.REMOVED, revoked_at=now, decided_at=now)
    )
    await withdraw_links(db, meeting.id, target.person_id)
    return target, ids


async def withdraw_links(db: AsyncSession, meeting_id: str, person_id: str | None) -> int:
    """Withdraw the unused links of this meeting for one person (None: the shared screen's);
    returns how many. A used link already made its session: that one is revoked instead."""
    withdrawn = await db.execute(
        update(Invite)
        .where(
            Invite.meeting_id == meeting_id,
            Invite.person_id == person_id if person_id else Invite.person_id.is_(None),
            Invite.used_at.is_(None),
            Invite.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )
    return int(withdrawn.rowcount)  # type: ignore[attr-defined]


async def remove_staff(db: AsyncSession, meeting: Meeting, person_id: str, by: Principal) -> str:
    """Take a professional who signed in with an account out of this meeting; returns their
    user id. Their account and session stay: they take part in other families."""
    person = await db.get(Person, person_id)
    if person is None or person.family_id != meeting.family_id or person.user_id is None:
        raise NotAtTable()
    if person.id == by.person_id:
        raise NotYourself()
    removed = await db.get(MeetingRemoval, (meeting.id, person.user_id))
    if removed is None:
        db.add(
            MeetingRemoval(meeting_id=meeting.id, user_id=person.user_id, removed_by=by.person_id)
        )
    return person.user_id


async def is_removed(db: AsyncSession, meeting_id: str, user_id: str) -> bool:
    return await db.get(MeetingRemoval, (meeting_id, user_id)) is not None


async def waiting_count(db: AsyncSession, meeting: Meeting) -> int:
    """How many wait to be admitted now (the shared screen shows its code large meanwhile;
    it never learns who)."""
    rows = await db.scalars(
        select(Session.expires_at).where(
            Session.meeting_id == meeting.id,
            Session.admission == Admission.PENDING,
            Session.revoked_at.is_(None),
        )
    )
    now = utcnow()
    return sum(1 for expires in rows if as_utc(expires) >= now)


async def table(
    db: AsyncSession, meeting: Meeting, you: Principal, connected: Collection[str] = ()
) -> tuple[list[Seat], list[Seat]]:
    """(waiting requests, people at the table) of a meeting, oldest first.

    At the table means: an admitted, unrevoked, unexpired session, one row per person (a
    person on a laptop and a tablet is one person) and one per shared screen; and staff who
    signed in with an account and are ``connected`` now (person ids), whose sessions belong to
    no meeting."""
    now = utcnow()
    rows = await db.execute(
        select(Session, Person)
        .outerjoin(Person, Person.id == Session.person_id)
        .where(
            Session.meeting_id == meeting.id,
            Session.admission.in_((Admission.PENDING, Admission.ADMITTED)),
            Session.revoked_at.is_(None),
        )
        .order_by(Session.created_at)
    )
    waiting: list[Seat] = []
    seated: dict[str, Seat] = {}
    for session, person in rows:
        if as_utc(session.expires_at) < now:
            continue
        seat = Seat(
            session.id,
            session.person_id,
            person.name if person is not None else "",
            session.role,
            session.created_at,
            is_you=session.id == you.session_id
            or (session.person_id is not None and session.person_id == you.person_id),
        )
        if session.admission == Admission.PENDING:
            waiting.append(seat)
        else:
            seated.setdefault(session.person_id or session.id, seat)
    staff = await db.scalars(
        select(Person).where(
            Person.family_id == meeting.family_id,
            Person.id.in_([pid for pid in connected if pid not in seated]),
            Person.user_id.is_not(None),
        )
    )
    for person in staff:
        seated[person.id] = Seat(
            "", person.id, person.name, person.role, now, is_you=person.id == you.person_id
        )
    # a second tablet for someone already in (or someone pretending to be them): say so
    waiting = [replace(seat, at_table=seat.person_id in seated) for seat in waiting]
    return waiting, list(seated.values())


def state_of(session: Session, meeting: Meeting | None) -> str:
    """What the waiting page should show: pending, admitted, refused, removed or closed."""
    if meeting is None or meeting.status != MeetingStatus.LIVE:
        return MeetingStatus.CLOSED
    if session.admission == Admission.ADMITTED and session.revoked_at is not None:
        return Admission.REMOVED  # revoked some other way: as good as removed for this page
    return session.admission


@dataclass(frozen=True, slots=True)
class Waiting:
    status: str  # pending, admitted, refused, removed, closed
    name: str
    session_id: str
    meeting_id: str

    @property
    def meeting_url(self) -> str | None:
        """Where an admitted tablet goes; nobody else is told the meeting's address."""
        if self.status != "admitted":
            return None
        return f"/meetings/{self.meeting_id}?as={self.session_id}"


async def waiting_for(request: Request) -> Waiting | None:
    """The state of the session the request carries (any admission), or None."""
    state = services(request)
    async with state.sessions() as db:
        session = await find_session(
            db, state.settings.secret_key, request.cookies, request.query_params.get("as")
        )
        if session is None or session.meeting_id is None:
            return None
        meeting = await db.get(Meeting, session.meeting_id)
        person = await db.get(Person, session.person_id) if session.person_id else None
    name = person.name if person else ""
    return Waiting(state_of(session, meeting), name, session.id, session.meeting_id)
