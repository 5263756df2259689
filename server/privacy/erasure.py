"""Erasing a family (AVG right to erasure): every row of its plan, meetings and people goes.

What goes, in one transaction: document updates and snapshots of its meetings, plan versions,
sessions, invites, meetings, people and the family row; then its read-aloud audio (a folder
on disk, ``server/speech.py``). What stays: the audit log, untouched
(never updated). Its rows hold only random ids, so once the people rows are gone nothing links
them to a person any more: that is the pseudonymisation (see ``server/privacy/audit.py``).

Before deleting, every session is revoked (deleted) so nobody new gets in, and each live room
is shut: its clients are told the family's data is erased (``meta.status = erased``, then
close code 4451 ``ERASED``) and show nothing of it any more, are disconnected, and the room
is never loaded again in this process.

SQLite keeps deleted content in free pages and in the WAL. ``PRAGMA secure_delete`` (on for
every connection, ``server/storage/db.py``) zeroes deleted content; after the delete we
checkpoint the WAL into the database file and truncate it, so the text is gone from the files
on disk.
PostgreSQL keeps dead tuples until VACUUM (see the README's Privacy section).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from sqlalchemy import Delete, delete, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ..crdt import schema
from ..crdt.manager import RoomManager
from ..crdt.room import Room
from ..errors import ErasureError
from ..speech import AudioCache
from ..storage.models import (
    DocumentSnapshot,
    DocumentUpdate,
    Family,
    Invite,
    Meeting,
    MeetingLogHead,
    MeetingRemoval,
    Person,
    PlanVersion,
    Session,
)
from .edit_audit import audit_edits

log = logging.getLogger(__name__)
CHECKPOINT_TRIES = 5


@dataclass
class Erased:
    """What an erasure removed: rows per table, and whether the SQLite files were scrubbed."""

    rows: dict[str, int] = field(default_factory=dict)
    scrubbed: bool = False

    def summary(self) -> str:
        """Counts only (no names): safe for the audit log's ``detail``."""
        return ", ".join(f"{table} {count}" for table, count in self.rows.items())


def _statements(family_id: str) -> list[tuple[str, Delete]]:
    """Deletes in foreign-key order. A new table with family data must be added here."""
    meetings = select(Meeting.id).where(Meeting.family_id == family_id).scalar_subquery()
    return [
        ("document_updates", delete(DocumentUpdate).where(DocumentUpdate.meeting_id.in_(meetings))),
        (
            "document_snapshots",
            delete(DocumentSnapshot).where(DocumentSnapshot.meeting_id.in_(meetings)),
        ),
        (
            "meeting_log_heads",
            delete(MeetingLogHead).where(MeetingLogHead.meeting_id.in_(meetings)),
        ),
        ("sessions", delete(Session).where(Session.family_id == family_id)),
        (
            "meeting_removals",
            delete(MeetingRemoval).where(MeetingRemoval.meeting_id.in_(meetings)),
        ),
        ("plan_versions", delete(PlanVersion).where(PlanVersion.family_id == family_id)),
        ("invites", delete(Invite).where(Invite.meeting_id.in_(meetings))),
        ("meetings", delete(Meeting).where(Meeting.family_id == family_id)),
        ("people", delete(Person).where(Person.family_id == family_id)),
        ("families", delete(Family).where(Family.id == family_id)),
    ]


async def delete_family_rows(conn: AsyncConnection, family_id: str) -> dict[str, int]:
    """Delete every row of the family on ``conn`` (inside the caller's transaction)."""
    counts = {}
    for table, statement in _statements(family_id):
        result = await conn.execute(statement)
        counts[table] = int(result.rowcount)
    return counts


async def erase_family(
    engine: AsyncEngine, rooms: RoomManager | None, audio: AudioCache, family_id: str
) -> Erased:
    """Erase one family. ``rooms`` is the server's room manager; the command line passes None
    and must make sure no server has the family's meeting open (see ``cli.py``). ``audio``:
    the read-aloud cache, whose folder of the family goes with its rows.

    Raises ``LookupError`` for an unknown family and ``ErasureError`` when the SQLite files
    could not be scrubbed (the rows are gone then, but the WAL still holds old pages)."""
    async with engine.begin() as conn:
        if await conn.scalar(select(Family.id).where(Family.id == family_id)) is None:
            raise LookupError(family_id)
        await conn.execute(delete(Session).where(Session.family_id == family_id))
        meeting_ids = list(
            await conn.scalars(select(Meeting.id).where(Meeting.family_id == family_id))
        )
    if rooms is not None:
        for meeting_id in meeting_ids:
            await rooms.shut(meeting_id, _close)
    await audit_edits(engine, meeting_ids)  # who edited stays in the log; the edits go
    async with engine.begin() as conn:
        erased = Erased(await delete_family_rows(conn, family_id))
    await asyncio.to_thread(audio.erase, family_id)  # the family's words, spoken
    if engine.dialect.name == "sqlite":
        await scrub_sqlite(engine)
        erased.scrubbed = True
    log.info("family erased: %s", erased.summary())
    return erased


def _close(room: Room) -> int:
    return room.change(schema.mark_erased)


async def scrub_sqlite(engine: AsyncEngine) -> None:
    """Move every committed page from the WAL into the database file and truncate the WAL to
    zero bytes, so old copies of deleted pages are gone from disk. Waits (busy_timeout) for
    readers to finish; a checkpoint that stays blocked is reported, not ignored."""
    for _ in range(CHECKPOINT_TRIES):
        async with engine.connect() as conn:
            row = (await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).one()
        if row[0] == 0:  # (busy, WAL frames, frames checkpointed)
            return
    raise ErasureError("The SQLite WAL could not be truncated: a reader kept it busy.")
