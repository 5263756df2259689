"""Account invitations: a link that lets a staff member set their own password, once.

Made on the admin page (a new account, or a reset) or by a coordinator for a professional of
the family. Like invite links (``sessions.py``) the token is 256 random bits shown once, in
the link; only its keyed hash is stored, and the redaction filter keeps ``/account/<token>``
out of every log line. Setting the password claims the invitation in one conditional update,
so of two tabs posting at once exactly one wins; every older invitation of the account is
withdrawn when a new one is made, and a reset also ends the account's sessions.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import AccountInviteError
from ..storage.models import AccountInvite, User, as_utc, utcnow
from .accounts import end_sessions
from .sessions import token_hash


async def create_account_invite(
    db: AsyncSession, secret: str, user: User, created_by: str | None, ttl: timedelta
) -> str:
    """A new invitation for ``user`` (earlier unused ones stop working); returns its token."""
    await db.execute(
        update(AccountInvite)
        .where(
            AccountInvite.user_id == user.id,
            AccountInvite.used_at.is_(None),
            AccountInvite.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )
    token = secrets.token_urlsafe(32)
    db.add(
        AccountInvite(
            token_hash=token_hash(secret, token),
            user_id=user.id,
            created_by=created_by,
            expires_at=utcnow() + ttl,
        )
    )
    await db.flush()
    return token


async def find_account_invite(
    db: AsyncSession, secret: str, token: str
) -> tuple[AccountInvite, User]:
    """The usable invitation and its account; ``AccountInviteError`` says why not."""
    invite = await db.scalar(
        select(AccountInvite).where(AccountInvite.token_hash == token_hash(secret, token))
    )
    user = await db.get(User, invite.user_id) if invite is not None else None
    if invite is None or user is None or invite.revoked_at is not None:
        raise AccountInviteError("unknown")
    if user.disabled_at is not None:  # a disabled account stays shut until an admin says
        raise AccountInviteError("unknown")
    if invite.used_at is not None:
        raise AccountInviteError("used")
    if as_utc(invite.expires_at) < utcnow():
        raise AccountInviteError("expired")
    return invite, user


async def redeem_account_invite(
    db: AsyncSession, secret: str, token: str, password_hash: str
) -> User:
    """Set the password through the invitation, once; the account's sessions end (a reset
    must lock out whoever knew the old password)."""
    invite, user = await find_account_invite(db, secret, token)
    now = utcnow()
    claimed = await db.execute(
        update(AccountInvite)
        .where(AccountInvite.id == invite.id, AccountInvite.used_at.is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise AccountInviteError("used")
    user.password_hash = password_hash
    await end_sessions(db, user.id)
    return user


async def reset_password(
    db: AsyncSession, secret: str, user: User, created_by: str | None, ttl: timedelta
) -> str:
    """Forget the account's password, end its sessions and make an invitation to set a new
    one; returns its token. Until it is used nobody can log in to the account."""
    user.password_hash = None
    await end_sessions(db, user.id)
    return await create_account_invite(db, secret, user, created_by, ttl)
