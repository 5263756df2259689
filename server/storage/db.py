"""Engines and migrations.

SQLite (the embedded default) runs in WAL mode with ``synchronous=FULL``: an update that one
participant saw survives even a power cut, and group commit keeps the cost per keystroke low
(see YJS-NOTES: 0.26 ms per commit, shared by everything in the batch). ``busy_timeout`` lets
the API wait for the writer instead of failing; foreign keys are on; ``secure_delete`` zeroes
deleted content (erasure, ``server/privacy/erasure.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from asyncio import Lock
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

# secure_delete: deleted content is overwritten with zeros, so an erased family's text does
# not linger in free pages (costs a little on compaction, which deletes log rows)
PRAGMAS = (
    "journal_mode=WAL",
    "synchronous=FULL",
    "busy_timeout=30000",
    "foreign_keys=ON",
    "secure_delete=ON",
)
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def create_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        _ensure_parent(url)
        engine = create_async_engine(url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", lambda conn, _record: sqlite_pragmas(conn))
        return engine
    return create_async_engine(url, pool_size=POOL_SIZE, max_overflow=10, pool_pre_ping=True)


POOL_SIZE = 10
OPEN_AT_START = 5  # of them: enough for a burst of joiners, few against max_connections


async def open_pool(engine: AsyncEngine) -> None:
    """PostgreSQL: open some of the pool's connections before serving. A process started while
    another one died gets that one's clients all at once: with an empty pool the first ten
    waited 0.30–0.46 s each for their admission, with five open 0.11–0.30 s (kill rounds,
    ``tests/cluster/kills.py``, load average 8–10 on 2 cores)."""
    if engine.dialect.name == "sqlite":
        return
    everyone_open = asyncio.Barrier(OPEN_AT_START)  # hold each until all are open: distinct ones

    async def hold() -> None:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            await everyone_open.wait()

    async with asyncio.TaskGroup() as group:
        for _ in range(OPEN_AT_START):
            group.create_task(hold())


def sqlite_pragmas(dbapi_connection: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in PRAGMAS:
        cursor.execute("PRAGMA " + pragma)
    cursor.close()


def _ensure_parent(url: str) -> None:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


_WRITE_LOCKS: weakref.WeakKeyDictionary[Any, Lock] = weakref.WeakKeyDictionary()


def write_lock(engine: AsyncEngine) -> contextlib.AbstractAsyncContextManager[Any]:
    """Take turns for the hot writes (update log, audit log) to one SQLite database.

    SQLite has one writer. A second connection that wants to write waits in SQLite's busy
    handler, which sleeps 1, 2, 5 … up to 100 ms between tries: under load a commit then loses
    tens of milliseconds it did not need to (the fuzz run saw another meeting's p99 go from
    7 to 190 ms). Waiting here, in the event loop, in arrival order, costs nothing extra.
    PostgreSQL locks rows, not the database: no turns needed."""
    if engine.dialect.name != "sqlite":
        return contextlib.nullcontext()
    lock = _WRITE_LOCKS.get(engine.sync_engine)
    if lock is None:
        lock = _WRITE_LOCKS[engine.sync_engine] = Lock()
    return lock


def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[Any]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(url: str) -> None:
    """Bring the database to the newest schema. Synchronous: call it outside the event loop."""
    _ensure_parent(url) if url.startswith("sqlite") else None
    command.upgrade(alembic_config(url), "head")
