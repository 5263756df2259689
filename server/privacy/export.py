"""Everything stored about one family as one JSON document (AVG right of access).

Included: the family, its people, its meetings (without join codes), every plan version's plan,
the live document of a running meeting (as plan JSON), invites and sessions (without token
hashes: those are keys, not data about the family) and the family's audit rows. Not included:
the Yjs binaries (update log, snapshots), which hold the same content as the plans.

``to_json`` writes ``<``, ``>`` and ``&`` as ``\\u003c``, ``\\u003e`` and ``\\u0026``: the file
means the same to any JSON reader, and user text stays inert if it is ever pasted into a page.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..crdt import schema
from ..crdt.manager import RoomManager, RoomShut
from ..storage.models import (
    AuditEvent,
    Family,
    Invite,
    Meeting,
    MeetingStatus,
    Person,
    PlanVersion,
    Session,
    utcnow,
)

FORMAT = "rondetafel-export/1"
FAMILY_COLUMNS = ("id", "name", "note", "created_at", "closed_at")
PERSON_COLUMNS = (
    *("id", "name", "role", "relation", "organisation", "offers"),
    *("birth_year", "phone", "email", "created_at", "removed_at"),
)
MEETING_COLUMNS = (
    *("id", "title", "status", "starts_at", "place", "created_at"),
    *("started_at", "closed_at", "closed_by"),
)
INVITE_COLUMNS = (
    *("id", "meeting_id", "person_id", "role", "label"),
    *("created_at", "expires_at", "used_at", "revoked_at"),
)
SESSION_COLUMNS = (
    *("id", "meeting_id", "person_id", "role"),
    *("created_at", "expires_at", "revoked_at"),
)
AUDIT_COLUMNS = (
    *("id", "at", "actor_id", "actor_role", "on_behalf_of"),
    *("action", "outcome", "access_point", "detail"),
)
INERT = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def _row(obj: Any, columns: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for name in columns:
        value = getattr(obj, name)
        out[name] = value.isoformat() if isinstance(value, datetime) else value
    return out


async def export_family(db: AsyncSession, rooms: RoomManager, family: Family) -> dict[str, Any]:
    """All data of ``family`` as plain JSON-ready values."""
    fid = family.id
    people = await db.scalars(select(Person).where(Person.family_id == fid).order_by(Person.id))
    meetings = list(
        await db.scalars(
            select(Meeting).where(Meeting.family_id == fid).order_by(Meeting.created_at)
        )
    )
    meeting_ids = [m.id for m in meetings]
    versions = await db.scalars(
        select(PlanVersion).where(PlanVersion.family_id == fid).order_by(PlanVersion.number)
    )
    invites = await db.scalars(
        select(Invite).where(Invite.meeting_id.in_(meeting_ids)).order_by(Invite.created_at)
    )
    sessions = await db.scalars(
        select(Session).where(Session.family_id == fid).order_by(Session.created_at)
    )
    audit_rows = await db.scalars(
        select(AuditEvent).where(AuditEvent.family_id == fid).order_by(AuditEvent.id)
    )
    return {
        "format": FORMAT,
        "exported_at": utcnow().isoformat(),
        "family": _row(family, FAMILY_COLUMNS),
        "people": [_row(p, PERSON_COLUMNS) for p in people],
        "meetings": [_row(m, MEETING_COLUMNS) for m in meetings],
        "plan_versions": [
            _row(v, ("number", "meeting_id", "closed_by", "closed_at", "plan")) for v in versions
        ],
        "live_documents": await _live_documents(rooms, meetings),
        "invites": [_row(i, INVITE_COLUMNS) for i in invites],
        "sessions": [_row(s, SESSION_COLUMNS) for s in sessions],
        "audit_log": [_row(a, AUDIT_COLUMNS) for a in audit_rows],
    }


async def _live_documents(rooms: RoomManager, meetings: list[Meeting]) -> list[dict[str, Any]]:
    """The shared document of each running meeting, as the plan it would become now."""
    documents = []
    for meeting in meetings:
        if meeting.status != MeetingStatus.LIVE:
            continue
        try:
            async with rooms.hold(meeting.id) as room:
                documents.append({"meeting_id": meeting.id, "document": schema.extract(room.doc)})
        except RoomShut:  # erased meanwhile
            continue
    return documents


def to_json(data: dict[str, Any]) -> bytes:
    """The export as UTF-8 JSON with markup characters escaped (see the module docstring)."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return text.translate(INERT).encode("utf-8")
