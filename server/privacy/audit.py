"""The audit log (NEN 7513 fields). Rows are only ever inserted, never updated or deleted.

Pseudonymous by design: a row holds random ids (person, user, family, meeting), a role, an
action code, an outcome, an access point and a short ``detail`` made of ids and counts — never a
name, a token or plan text. The only link from an id to a person is the ``people`` row (or the
staff ``users`` row); erasing a family deletes its people, so its audit rows stay complete but
no longer point at anyone. ``record`` is the only writer; nothing in the application updates or
deletes a row (``tests/privacy/test_privacy_audit.py`` greps the source for it).

Actions (the Dutch words people read are in ``web/messages/nl/audit.json``):
``start_session`` (login by link), ``open_meeting``, ``join_meeting``, ``edit_batch`` (edits of
one connection, per period), ``close_meeting``, ``start_meeting``, ``create_invite``,
``view_family``, ``view_plan``, ``print_plan``, ``view_log``, ``export_family``,
``erase_family`` (admin action); a refused attempt of any of them has outcome ``refused``.
"""

from __future__ import annotations

import asyncio
import logging
import re
import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from ..storage.db import write_lock
from ..storage.models import AuditEvent, utcnow
from .redaction import redact

log = logging.getLogger(__name__)
_ID = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True, slots=True)
class Actor:
    """Who does something: a person of the family's table, a staff user, or the system."""

    id: str | None
    role: str
    family_id: str | None = None
    on_behalf_of: str | None = None


SYSTEM = Actor(None, "system")
ADMIN = Actor(None, "admin")  # the operator at the command line
# what the family itself sees of its log: who looked at or changed its plan
FAMILY_VISIBLE = (
    "view_plan",
    "print_plan",
    "export_family",
    "join_meeting",
    "edit_batch",
    "close_meeting",
)


async def record(
    engine: AsyncEngine,
    actor: Actor,
    action: str,
    outcome: str,
    *,
    family_id: str | None = None,
    access_point: str = "",
    detail: str = "",
) -> None:
    """Write one audit row, outside the caller's transaction (it must survive a rollback).

    A family id that is not one of ours (a probe with a long or odd id) goes into ``detail``,
    cut short, so the row is still written on every database."""
    family_id = family_id or actor.family_id
    if family_id is not None and not _ID.fullmatch(family_id):
        detail = f"{detail} requested family {family_id[:64]!r}".strip()
        family_id = None
    row = {
        "at": utcnow(),
        "actor_id": actor.id,
        "actor_role": actor.role,
        "on_behalf_of": actor.on_behalf_of,
        "family_id": family_id,
        "action": action,
        "outcome": outcome,
        "access_point": redact(access_point)[:200],  # no invite token in the log
        "detail": detail,
    }
    writer = _WRITERS.get(engine.sync_engine)
    if writer is None:
        writer = _WRITERS[engine.sync_engine] = _GroupCommit()
    await writer.write(engine, row)


class _GroupCommit:
    """Audit rows that arrive while a commit runs go into the next one, together: a busy
    server (many joins, edit batches) writes a few transactions per second, not one per row.
    ``write`` returns once its row is durable, or raises what the commit raised."""

    def __init__(self) -> None:
        self.waiting: list[tuple[dict[str, Any], asyncio.Future[None]]] = []
        self.task: asyncio.Task[None] | None = None

    async def write(self, engine: AsyncEngine, row: dict[str, Any]) -> None:
        done = asyncio.get_running_loop().create_future()
        self.waiting.append((row, done))
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._run(engine), name="audit-writer")
        await done

    async def _run(self, engine: AsyncEngine) -> None:
        while self.waiting:
            batch, self.waiting = self.waiting, []
            try:
                async with write_lock(engine), engine.begin() as conn:
                    await conn.execute(insert(AuditEvent), [row for row, _ in batch])
            except Exception as exc:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
            else:
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)


_WRITERS: weakref.WeakKeyDictionary[Any, _GroupCommit] = weakref.WeakKeyDictionary()
