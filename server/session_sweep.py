"""Open meeting connections keep their sessions alive, end when their session ends, and are
closed when they fall silent.

One task per process. Every ``session_check_seconds``: one query reads the sessions of every
open socket, sockets whose session was revoked, ran past its absolute timeout, was not (or no
longer) admitted, belongs to a disabled user or is gone (an erased family) are closed with
4401, and one UPDATE marks the rest as active (an open meeting is activity: it never idles
out). Per-connection checks would cost a query per socket per period; this costs two.
And a socket that sent nothing (not even the presence renewal browsers send every 15 s) for
``idle_timeout`` seconds is closed with 4508 (checked four times per idle timeout; a timer
around every receive cost a tenth of the server's CPU under load).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from sqlalchemy import select, update

from .access import in_force
from .db import write_lock
from .models import Session, User, utcnow

log = logging.getLogger(__name__)
CLOSE_SESSION_ENDED = 4401
CLOSE_IDLE = 4508  # "try again later" range: a tab that wakes up reconnects by itself


async def sweep_forever(state: Any) -> None:
    settings = state.settings
    period = min(settings.session_check_seconds, settings.idle_timeout / 4)
    checked = time.monotonic()
    while True:
        await asyncio.sleep(period)  # periodic by nature
        now = time.monotonic()
        closed = await state.connections.close_idle(now - settings.idle_timeout, CLOSE_IDLE)
        if closed:
            log.info("closed %d silent meeting connection(s)", closed)
        if now - checked < settings.session_check_seconds:
            continue
        checked = now
        try:
            await sweep(state)
        except Exception:  # a database hiccup: try again next period, keep the task alive
            log.exception("session sweep failed")


async def sweep(state: Any) -> None:
    open_ids = state.connections.session_ids()
    if not open_ids:
        return
    now = utcnow()
    async with state.sessions() as db:
        rows = await db.execute(
            select(Session, User.disabled_at)
            .outerjoin(User, User.id == Session.user_id)
            .where(Session.id.in_(open_ids))
        )
        alive = {
            session.id for session, disabled in rows if disabled is None and in_force(session, now)
        }
        if alive:
            async with write_lock(state.engine):
                await db.execute(
                    update(Session).where(Session.id.in_(alive)).values(last_seen_at=now)
                )
                await db.commit()
    ended = open_ids - alive
    if ended:
        closed = await state.connections.close_sessions(ended, CLOSE_SESSION_ENDED)
        log.info("closed %d meeting connection(s): their session ended", closed)
