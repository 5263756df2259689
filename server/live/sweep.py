"""Open meeting connections keep their sessions alive, end when their session ends, and are
closed when they fall silent.

One task per process. Every ``session_check_seconds``: one query reads the sessions of every
open socket, sockets whose session was revoked, ran past its absolute timeout, was not (or no
longer) admitted, belongs to a disabled user or is gone (an erased family) are closed with
4401, and the rest count as active (an open meeting is activity: it never idles out): those
not marked so for a quarter of the idle timeout are, in small UPDATEs. Per-connection checks
would cost a query per socket per period; this costs one and a few.
And a socket that sent nothing (not even the presence renewal browsers send every 15 s) for
``idle_timeout`` seconds is closed with 4508 (checked four times per idle timeout; a timer
around every receive cost a tenth of the server's CPU under load).
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta

from sqlalchemy import func, select, update

from ..access.sessions import in_force
from ..crdt.close_codes import CloseCode
from ..services import Services
from ..storage.db import write_lock
from ..storage.models import Session, User, as_utc, utcnow

log = logging.getLogger(__name__)
READ_CHUNK = 5_000  # session ids per SELECT: far below SQLite's and asyncpg's parameter limits
WRITE_CHUNK = 200  # sessions per UPDATE transaction, each holding the write lock briefly


async def sweep_forever(state: Services) -> None:
    settings = state.settings
    period = min(settings.session_check_seconds, settings.idle_timeout / 4)
    checked = time.monotonic()
    while True:
        await asyncio.sleep(period)  # periodic by nature
        now = time.monotonic()
        closed = await state.connections.close_idle(now - settings.idle_timeout, CloseCode.IDLE)
        if closed:
            log.info("closed %d silent meeting connection(s)", closed)
        # half a period of slack: a sleep may end a hair early, and a check skipped for that
        # would leave a revoked session's sockets open for a second period
        if now - checked < settings.session_check_seconds - period / 2:
            continue
        checked = now
        try:
            await sweep(state)
        except Exception:  # a database hiccup: try again next period, keep the task alive
            log.exception("session sweep failed")


async def sweep(state: Services) -> None:
    open_ids = state.connections.session_ids()
    if not open_ids:
        return
    ids = list(open_ids)  # read READ_CHUNK at a time
    alive: set[str] = set()
    stale: list[str] = []
    now = utcnow()
    idle = timedelta(minutes=state.settings.session_idle_minutes)
    async with state.sessions() as db:
        for start in range(0, len(ids), READ_CHUNK):
            # plain rows of the columns needed: no ORM object per open session every period
            rows = await db.execute(
                select(
                    Session.id,
                    Session.admission,
                    Session.revoked_at,
                    Session.expires_at,
                    func.coalesce(Session.last_seen_at, Session.created_at).label("seen"),
                )
                .outerjoin(User, User.id == Session.user_id)
                .where(
                    Session.id.in_(ids[start : start + READ_CHUNK]),
                    User.disabled_at.is_(None),
                )
            )
            for row in rows:
                if in_force(row, now):
                    alive.add(row.id)
                    if now - as_utc(row.seen) >= idle / 4:
                        stale.append(row.id)
        # Only sessions not written for a quarter of the idle timeout (they stay far from it),
        # in small transactions: every meeting's commit waits while one holds the write lock
        # (this was one UPDATE of every open session, every period)
        for start in range(0, len(stale), WRITE_CHUNK):
            async with write_lock(state.engine):
                await db.execute(
                    update(Session)
                    .where(Session.id.in_(stale[start : start + WRITE_CHUNK]))
                    .values(last_seen_at=now)
                    .execution_options(synchronize_session=False)
                )
                await db.commit()
    ended = open_ids - alive
    if ended:
        closed = await state.connections.close_sessions(ended, CloseCode.NOT_SIGNED_IN)
        log.info("closed %d meeting connection(s): their session ended", closed)
