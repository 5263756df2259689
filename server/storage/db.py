"""Engines and migrations.

SQLite (the embedded default) runs in WAL mode with ``synchronous=FULL``: an update that one
participant saw survives even a power cut, and group commit keeps the cost per keystroke low
(see YJS-NOTES: 0.26 ms per commit, shared by everything in the batch). ``busy_timeout`` lets
the API wait for the writer instead of failing; foreign keys are on; ``secure_delete`` zeroes
deleted content (erasure, ``server/privacy/erasure.py``).
"""

from __future__ import annotations

import contextlib
import weakref
from asyncio import Lock
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
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
    return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


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
