"""Appends to the update log on SQLite: one thread, one plain ``sqlite3`` connection.

Every keystroke at the table ends in a commit (the group-commit writer batches what arrives
meanwhile), and nothing is relayed before that commit. Through SQLAlchemy and aiosqlite a
one-row commit cost ~1.0 ms and ~0.8 ms of CPU: a pool checkout, and a hop to aiosqlite's
thread and back for BEGIN, INSERT, COMMIT and the pool's reset each. Here it is one hop and
one ``executemany``: ~0.23 ms, most of it the fsync (``synchronous=FULL``), and ~0.16 ms of CPU
(measured on the benchmark machine; see README "Performance").

The connection is opened on, used on and closed on the appender's own thread. It takes the
same PRAGMAs as the engine's connections and the caller holds ``db.write_lock``, so it never
meets another writer in SQLite's busy handler.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from ..crdt.store import LogEntry
from .db import sqlite_pragmas
from .models import DocumentUpdate

COLUMNS = "meeting_id, data, author_id, author_role, audited"
INSERT = f"INSERT INTO {DocumentUpdate.__tablename__} ({COLUMNS}) VALUES (?, ?, ?, ?, ?)"


class SqliteAppender:
    def __init__(self, path: str):
        self.path = path
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="update-log")
        self._conn: sqlite3.Connection | None = None  # touched only on self._thread
        self._closed = False

    async def append(self, rows: Sequence[LogEntry]) -> None:
        """Append all rows in one transaction: durable when this returns, or none of them."""
        await asyncio.get_running_loop().run_in_executor(self._thread, self._append, rows)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await asyncio.get_running_loop().run_in_executor(self._thread, self._close)
        self._thread.shutdown()

    def _append(self, rows: Sequence[LogEntry]) -> None:
        conn = self._conn or self._open()
        try:
            conn.execute("BEGIN IMMEDIATE")
            # a server edit (no author) is no one's edit batch: audited from the start
            conn.executemany(INSERT, [(*row, row.author_role is None) for row in rows])
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        sqlite_pragmas(conn)
        self._conn = conn
        return conn

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
