"""Several real server processes on one PostgreSQL database and a private Redis: the pieces
the multi-process tests (and ``make reliability``'s long runs) start, kill and restart."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pycrdt import Doc

from server.crdt import schema
from server.crdt.store import squash
from server.settings import Settings
from server.storage.db import migrate
from tests.conftest import POSTGRES_URL, Family, make_family, postgres_database
from tests.server_process import ServerProcess, free_port


class PrivateRedis:
    """A redis-server of the test's own, on its own port, so the test may kill it."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.proc: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> PrivateRedis:
        self.proc = await asyncio.create_subprocess_exec(
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.directory),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        assert self.proc.stdout is not None
        async with asyncio.timeout(10):
            while b"Ready to accept connections" not in await self.proc.stdout.readline():
                if self.proc.returncode is not None:
                    raise RuntimeError("redis-server did not start")
        self._drain = asyncio.create_task(self.proc.stdout.read())
        return self

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()
        await self._drain


@dataclass
class Cluster:
    """``size`` processes serving one database; ``servers[i]`` may be killed and restarted."""

    url: str
    redis: PrivateRedis
    family: Family
    servers: list[ServerProcess] = field(default_factory=list)

    def process(self, tmp: Path, **settings: str) -> ServerProcess:
        return ServerProcess(
            tmp / "unused.db",
            database_url=self.url,
            redis_url=self.redis.url,
            eviction_grace="5",
            **settings,
        )

    async def stop(self) -> None:
        for server in self.servers:
            if server.proc is not None and server.proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    server.proc.send_signal(signal.SIGCONT)
                await server.terminate(timeout=60)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A migrated PostgreSQL database (several processes need one: SQLite is for one)."""
    if not POSTGRES_URL:
        pytest.skip("RONDETAFEL_TEST_POSTGRES_URL is not set: several processes need PostgreSQL")
    with postgres_database() as url:
        migrate(url)
        yield url


@contextlib.asynccontextmanager
async def cluster(url: str, tmp: Path, size: int = 3, **settings: str) -> AsyncIterator[Cluster]:
    """A demo family, a private Redis and ``size`` running processes on database ``url``."""
    redis = await PrivateRedis(tmp).start()
    family = await make_family(Settings(database_url=url, demo=True, port=free_port()))
    group = Cluster(url, redis, family)
    try:
        # side by side (their imports alone take seconds on a loaded machine); the database
        # is migrated already, so each one's migration finds nothing to do
        group.servers = [group.process(tmp, **settings) for _ in range(size)]
        await asyncio.gather(*(server.start(timeout=120) for server in group.servers))
        yield group
    except BaseException:
        for n, server in enumerate(group.servers):  # what the processes said, for the failure
            print(f"--- process {n} ---\n" + b"".join(server.output[-60:]).decode(errors="replace"))
        raise
    finally:
        await group.stop()
        if redis.proc is not None and redis.proc.returncode is None:
            await redis.kill()


async def stored_plan(url: str, meeting_id: str) -> schema.Plan:
    """The plan as the database holds it (snapshot + log), read straight from PostgreSQL in the
    order the server replays it: the snapshot, then the rows by id (a meeting's ids come in
    commit order, so what a row builds on comes before it). In heap order — which an UPDATE of
    ``audited`` shuffles — pycrdt left an update that came before what it builds on out of the
    doc: 20 of 200 shuffled orders of one meeting's 24 rows lost a goal (the "losses" that kept
    the kill rounds from passing)."""
    import asyncpg  # type: ignore[import-untyped]

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        rows = await conn.fetch(
            "select data from (select 0 as part, 0 as id, data from document_snapshots "
            "where meeting_id=$1 union all select 1, id, data from document_updates "
            "where meeting_id=$1) as stored order by part, id",
            meeting_id,
        )
    finally:
        await conn.close()
    doc: Doc = Doc()
    doc.apply_update(squash([r["data"] for r in rows]))
    return schema.extract(doc)
