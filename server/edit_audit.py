"""Edit batches in the audit log: one row per connection per period of editing, not one row
per keystroke.

The room counts a connection's durable edits (``Peer.edits``, one integer add per commit). The
websocket loop asks ``EditAudit.tick`` after each message whether a period has passed and there
is something new; ``close`` writes the rest when the connection ends. So the hot path gains one
clock read per message and the audit log one row per ``audit_edit_seconds`` per active editor.
A process killed mid-period loses that period's row (the edits themselves are on disk).
"""

from __future__ import annotations

import asyncio
import logging
import time

from sqlalchemy.ext.asyncio import AsyncEngine

from . import audit
from .audit import Actor
from .crdt.room import Peer, Room

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

    async def tick(self, peer: Peer) -> None:
        """Write a row when a period has passed and the connection edited since the last one."""
        if peer.edits > self.audited and time.monotonic() >= self.due:
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
                "edit_batch",
                "ok",
                access_point=f"ws:{self.meeting_id}",
                detail=f"meeting {self.meeting_id}; {count} changes",
            )
        except Exception:  # the database is in trouble: keep the count for the next try
            log.exception("meeting %s: could not audit %d edits", self.meeting_id, count)
            return
        self.audited = total
        self.due = time.monotonic() + self.interval
