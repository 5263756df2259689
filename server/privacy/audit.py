"""The audit log (NEN 7513 fields). Rows are only ever inserted, never updated or deleted.

Pseudonymous by design: a row holds random ids (person, user, family, meeting), a role, an
action code, an outcome, an access point and a short ``detail`` made of ids and counts — never a
name, a token or plan text. The only link from an id to a person is the ``people`` row (or the
staff ``users`` row); erasing a family deletes its people, so its audit rows stay complete but
no longer point at anyone. ``record`` is the only writer; nothing in the application updates or
deletes a row (``tests/privacy/test_privacy_audit.py`` greps the source for it).

Actions are ``Action``'s words (what people read is in ``web/messages/nl/audit.ftl``); a
refused attempt of any of them has outcome ``Outcome.REFUSED``.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import re
import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ..storage.db import write_lock
from ..storage.models import AuditEvent, utcnow
from .redaction import redact

log = logging.getLogger(__name__)
_ID = re.compile(r"[0-9a-f]{32}")


class Action(enum.StrEnum):
    """Every audited action; its words are ``audit.actions.<value>`` in the catalogue."""

    START_SESSION = "start_session"
    OPEN_MEETING = "open_meeting"
    JOIN_MEETING = "join_meeting"
    EDIT_BATCH = "edit_batch"
    CLOSE_MEETING = "close_meeting"
    START_MEETING = "start_meeting"
    CREATE_INVITE = "create_invite"
    VIEW_FAMILY = "view_family"
    VIEW_PLAN = "view_plan"
    PRINT_PLAN = "print_plan"
    VIEW_LOG = "view_log"
    EXPORT_FAMILY = "export_family"
    ERASE_FAMILY = "erase_family"
    LOGIN = "login"
    LOGOUT = "logout"
    VIEW_HOME = "view_home"
    ADMIN_ACTION = "admin_action"
    REQUEST_ADMISSION = "request_admission"
    ADMIT_PARTICIPANT = "admit_participant"
    REFUSE_PARTICIPANT = "refuse_participant"
    REMOVE_PARTICIPANT = "remove_participant"
    RENEW_JOIN_CODE = "renew_join_code"
    VIEW_JOIN_CODE = "view_join_code"
    VIEW_JOIN_LIST = "view_join_list"
    VIEW_TABLE = "view_table"
    WITHDRAW_INVITE = "withdraw_invite"
    CREATE_FAMILY = "create_family"
    CHANGE_FAMILY = "change_family"
    HAND_OVER_FAMILY = "hand_over_family"
    RECEIVE_FAMILY = "receive_family"
    CLOSE_FAMILY = "close_family"
    ADD_PERSON = "add_person"
    CHANGE_PERSON = "change_person"
    REMOVE_PERSON = "remove_person"
    VIEW_PERSON = "view_person"
    PLAN_MEETING = "plan_meeting"
    LINK_ACCOUNT = "link_account"  # a coordinator links a professional to an account
    SET_PASSWORD = "set_password"  # an account invitation used
    DOWNLOAD_PLAN = "download_plan"  # the plan as a PDF: a way it leaves the app
    VIEW_OWN_DATA = "view_own_data"  # the family reads what the app holds about them
    REQUEST = "request"  # a request refused before any route saw it (CSRF, Origin)


class Outcome(enum.StrEnum):
    """How it went; words in ``audit.outcomes``."""

    OK = "ok"
    REFUSED = "refused"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who does something: a person of the family's table, a staff user, or the system."""

    id: str | None
    role: str
    family_id: str | None = None
    on_behalf_of: str | None = None


SYSTEM = Actor(None, "system")
ADMIN = Actor(None, "admin")  # the operator at the command line
ANONYMOUS = Actor(None, "anonymous")  # nobody signed in: a visitor, a tablet typing a code
# what the family itself sees of its log: who looked at or changed its plan
FAMILY_VISIBLE = (
    Action.VIEW_PLAN,
    Action.PRINT_PLAN,
    Action.DOWNLOAD_PLAN,
    Action.EXPORT_FAMILY,
    Action.JOIN_MEETING,
    Action.EDIT_BATCH,
    Action.CLOSE_MEETING,
)


async def record(
    engine: AsyncEngine,
    actor: Actor,
    action: Action,
    outcome: Outcome,
    *,
    family_id: str | None = None,
    access_point: str = "",
    detail: str = "",
) -> None:
    """Write one audit row, outside the caller's transaction (it must survive a rollback)."""
    row = _row(actor, action, outcome, family_id, access_point, detail)
    writer = _WRITERS.get(engine.sync_engine)
    if writer is None:
        writer = _WRITERS[engine.sync_engine] = _GroupCommit()
    await writer.write(engine, row)


async def record_in(conn: AsyncConnection, events: list[tuple[Actor, Action, str, str]]) -> None:
    """Write ``(actor, action, access_point, detail)`` rows inside the caller's transaction,
    for rows that must commit together with what they report (the edit ledger's marks)."""
    if events:
        rows = [
            _row(a, action, Outcome.OK, None, where, detail) for a, action, where, detail in events
        ]
        await conn.execute(insert(AuditEvent), rows)


def _row(
    actor: Actor,
    action: Action,
    outcome: Outcome,
    family_id: str | None,
    access_point: str,
    detail: str,
) -> dict[str, Any]:
    """A family id that is not one of ours (a probe with a long or odd id) goes into
    ``detail``, cut short, so the row is still written on every database."""
    family_id = family_id or actor.family_id
    if family_id is not None and not _ID.fullmatch(family_id):
        detail = f"{detail} requested family {family_id[:64]!r}".strip()
        family_id = None
    return {
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
