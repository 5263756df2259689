"""Coming back: a browser whose session is still valid lands where it was, not on a used link.

Pressing Back after joining, closing the tab and opening the link again, or opening the app's
home: each finds the session the browser already holds (its own ``rt_<id>`` cookie, checked
against the stored keyed hash like every request) and sends it on to its meeting while that
is live, else to the family's plan. Nothing is started, nothing used up: a link that was used
by *another* browser still answers "already used".
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..storage.models import Invite, Meeting, MeetingStatus, Session, as_utc, utcnow
from .sessions import COOKIE_PREFIX, Admission, Visitor, check_session, token_hash

MAX_COOKIES = 20  # a browser holding more sessions than this is not a person coming back


async def session_of_link(
    db: AsyncSession, secret: str, token: str, cookies: Mapping[str, str], idle: timedelta
) -> Visitor | None:
    """The valid session this browser started with this invite link, if it holds one."""
    invite_id = await db.scalar(
        select(Invite.id).where(Invite.token_hash == token_hash(secret, token))
    )
    if invite_id is None:
        return None
    for session in await db.scalars(select(Session).where(Session.invite_id == invite_id)):
        if _holds(secret, cookies, session):
            found = await check_session(db, session, idle, touch=True)
            if found is not None:
                return found
    return None


async def sessions_held(
    db: AsyncSession, secret: str, cookies: Mapping[str, str], idle: timedelta
) -> list[Visitor]:
    """Every valid session whose cookie this browser holds, oldest first."""
    ids = [k[len(COOKIE_PREFIX) :] for k in cookies if k.startswith(COOKIE_PREFIX)]
    if not ids:
        return []
    rows = await db.scalars(
        select(Session).where(Session.id.in_(ids[:MAX_COOKIES])).order_by(Session.created_at)
    )
    found = []
    for session in rows:
        if _holds(secret, cookies, session):
            visitor = await check_session(db, session, idle, touch=False)
            if visitor is not None:
                found.append(visitor)
    return found


async def waiting_held(db: AsyncSession, secret: str, cookies: Mapping[str, str]) -> str | None:
    """The id of a request to join by code that this browser made and that still waits for
    the coordinator (a tablet whose tab was closed goes back to waiting, not to a new request)."""
    ids = [k[len(COOKIE_PREFIX) :] for k in cookies if k.startswith(COOKIE_PREFIX)]
    if not ids:
        return None
    rows = await db.scalars(
        select(Session)
        .join(Meeting, Meeting.id == Session.meeting_id)
        .where(
            Session.id.in_(ids[:MAX_COOKIES]),
            Session.admission == Admission.PENDING,
            Session.revoked_at.is_(None),
            Meeting.status == MeetingStatus.LIVE,
        )
        .order_by(Session.created_at.desc())
    )
    now = utcnow()
    for session in rows:
        if as_utc(session.expires_at) > now and _holds(secret, cookies, session):
            return session.id
    return None


def _holds(secret: str, cookies: Mapping[str, str], session: Session) -> bool:
    cookie = cookies.get(COOKIE_PREFIX + session.id)
    return cookie is not None and hmac.compare_digest(
        token_hash(secret, cookie), session.token_hash
    )


async def live_meeting_of(db: AsyncSession, visitor: Visitor) -> str | None:
    """The meeting this session may open now: its own, while live (a link or a join code
    admits to one meeting; the next one needs a new link)."""
    if visitor.meeting_id is None:
        return None
    status = await db.scalar(select(Meeting.status).where(Meeting.id == visitor.meeting_id))
    return visitor.meeting_id if status == MeetingStatus.LIVE else None


async def landing(db: AsyncSession, visitor: Visitor) -> str:
    """Where a family member's session comes back to: the live meeting, else the plan."""
    meeting_id = await live_meeting_of(db, visitor)
    if meeting_id is not None:
        return f"/meetings/{meeting_id}?as={visitor.session_id}"
    return f"/families/{visitor.family_id}/plan?as={visitor.session_id}"
