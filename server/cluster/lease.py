"""Each process's lease in PostgreSQL, and fencing.

A process registers a ``server_processes`` row under a fresh id and renews it every
``lease/6`` seconds. Every append checks the lease in its own transaction (a ``FOR SHARE``
lock, so a reaper cannot delete the row under a commit in flight: ``postgres_appender.py``).
A process that finds its lease expired — it was paused (SIGSTOP, a VM freeze) or cut off from
the database for longer than the lease — stops at once (``lost``): the updates it had not
committed were never acknowledged or relayed, and its clients reconnect to a live process and
send them again. The others reap expired rows, and a reaped process's connections leave
everyone's presence.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from ..errors import Fenced
from ..storage.models import ServerProcess

log = logging.getLogger(__name__)


class Lease:
    """This process's lease; ``live`` is the set of processes whose leases hold."""

    def __init__(self, engine: AsyncEngine, seconds: float, lost: Callable[[str], None]):
        # renewals on a connection of their own, never behind the shared pool's queue (with
        # 500 clients joining on a busy machine a process found its lease expired at renewal)
        self.engine = create_async_engine(engine.url, pool_size=1, max_overflow=0)
        self.seconds = seconds
        self.lost = lost
        self.process = uuid.uuid4().hex
        self.live: set[str] = {self.process}
        self._expires = func.now() + timedelta(seconds=seconds)

    async def register(self) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                insert(ServerProcess).values(id=self.process, expires_at=self._expires)
            )

    async def renew(self) -> set[str]:
        """Renew ours, reap expired ones; returns the processes reaped now."""
        async with self.engine.begin() as conn:
            renewed = await conn.execute(
                update(ServerProcess)
                .where(ServerProcess.id == self.process, ServerProcess.expires_at > func.now())
                .values(expires_at=self._expires)
            )
            if renewed.rowcount == 0:
                self.lost("the lease expired before it was renewed")
                raise Fenced(self.process)
            reaped = await conn.execute(
                delete(ServerProcess)
                .where(ServerProcess.expires_at <= func.now())
                .returning(ServerProcess.id)
            )
            gone = {row[0] for row in reaped}
            self.live = set(await conn.scalars(select(ServerProcess.id)))
        return gone

    async def release(self) -> None:
        """A graceful stop: the others need not wait for the lease to run out."""
        try:
            async with self.engine.begin() as conn:
                await conn.execute(delete(ServerProcess).where(ServerProcess.id == self.process))
        finally:
            await self.engine.dispose()

    async def keep(self, reaped: Callable[[set[str]], None]) -> None:
        """Renew for as long as the process serves (a task)."""
        while True:
            await asyncio.sleep(self.seconds / 6)  # the renewal rhythm itself
            try:
                gone = await self.renew()
            except Fenced:
                return
            except Exception:  # the database is away: the fence decides, not this loop
                log.exception("lease renewal failed")
                continue
            reaped(gone)
