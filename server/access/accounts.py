"""Staff accounts (coordinator, professional, admin): passwords, creation, disabling, membership.

Passwords are hashed with argon2id (``argon2-cffi`` defaults, RFC 9106 low-memory profile).
A login for a username that does not exist still runs one argon2 verification against a
dummy hash, so the answer takes about as long as a wrong password and does not tell which
usernames exist. Families never get an account; they join by invite link.

Membership: a staff user takes part at a family's table through a ``Person`` of that family
with ``user_id`` set; the role at that family is that person's role. An admin manages
accounts and sees no family unless such a person links them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..crdt.schema import Role
from ..errors import AccountError
from ..limits import WorkGate
from ..storage.models import Family, Person, Session, User, utcnow

STAFF_ROLES = (Role.COORDINATOR, Role.PROFESSIONAL, "admin")  # admin: accounts only, no table
USERNAME_MAX = 200
PASSWORD_MIN = 10


@cache
def hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    """A hash of a random password, computed once, for answering unknown usernames."""
    return hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    if len(password) < PASSWORD_MIN:
        raise AccountError(f"A password needs at least {PASSWORD_MIN} characters.", "short")
    return hasher().hash(password)


def normalise(username: str) -> str:
    return username.strip().lower()


async def create_user(
    db: AsyncSession,
    username: str,
    display_name: str,
    role: str,
    password_hash: str | None,
    language: str = "",
) -> User:
    """A new account; without ``password_hash`` nobody can log in to it until its owner sets a
    password through an account invitation (``account_invites.py``)."""
    name = normalise(username)
    if not name or len(name) > USERNAME_MAX or any(c.isspace() for c in name):
        raise AccountError("A username is one word of at most 200 characters.", "username")
    if len(display_name.strip()) > USERNAME_MAX:
        raise AccountError("A display name has at most 200 characters.", "name")
    if role not in STAFF_ROLES:
        raise AccountError(f"Role must be one of {', '.join(STAFF_ROLES)}.", "role")
    if await db.scalar(select(User.id).where(User.username == name)):
        raise AccountError(f"There is already an account {name!r}.", "exists")
    user = User(
        username=name,
        display_name=display_name.strip() or name,
        role=role,
        password_hash=password_hash,
        language=language,
    )
    db.add(user)
    await db.flush()
    return user


async def check_password(
    db: AsyncSession, username: str, password: str, gate: WorkGate
) -> User | None:
    """The active user with this username and password, else None (in about the same time).
    The hash is checked in a thread through ``gate`` (``TooBusy`` when too many wait): on the
    event loop each check would stall every meeting for ~100 ms."""
    user = await db.scalar(select(User).where(User.username == normalise(username)))
    stored = user.password_hash if user is not None and user.password_hash else None
    if not await gate.run(lambda: _verify(stored or _dummy_hash(), password)):
        return None
    if user is None or stored is None or user.disabled_at is not None:
        return None
    return user


def _verify(stored: str, password: str) -> bool:
    try:
        return bool(hasher().verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False


async def find_user(db: AsyncSession, username: str) -> User:
    user = await db.scalar(select(User).where(User.username == normalise(username)))
    if user is None:
        raise AccountError(f"No account {normalise(username)!r}.", "unknown")
    return user


async def disable_user(db: AsyncSession, username: str) -> User:
    """Disable the account and revoke all its sessions at once (open connections notice
    within ``session_check_seconds``)."""
    user = await find_user(db, username)
    if user.disabled_at is None:
        user.disabled_at = utcnow()
    await end_sessions(db, user.id)
    return user


async def end_sessions(db: AsyncSession, user_id: str) -> None:
    """Revoke every session of the account (open connections notice within
    ``session_check_seconds``)."""
    await db.execute(
        update(Session)
        .where(Session.user_id == user_id, Session.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def set_password(db: AsyncSession, username: str, password_hash: str) -> User:
    user = await find_user(db, username)
    user.password_hash = password_hash
    return user


async def link_person(db: AsyncSession, username: str, person_id: str) -> Person:
    """Make the account take part at a family's table as this (staff) person."""
    user = await find_user(db, username)
    person = await db.get(Person, person_id)
    if person is None:
        raise AccountError(f"No person {person_id!r}.", "unknown_person")
    if person.role not in ("coordinator", "professional"):
        raise AccountError(
            "Only a coordinator or professional can be linked to an account.", "not_staff"
        )
    person.user_id = user.id
    return person


@dataclass(frozen=True, slots=True)
class Membership:
    family_id: str
    family_name: str
    person_id: str
    role: str


async def memberships(db: AsyncSession, user_id: str) -> list[Membership]:
    """The families this user takes part in, by name."""
    rows = await db.execute(
        select(Family.id, Family.name, Person.id, Person.role)
        .join(Person, Person.family_id == Family.id)
        .where(Person.user_id == user_id, Person.removed_at.is_(None))
        .order_by(Family.name)
    )
    return [Membership(*row) for row in rows]
