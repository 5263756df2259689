"""Edit batches in the audit log: one row per writer per meeting per period, never one per
keystroke, and never lost to a crash.

Each stored update names its sender (``crdt.store.LogEntry``), in the same commit as the
update. ``audit_edits`` turns the rows not yet audited into one audit row per meeting and
writer and marks them, in one transaction: a process killed before that leaves its rows
unaudited, and the next run (at start-up too) counts them. Compaction folds away only audited
rows. So the hot path gains two short columns per row, and the audit log holds every durable
edit, the last ones of a killed process included.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Collection

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from ..crdt.room import Room
from ..storage.db import write_lock
from ..storage.models import DocumentUpdate, Meeting
from . import audit
from .audit import Action, Actor

log = logging.getLogger(__name__)
CLOSE_WAIT = 5.0  # seconds to let the last edits of a leaving connection commit
BATCH = 5000  # rows counted and marked per transaction


async def audit_edits(engine: AsyncEngine, meeting_ids: Collection[str] | None = None) -> int:
    """Audit every edit not audited yet (of these meetings only, if given); returns how many
    update rows were counted."""
    total = 0
    while True:
        counted = await _audit_batch(engine, meeting_ids)
        total += counted
        if counted < BATCH:
            return total


async def _audit_batch(engine: AsyncEngine, meeting_ids: Collection[str] | None) -> int:
    query = (
        select(
            DocumentUpdate.id,
            DocumentUpdate.meeting_id,
            DocumentUpdate.author_id,
            DocumentUpdate.author_role,
            Meeting.family_id,
        )
        .join(Meeting, Meeting.id == DocumentUpdate.meeting_id)
        .where(~DocumentUpdate.audited)
        .order_by(DocumentUpdate.id)
        .limit(BATCH)
    )
    if meeting_ids is not None:
        query = query.where(DocumentUpdate.meeting_id.in_(meeting_ids))
    if engine.dialect.name == "postgresql":  # several processes: each row counted by one
        query = query.with_for_update(of=DocumentUpdate, skip_locked=True)
    async with write_lock(engine), engine.begin() as conn:
        rows = (await conn.execute(query)).all()
        if not rows:
            return 0
        batches = Counter(
            (row.meeting_id, row.author_id, row.author_role, row.family_id)
            for row in rows
            if row.author_role is not None
        )
        await audit.record_in(
            conn,
            [
                (
                    Actor(author_id, role, family_id),
                    Action.EDIT_BATCH,
                    f"ws:{meeting_id}",
                    f"meeting {meeting_id}; {count} changes",
                )
                for (meeting_id, author_id, role, family_id), count in batches.items()
            ],
        )
        await conn.execute(
            update(DocumentUpdate)
            .where(DocumentUpdate.id.in_([row.id for row in rows]))
            .values(audited=True)
        )
    return len(rows)


class EditLedger:
    """Audits edits every ``interval`` seconds, at start (what a crash left), when a
    connection leaves (its meeting only) and at stop."""

    def __init__(self, engine: AsyncEngine, interval: float):
        self.engine = engine
        self.interval = interval
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._audit()
        self._task = asyncio.create_task(self._run(), name="edit-ledger")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._audit()

    async def settle(self, room: Room) -> None:
        """A connection leaves: wait briefly for the room's edits to commit, then audit its
        meeting, so the family's log shows the edits at once."""
        try:
            async with asyncio.timeout(CLOSE_WAIT):
                await room.wait_committed(room.seq)
        except TimeoutError:
            log.warning("meeting %s: edits still not durable at disconnect", room.meeting_id)
        await self._audit([room.meeting_id])

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)  # a period: the policy is time-based
            await self._audit()

    async def _audit(self, meeting_ids: Collection[str] | None = None) -> None:
        try:
            await audit_edits(self.engine, meeting_ids)
        except Exception:  # the database is in trouble: the rows wait for the next period
            log.exception("could not audit edits")
