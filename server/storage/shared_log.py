"""The update log when several processes share one PostgreSQL database (``server/cluster/``).

Every process commits its own connections' updates. Each row gets the meeting's next number
(``DocumentUpdate.seq``), drawn from the meeting's ``MeetingLogHead`` row inside the append's
transaction: the row stays locked until that transaction commits, so the numbers of a meeting
are handed out in commit order. A process that has everything up to n and hears of n + 2 knows
n + 1 is committed too, and reads it from here (``since``): the log, never Redis, is the truth.

Each append first checks, in the same transaction, that the process's lease is still valid
(``fence``): a process that was paused past its lease writes nothing (fencing).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ..crdt.store import LogEntry
from .models import DocumentUpdate, MeetingLogHead
from .update_store import SqlUpdateStore, _both, _head, row_of

Numbered = tuple[str, int, bytes]  # (meeting, seq, update)
Fence = Callable[[AsyncConnection], Awaitable[None]]


class SharedUpdateStore(SqlUpdateStore):
    """``UpdateStore`` for several processes: numbered appends behind a fence, and reads of
    what a process lacks. ``appended``/``loaded`` tell the cluster what this process knows."""

    def __init__(
        self,
        engine: AsyncEngine,
        fence: Fence,
        appended: Callable[[list[Numbered]], None],
        loaded: Callable[[str, int], None],
    ):
        super().__init__(engine)
        self.fence = fence
        self.appended = appended
        self.loaded = loaded

    async def append(self, batch: Sequence[LogEntry]) -> None:
        async with self.engine.begin() as conn:
            await self.fence(conn)
            numbered = await _number(conn, batch)
            rows = [
                {**row_of(entry), "seq": seq}
                for entry, (_, seq, _) in zip(batch, numbered, strict=True)
            ]
            await conn.execute(insert(DocumentUpdate), rows)
        self.appended(numbered)  # after the commit: only durable updates are announced

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


async def _number(conn: AsyncConnection, batch: Sequence[LogEntry]) -> list[Numbered]:
    """Draw each meeting's numbers in one statement (a batch spans up to every live meeting:
    a round trip each was most of a commit). The rows are listed in sorted order, and
    PostgreSQL takes their locks in that order, so two processes appending to the same
    meetings never deadlock."""
    counts: dict[str, int] = {}
    for entry in batch:
        counts[entry.meeting_id] = counts.get(entry.meeting_id, 0) + 1
    heads = await conn.execute(_advance(counts))
    next_seq = {row.meeting_id: int(row.seq) - counts[row.meeting_id] + 1 for row in heads}
    numbered = []
    for entry in batch:
        numbered.append((entry.meeting_id, next_seq[entry.meeting_id], entry.data))
        next_seq[entry.meeting_id] += 1
    return numbered


def _advance(counts: dict[str, int]) -> Any:
    rows = [{"meeting_id": m, "seq": counts[m]} for m in sorted(counts)]
    stmt = postgresql.insert(MeetingLogHead).values(rows)
    return stmt.on_conflict_do_update(
        index_elements=["meeting_id"], set_={"seq": MeetingLogHead.seq + stmt.excluded.seq}
    ).returning(MeetingLogHead.meeting_id, MeetingLogHead.seq)
