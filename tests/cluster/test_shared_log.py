"""The shared log's numbers on PostgreSQL: two processes' stores appending batches that span
the same meetings at once draw every meeting's numbers 1..n, none twice, none skipped, and
never deadlock (each batch locks the meetings' heads in one statement, in sorted order)."""

from __future__ import annotations

import asyncio
import random

from sqlalchemy import select

from server.cluster.lease import Lease
from server.crdt.store import LogEntry
from server.settings import Settings
from server.storage.db import create_engine
from server.storage.models import DocumentUpdate
from server.storage.shared_log import Numbered, SharedUpdateStore
from tests.conftest import make_family


async def test_two_processes_number_every_meeting_in_order(pg_url: str) -> None:
    settings = Settings(database_url=pg_url, demo=True)
    meetings = [(await make_family(settings, name=f"Familie Log {n}")).meeting_id for n in "abc"]
    engines = [create_engine(pg_url) for _ in range(2)]
    drawn: list[Numbered] = []
    stores, leases = [], []
    for engine in engines:
        lease = Lease(engine, 30, lambda why: None)
        await lease.register()
        leases.append(lease)
        stores.append(
            SharedUpdateStore(engine, lease.process, print, drawn.extend, lambda m, h: None)
        )
    rnd = random.Random(7)

    async def appender(store: SharedUpdateStore) -> None:
        for _ in range(15):
            batch = [LogEntry(rnd.choice(meetings), b"\x00\x00") for _ in range(rnd.randint(1, 6))]
            await store.append(batch)

    try:
        await asyncio.wait_for(asyncio.gather(*(appender(s) for s in stores * 3)), 60)
        async with engines[0].connect() as conn:
            rows = (await conn.execute(select(DocumentUpdate.meeting_id, DocumentUpdate.seq))).all()
    finally:
        for store in stores:
            await store.close()
        for lease in leases:
            await lease.release()
        for engine in engines:
            await engine.dispose()
    for meeting in meetings:
        told = sorted(seq for m, seq, _ in drawn if m == meeting)
        stored = sorted(seq for m, seq in rows if m == meeting and seq is not None)
        assert told == stored == list(range(1, len(stored) + 1)), meeting
