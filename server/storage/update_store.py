"""The SQL implementation of the live core's ``UpdateStore``: the append-only update log
and its compacted snapshot, on SQLite or PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from sqlalchemy import delete, func, insert, literal, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ..crdt.store import LogEntry, squash
from .db import write_lock
from .models import DocumentSnapshot, DocumentUpdate, utcnow
from .sqlite_appender import SqliteAppender


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
            return await _read(conn, meeting_id, upto=None)

    async def append(self, batch: Sequence[LogEntry]) -> None:
        if self._appender is not None:
            async with write_lock(self.engine):
                await self._appender.append(batch)
            return
        rows = [
            {
                "meeting_id": entry.meeting_id,
                "data": entry.data,
                "author_id": entry.author_id,
                "author_role": entry.author_role,
                "audited": entry.author_role is None,  # a server edit is no one's edit batch
            }
            for entry in batch
        ]
        async with write_lock(self.engine), self.engine.begin() as conn:
            await conn.execute(insert(DocumentUpdate), rows)

    async def close(self) -> None:
        if self._appender is not None:
            await self._appender.close()

    async def compact(self, meeting_id: str) -> int:
        """Replay snapshot + log (in a thread), then swap them in one short transaction.

        Rows appended while the replay runs have higher ids and stay in the log, and so do rows
        whose edit batch is not audited yet (``privacy.edit_audit``): applying them again
        after the snapshot changes nothing, and the next compaction folds them."""
        async with self.engine.connect() as conn:
            upto = await conn.scalar(
                select(func.max(DocumentUpdate.id)).where(DocumentUpdate.meeting_id == meeting_id)
            )
            if upto is None:
                return 0
            updates = await _read(conn, meeting_id, upto=upto)
        snapshot = await asyncio.to_thread(squash, updates)
        async with write_lock(self.engine), self.engine.begin() as conn:
            await _upsert_snapshot(conn, meeting_id, snapshot)
            result = await conn.execute(
                delete(DocumentUpdate).where(
                    DocumentUpdate.meeting_id == meeting_id,
                    DocumentUpdate.id <= upto,
                    DocumentUpdate.audited,
                )
            )
        return int(result.rowcount)


async def _read(conn: AsyncConnection, meeting_id: str, upto: int | None) -> list[bytes]:
    """Snapshot and log in ONE statement: a statement sees one consistent state, while two
    SELECTs could straddle a compaction's swap (old snapshot, log already folded: rows lost).
    pysqlite opens no transaction for SELECTs, so this cannot rely on one."""
    log_rows = select(
        literal(1).label("part"), DocumentUpdate.id.label("seq"), DocumentUpdate.data
    ).where(DocumentUpdate.meeting_id == meeting_id)
    if upto is not None:
        log_rows = log_rows.where(DocumentUpdate.id <= upto)
    snapshot = select(
        literal(0).label("part"), literal(0).label("seq"), DocumentSnapshot.data
    ).where(DocumentSnapshot.meeting_id == meeting_id)
    both = union_all(snapshot, log_rows).subquery()
    rows = await conn.execute(select(both.c.data).order_by(both.c.part, both.c.seq))
    return [row[0] for row in rows]


async def _upsert_snapshot(conn: AsyncConnection, meeting_id: str, data: bytes) -> None:
    values = {"meeting_id": meeting_id, "data": data, "updated_at": utcnow()}
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    stmt = dialect.insert(DocumentSnapshot).values(values)
    await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["meeting_id"], set_={"data": data, "updated_at": values["updated_at"]}
        )
    )
