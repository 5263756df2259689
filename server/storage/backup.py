"""``rondetafel backup``: a consistent copy of a live SQLite database.

SQLite's online backup API copies the database page by page inside read transactions, so
the copy is one consistent moment even while the server keeps writing (WAL mode). What the
copy cannot hold: updates committed after that moment. Restore by stopping the server and
putting the copy in place of the database file (remove the old ``-wal`` and ``-shm`` files).
PostgreSQL databases are backed up with ``pg_dump`` instead.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import BackupError


def backup_sqlite(source: Path, target: Path) -> int:
    """Copy ``source`` to ``target`` (which must not exist); return the pages copied."""
    if not source.exists():
        raise BackupError(f"{source} does not exist.")
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    pages = 0

    def progress(_status: int, _remaining: int, total: int) -> None:
        nonlocal pages
        pages = total

    with sqlite3.connect(source, timeout=30) as src, sqlite3.connect(target) as dst:
        src.backup(dst, pages=256, progress=progress)
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
    if check != "ok":
        target.unlink()
        raise BackupError(f"the copy failed its integrity check: {check}")
    return pages
