"""Edit batches in the audit log: one row per connection per period of editing, not one row
per keystroke.

The room counts a connection's durable edits (``Peer.edits``, one integer add per commit). The
websocket loop asks ``EditAudit.is_due`` after each message whether a period has passed and there
is something new; ``close`` writes the rest when the connection ends. So the hot path gains one
clock read per message and the audit log one row per ``audit_edit_seconds`` per active editor.
A process killed mid-period loses that period's row (the edits themselves are on disk).
"""

from __future__ import annotations

import asyncio
import logging
import time

from sqlalchemy.ext.asyncio import AsyncEngine

from ..crdt.room import Peer, Room
from . import audit
from .audit import Action, Actor, Outcome

log = logging.getLogger(__name__)
CLOSE_WAIT = 5.0  # seconds to let the last edits of a leaving connection commit


class EditAudit:
    """Audits the edits of one connection to one meeting."""

    def __init__(self, engine: AsyncEngine, actor: Actor, meeting_id: str, interval: float):
        self.engine = engine
        self.actor = actor
        self.meeting_id = meeting_id
        self.interval = interval
        self.audited = 0
        self.due = time.monotonic() + interval

    def is_due(self, peer: Peer, now: float) -> bool:
        """A period has passed and the connection edited since the last row (checked after
        every message: no coroutine, no await, unless a row is due)."""
        return now >= self.due and peer.edits > self.audited

    async def write(self, peer: Peer) -> None:
        """Audit the edits since the last row."""
        await self._write(peer.edits)

    async def close(self, room: Room, peer: Peer) -> None:
        """The connection ends: wait briefly for its last edits to commit, then write them."""
        try:
            async with asyncio.timeout(CLOSE_WAIT):
                await room.wait_committed(room.seq)
        except TimeoutError:
            log.warning("meeting %s: edits still not durable at disconnect", self.meeting_id)
        if peer.edits > self.audited:
            await self._write(peer.edits)

    async def _write(self, total: int) -> None:
        count = total - self.audited
        try:
            await audit.record(
                self.engine,
                self.actor,
                Action.EDIT_BATCH,
                Outcome.OK,
                access_point=f"ws:{self.meeting_id}",
                detail=f"meeting {self.meeting_id}; {count} changes",
            )
        except Exception:  # the database is in trouble: keep the count for the next try
            log.exception("meeting %s: could not audit %d edits", self.meeting_id, count)
            return
        self.audited = total
        self.due = time.monotonic() + self.interval
