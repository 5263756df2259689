"""The SQL implementation of the live core's ``UpdateStore``: the append-only update log
and its compacted snapshot, on SQLite or PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, delete, insert, literal, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ..crdt.store import LogEntry, squash
from .db import write_lock
from .models import DocumentSnapshot, DocumentUpdate, utcnow
from .sqlite_appender import SqliteAppender

log = logging.getLogger(__name__)
DELETE_CHUNK = 5000  # ids per DELETE … IN (…): asyncpg takes at most 32,767 parameters


class SqlUpdateStore:
    """``UpdateStore`` over SQLAlchemy Core (no ORM work on the hot path); on a SQLite file the
    appends, the hottest path, go through ``SqliteAppender`` instead."""

    def __init__(self, engine: AsyncEngine):
        self.engine = engine
        database = engine.url.database
        self._appender = (
            SqliteAppender(database)
            if engine.dialect.name == "sqlite" and database not in (None, "", ":memory:")
            else None
        )

    async def load(self, meeting_id: str) -> list[bytes]:
        async with self.engine.connect() as conn:
            return await _read(conn, meeting_id)

    async def append(self, batch: Sequence[LogEntry]) -> None:
        if self._appender is not None:
            async with write_lock(self.engine):
                await self._appender.append(batch)
            return
        rows = [row_of(entry) for entry in batch]
        async with write_lock(self.engine), self.engine.begin() as conn:
            await conn.execute(insert(DocumentUpdate), rows)

    async def close(self) -> None:
        if self._appender is not None:
            await self._appender.close()

    async def compact(self, meeting_id: str) -> int:
        """Replay snapshot + log (in a thread), then swap them in one short transaction.

        The swap deletes exactly the rows the replay read, by id, and of those only the ones
        whose edit batch is audited (``privacy.edit_audit``; the others stay, and applying
        them again after the snapshot changes nothing). Not ``id <= max(id)``: on PostgreSQL
        an id is drawn from a sequence at insert, not at commit, so a row with a lower id can
        commit after the read, and a range would delete it unfolded. If another compaction
        (another process) folded some of the rows first, they are no longer there to delete:
        that one's snapshot holds them and more, so this one gives way and changes nothing.
        With nothing to delete it changes nothing either (its snapshot could be older than
        one written meanwhile)."""
        async with self.engine.connect() as conn:
            foldable, updates, head = await _read_log(conn, meeting_id)
        if not foldable:
            return 0
        snapshot = await asyncio.to_thread(squash, updates)
        if not foldable:
            return 0
        try:
            async with write_lock(self.engine), self.engine.begin() as conn:
                deleted = 0
                for start in range(0, len(foldable), DELETE_CHUNK):
                    chunk = foldable[start : start + DELETE_CHUNK]
                    result = await conn.execute(
                        delete(DocumentUpdate).where(
                            DocumentUpdate.meeting_id == meeting_id, DocumentUpdate.id.in_(chunk)
                        )
                    )
                    deleted += int(result.rowcount)
                if deleted != len(foldable):
                    raise _Overtaken
                await _upsert_snapshot(conn, meeting_id, snapshot, head)
        except _Overtaken:
            log.info("meeting %s: another compaction folded the log first", meeting_id)
            return 0
        return deleted


def row_of(entry: LogEntry) -> dict[str, Any]:
    return {
        "meeting_id": entry.meeting_id,
        "data": entry.data,
        "author_id": entry.author_id,
        "author_role": entry.author_role,
        "audited": entry.author_role is None,  # a server edit is no one's edit batch
    }


class _Overtaken(Exception):
    """Rolls back a compaction whose rows another compaction already folded."""


async def _read_log(conn: AsyncConnection, meeting_id: str) -> tuple[list[int], list[bytes], int]:
    """Ids of the audited log rows, snapshot + rows, and the highest commit-order number
    among them (0 while one process serves alone), in one statement (see ``_read``)."""
    rows = (await conn.execute(_both(meeting_id))).all()
    foldable = [row.id for row in rows if row.id and row.audited]
    return foldable, [row.data for row in rows], _head(rows)


def _head(rows: Sequence[Any]) -> int:
    return max((row.seq for row in rows if row.seq is not None), default=0)


async def _read(conn: AsyncConnection, meeting_id: str) -> list[bytes]:
    """Snapshot and log in ONE statement: a statement sees one consistent state, while two
    SELECTs could straddle a compaction's swap (old snapshot, log already folded: rows lost).
    pysqlite opens no transaction for SELECTs, so this cannot rely on one."""
    rows = await conn.execute(_both(meeting_id))
    return [row.data for row in rows]


def _both(meeting_id: str, after: int | None = None) -> Select[Any]:
    """``(id, seq, data)`` of the snapshot (id 0, first) and then of every log row in order;
    ``after``: only what a process that has everything up to that number lacks."""
    log_rows = select(
        literal(1).label("part"),
        DocumentUpdate.id,
        DocumentUpdate.seq,
        DocumentUpdate.audited,
        DocumentUpdate.data,
    ).where(DocumentUpdate.meeting_id == meeting_id)
    snapshot = select(
        literal(0).label("part"),
        literal(0).label("id"),
        DocumentSnapshot.seq,
        literal(True).label("audited"),
        DocumentSnapshot.data,
    ).where(DocumentSnapshot.meeting_id == meeting_id)
    if after is not None:
        log_rows = log_rows.where(DocumentUpdate.seq > after)
        snapshot = snapshot.where(DocumentSnapshot.seq > after)
    both = union_all(snapshot, log_rows).subquery()
    order = both.c.seq if after is not None else both.c.id
    return select(both.c.id, both.c.seq, both.c.audited, both.c.data).order_by(both.c.part, order)


async def _upsert_snapshot(conn: AsyncConnection, meeting_id: str, data: bytes, seq: int) -> None:
    values = {"meeting_id": meeting_id, "data": data, "updated_at": utcnow(), "seq": seq}
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    stmt = dialect.insert(DocumentSnapshot).values(values)
    changed = {"data": data, "updated_at": values["updated_at"], "seq": seq}
    await conn.execute(stmt.on_conflict_do_update(index_elements=["meeting_id"], set_=changed))
