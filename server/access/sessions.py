"""Invite links, staff logins and sessions: who is behind a request, and as whom at a family.

An invite is a random 256-bit token in a link; only its keyed hash is stored. Confirming the
invite (a POST, so a mail scanner that prefetches the link cannot use it) starts a server-side
session whose random token lives in an HttpOnly cookie named ``rt_<session id>``. One browser
can hold several sessions side by side (a coordinator trying the tablet view in a second tab),
so requests name the session they use with ``?as=<session id>``; with a single session cookie
that may be left out.

A staff login starts the same kind of session with ``user_id`` set and no family; its
``Principal`` at a family comes from the ``Person`` of that family linked to the user
(``principal_for``). Every session ends at ``expires_at`` (absolute timeout) and after
``idle`` without activity; a disabled user's sessions end at once.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from ..crdt.schema import Role
from ..errors import InviteError
from ..privacy.audit import Actor
from ..storage.models import Invite, Meeting, Person, Session, User, as_utc, utcnow

COOKIE_PREFIX = "rt_"
HEADER = "x-csrf-token"
FIELD = "csrf_token"
PRE_SESSION_COOKIE = "rt-csrf"  # not "rt_": that prefix is for session cookies
PRE_SESSION_PATHS = frozenset({"/login"})
WRITE_ROLES = frozenset(Role) - {Role.SCREEN}
ALL_ROLES = frozenset(Role)


class Admission(enum.StrEnum):
    """``Session.admission``: only ADMITTED sessions become a Principal. A tablet that joins by
    code starts PENDING until the coordinator decides (``access/admission.py``). Words people
    read: ``common.admissions.<value>``."""

    PENDING = "pending"
    ADMITTED = "admitted"
    REFUSED = "refused"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class Principal:
    """The person (or screen) behind a request, as the server knows it."""

    session_id: str
    family_id: str
    meeting_id: str | None
    person_id: str | None
    role: str
    name: str
    user_id: str | None = None  # set when a staff login stands behind the session

    @property
    def can_write(self) -> bool:
        return self.role in WRITE_ROLES

    @property
    def actor(self) -> Actor:
        return Actor(self.person_id, self.role, self.family_id)


def token_hash(secret: str, token: str) -> str:
    return hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()


async def create_invite(
    db: AsyncSession,
    secret: str,
    meeting: Meeting,
    person: Person | None,
    role: str,
    ttl: timedelta,
) -> str:
    """Store a new invite and return its token (shown once, in the link)."""
    if role not in ALL_ROLES:
        raise ValueError(f"unknown role {role!r}")
    token = secrets.token_urlsafe(32)
    db.add(
        Invite(
            token_hash=token_hash(secret, token),
            meeting_id=meeting.id,
            person_id=person.id if person else None,
            role=role,
            label=person.name if person else "Gedeeld scherm",
            expires_at=utcnow() + ttl,
        )
    )
    return token


async def find_invite(db: AsyncSession, secret: str, token: str) -> Invite:
    invite = await db.scalar(select(Invite).where(Invite.token_hash == token_hash(secret, token)))
    if invite is None or invite.revoked_at is not None:
        raise InviteError("unknown")
    if as_utc(invite.expires_at) < utcnow():
        raise InviteError("expired")
    return invite


async def redeem_invite(
    db: AsyncSession, secret: str, token: str, ttl: timedelta
) -> tuple[Session, str]:
    """Use an invite once: mark it used and start a session. Returns (session, cookie token)."""
    invite = await find_invite(db, secret, token)
    claimed = await db.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise InviteError("used")
    meeting = await db.get(Meeting, invite.meeting_id)
    assert meeting is not None  # foreign key
    return await new_session(
        db,
        secret,
        ttl,
        invite_id=invite.id,
        family_id=meeting.family_id,
        meeting_id=meeting.id,
        person_id=invite.person_id,
        role=invite.role,
    )


async def start_staff_session(
    db: AsyncSession, secret: str, user: User, ttl: timedelta
) -> tuple[Session, str]:
    """A fresh session (new id, new cookie token) for a staff login: never reuse one the
    browser brought along, so a planted cookie cannot be lifted to a logged-in session."""
    return await new_session(db, secret, ttl, user_id=user.id, role=user.role)


async def new_session(
    db: AsyncSession, secret: str, ttl: timedelta, **fields: Any
) -> tuple[Session, str]:
    """Store a new session with a random cookie token (only its keyed hash is kept) and
    ``fields`` (who, which family, admission); returns (session, cookie token)."""
    cookie = secrets.token_urlsafe(32)
    now = utcnow()
    session = Session(
        token_hash=token_hash(secret, cookie), expires_at=now + ttl, last_seen_at=now, **fields
    )
    db.add(session)
    await db.flush()
    return session, cookie


async def revoke_session(db: AsyncSession, session_id: str) -> None:
    await db.execute(
        update(Session)
        .where(Session.id == session_id, Session.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


@dataclass(frozen=True, slots=True)
class Visitor:
    """A valid session as found: from an invite (``family_id`` set) or a staff login
    (``user_id`` set). ``ends_at`` is when it ends unless there is activity before."""

    session_id: str
    user_id: str | None
    family_id: str | None
    meeting_id: str | None
    person_id: str | None
    role: str
    name: str
    expires_at: datetime
    ends_at: datetime
    language: str = ""  # the person's or the account's (web/messages/<language>/); "" is Dutch

    @property
    def is_staff(self) -> bool:
        return self.user_id is not None


TOUCH_EVERY = timedelta(seconds=10)  # fewer writes: activity within this counts once


async def find_visitor(
    db: AsyncSession,
    secret: str,
    cookies: Mapping[str, str],
    session_id: str | None,
    idle: timedelta,
    *,
    touch: bool = True,
) -> Visitor | None:
    """The session of a request, or None when there is none, or it was revoked, ran past
    its absolute or idle timeout, or belongs to a disabled user. ``touch`` counts the request
    as activity (a status poll does not)."""
    token = _pick_cookie(cookies, session_id)
    if token is None:
        return None
    session = await db.scalar(
        select(Session).where(Session.token_hash == token_hash(secret, token))
    )
    if session is None:
        return None
    return await check_session(db, session, idle, touch=touch)


class SessionState(Protocol):
    """What ``in_force`` reads: a ``Session``, or a row of just these columns."""

    @property
    def admission(self) -> str: ...

    @property
    def revoked_at(self) -> datetime | None: ...

    @property
    def expires_at(self) -> datetime: ...


def in_force(session: SessionState, now: datetime) -> bool:
    """Admitted (a tablet waiting, refused or removed is no principal: fail closed), not
    revoked, not past its absolute timeout. The idle timeout and the user are checked apart."""
    return (
        session.admission == Admission.ADMITTED
        and session.revoked_at is None
        and as_utc(session.expires_at) > now
    )


async def check_session(
    db: AsyncSession, session: Session, idle: timedelta, *, touch: bool
) -> Visitor | None:
    """Is this session still good, and who is behind it?"""
    now = utcnow()
    seen = as_utc(session.last_seen_at or session.created_at)
    if not in_force(session, now) or seen + idle <= now:
        return None
    name, language = "Gedeeld scherm", ""
    if session.user_id is not None:
        user = await db.get(User, session.user_id)
        if user is None or user.disabled_at is not None:
            return None
        name, language = user.display_name, user.language
    elif session.person_id is not None:
        person = await db.get(Person, session.person_id)
        name, language = (person.name, person.language) if person else ("", "")
    if touch and now - seen >= min(TOUCH_EVERY, idle / 4):
        await db.execute(update(Session).where(Session.id == session.id).values(last_seen_at=now))
        await db.commit()
        seen = now
    expires = as_utc(session.expires_at)
    return Visitor(
        session.id,
        session.user_id,
        session.family_id,
        session.meeting_id,
        session.person_id,
        session.role,
        name,
        expires,
        min(expires, seen + idle),
        language,
    )


async def principal_for(db: AsyncSession, visitor: Visitor, family_id: str) -> Principal | None:
    """The visitor as a participant of this family, or None when they take no part in it.

    An invite session belongs to its one family. A staff user takes part through the person
    of the family linked to their account; an admin without such a person gets None."""
    if visitor.user_id is None:
        if visitor.family_id != family_id:
            return None
        return Principal(
            visitor.session_id,
            family_id,
            visitor.meeting_id,
            visitor.person_id,
            visitor.role,
            visitor.name,
        )
    person = await db.scalar(
        select(Person)
        .where(
            Person.family_id == family_id,
            Person.user_id == visitor.user_id,
            Person.removed_at.is_(None),  # handed over or removed: no part any more
        )
        .order_by(Person.created_at)
        .limit(1)
    )
    if person is None:
        return None
    return Principal(
        visitor.session_id, family_id, None, person.id, person.role, person.name, visitor.user_id
    )


async def find_session(
    db: AsyncSession, secret: str, cookies: Mapping[str, str], session_id: str | None
) -> Session | None:
    """The unexpired session a request carries, in any admission state (also revoked).

    Only for telling "not signed in" from "not admitted (yet)" and for the waiting page;
    everything else uses ``authenticate``."""
    token = _pick_cookie(cookies, session_id)
    if token is None:
        return None
    session: Session | None = await db.scalar(
        select(Session).where(Session.token_hash == token_hash(secret, token))
    )
    if session is None or as_utc(session.expires_at) < utcnow():
        return None
    return session


def _pick_cookie(cookies: Mapping[str, str], session_id: str | None) -> str | None:
    if session_id:
        return cookies.get(COOKIE_PREFIX + session_id)
    ours = [value for key, value in cookies.items() if key.startswith(COOKIE_PREFIX)]
    return ours[0] if len(ours) == 1 else None


# -- CSRF tokens: an HMAC of the session id, so they need no storage (middleware/csrf.py checks) --


def csrf_token(secret: str, session_id: str) -> str:
    return hmac.new(secret.encode(), f"csrf:{session_id}".encode(), hashlib.sha256).hexdigest()


def new_pre_session_token() -> str:
    return secrets.token_urlsafe(32)


def chosen_session(cookies: dict[str, str], as_param: str | None) -> str | None:
    """The id of the session a request uses, as ``_pick_cookie`` picks it."""
    if as_param:
        return as_param if COOKIE_PREFIX + as_param in cookies else None
    ours = [key[len(COOKIE_PREFIX) :] for key in cookies if key.startswith(COOKIE_PREFIX)]
    return ours[0] if len(ours) == 1 else None


def expected_token(conn: HTTPConnection, secret: str) -> str | None:
    """The token this request (or the page it renders) must carry, or None if none applies."""
    if conn.url.path in PRE_SESSION_PATHS:
        return conn.cookies.get(PRE_SESSION_COOKIE)
    session_id = chosen_session(conn.cookies, conn.query_params.get("as"))
    return csrf_token(secret, session_id) if session_id else None
