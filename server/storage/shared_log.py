"""The update log when several processes share one PostgreSQL database (``server/cluster/``).

Every process commits its own connections' updates. Each row gets the meeting's next number
(``DocumentUpdate.seq``), drawn from the meeting's ``MeetingLogHead`` row inside the append's
transaction (one statement, ``postgres_appender.py``): the row stays locked until that
transaction commits, so the numbers of a meeting are handed out in commit order. A process
that has everything up to n and hears of n + 2 knows n + 1 is committed too, and reads it from
here (``since``): the log, never Redis, is the truth.

Each append checks, in the same transaction, that the process's lease is still valid: a
process that was paused past its lease writes nothing (fencing).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from ..crdt.store import LogEntry
from ..errors import Fenced
from .models import MeetingLogHead
from .postgres_appender import PostgresAppender
from .update_store import SqlUpdateStore, _both, _head

Numbered = tuple[str, int, bytes]  # (meeting, seq, update)


class SharedUpdateStore(SqlUpdateStore):
    """``UpdateStore`` for several processes: numbered appends behind a fence, and reads of
    what a process lacks. ``appended``/``loaded`` tell the cluster what this process knows;
    ``fenced`` is told (and ``Fenced`` raised) when an append finds the lease expired."""

    def __init__(
        self,
        engine: AsyncEngine,
        process: str,
        fenced: Callable[[str], None],
        appended: Callable[[list[Numbered]], None],
        loaded: Callable[[str, int], None],
    ):
        super().__init__(engine)
        self.process = process
        self.fenced = fenced
        self.appended = appended
        self.loaded = loaded
        self._numbering = PostgresAppender(engine.url, process)

    async def append(self, batch: Sequence[LogEntry]) -> None:
        try:
            numbers = await self._numbering.append(batch)
        except Fenced:
            self.fenced("an append found the lease expired")
            raise
        numbered = [(e.meeting_id, seq, e.data) for e, seq in zip(batch, numbers, strict=True)]
        self.appended(numbered)  # after the commit: only durable updates are announced

    async def close(self) -> None:
        await self._numbering.close()

    async def compact(self, meeting_id: str) -> int:
        """One process at a time per meeting (an advisory lock; busy: skip, the other folds).
        Folding by the ids read would be safe even side by side: this only saves the work."""
        async with self.engine.connect() as conn:
            key = {"meeting": meeting_id}
            if not await conn.scalar(text("SELECT pg_try_advisory_lock(hashtext(:meeting))"), key):
                return 0
            try:
                return await super().compact(meeting_id)
            finally:
                await conn.execute(text("SELECT pg_advisory_unlock(hashtext(:meeting))"), key)
                await conn.commit()

    async def load(self, meeting_id: str) -> list[bytes]:
        head, updates = await self.since(meeting_id, None)
        self.loaded(meeting_id, head)
        return updates

    async def since(self, meeting_id: str, after: int | None) -> tuple[int, list[bytes]]:
        """What is stored beyond number ``after`` (all of it: None), and the highest number
        it reaches: a snapshot that folded rows past ``after`` comes with the rows after it."""
        async with self.engine.connect() as conn:
            rows = (await conn.execute(_both(meeting_id, after))).all()
        return max(_head(rows), after or 0), [row.data for row in rows]

    async def heads(self, meeting_ids: Sequence[str]) -> dict[str, int]:
        """The last number of each meeting (a timer compares them with what it has)."""
        if not meeting_ids:
            return {}
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(MeetingLogHead.meeting_id, MeetingLogHead.seq).where(
                    MeetingLogHead.meeting_id.in_(list(meeting_ids))
                )
            )
            return {row.meeting_id: row.seq for row in rows}
