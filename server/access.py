"""Invite links and sessions (minimal access model; staff logins come later).

An invite is a random 256-bit token in a link; only its keyed hash is stored. Confirming the
invite (a POST, so a mail scanner that prefetches the link cannot use it) starts a server-side
session whose random token lives in an HttpOnly cookie named ``rt_<session id>``. One browser
can hold several sessions side by side (a coordinator trying the tablet view in a second tab),
so requests name the session they use with ``?as=<session id>``; with a single session cookie
that may be left out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .audit import Actor
from .models import Invite, Meeting, Person, Session, utcnow

COOKIE_PREFIX = "rt_"
WRITE_ROLES = frozenset({"coordinator", "family", "network", "professional"})
ALL_ROLES = WRITE_ROLES | {"screen"}
# Session.admission: only ADMITTED sessions become a Principal (see server/admission.py)
ADMITTED, PENDING, REFUSED, REMOVED = "admitted", "pending", "refused", "removed"


class InviteError(Exception):
    """An invite link that cannot be used; ``reason`` is shown to the person in Dutch."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Principal:
    """The person (or screen) behind a request, as the server knows it."""

    session_id: str
    family_id: str
    meeting_id: str | None
    person_id: str | None
    role: str
    name: str

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
        raise InviteError("Deze link werkt niet. Vraag de regisseur om een nieuwe link.")
    if _aware(invite.expires_at) < utcnow():
        raise InviteError("Deze link is verlopen. Vraag de regisseur om een nieuwe link.")
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
        raise InviteError("Deze link is al gebruikt. Vraag de regisseur om een nieuwe link.")
    meeting = await db.get(Meeting, invite.meeting_id)
    assert meeting is not None  # foreign key
    cookie = secrets.token_urlsafe(32)
    session = Session(
        token_hash=token_hash(secret, cookie),
        invite_id=invite.id,
        family_id=meeting.family_id,
        meeting_id=meeting.id,
        person_id=invite.person_id,
        role=invite.role,
        expires_at=utcnow() + ttl,
    )
    db.add(session)
    await db.flush()
    return session, cookie


async def authenticate(
    db: AsyncSession, secret: str, cookies: Mapping[str, str], session_id: str | None
) -> Principal | None:
    """The principal of a request, or None when it carries no valid, admitted session.

    Fail closed: a tablet still waiting for admission (or refused, or removed) is no
    principal, so every page, API and socket that asks for one refuses it."""
    session = await find_session(db, secret, cookies, session_id)
    if session is None or session.revoked_at is not None or session.admission != ADMITTED:
        return None
    name = "Gedeeld scherm"
    if session.person_id is not None:
        person = await db.get(Person, session.person_id)
        name = person.name if person else ""
    return Principal(
        session.id, session.family_id, session.meeting_id, session.person_id, session.role, name
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
    if session is None or _aware(session.expires_at) < utcnow():
        return None
    return session


def _pick_cookie(cookies: Mapping[str, str], session_id: str | None) -> str | None:
    if session_id:
        return cookies.get(COOKIE_PREFIX + session_id)
    ours = [value for key, value in cookies.items() if key.startswith(COOKIE_PREFIX)]
    return ours[0] if len(ours) == 1 else None


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; everything we store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
