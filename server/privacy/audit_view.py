"""The audit log as people read it: a family's rows, newest first, a page at a time, with
names resolved and codes put into Dutch words.

Names come only from this family's people (and staff accounts): a row written when someone of
another family probed this family's ids shows "unknown", never that person's name."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..messages import catalogue, long_date_time, t, time_zone
from ..storage.models import AuditEvent, Family, Person, User
from .audit import FAMILY_VISIBLE, Action

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class LogLine:
    """One audit row in words."""

    action: str
    when: str
    who: str
    role: str
    on_behalf: str
    what: str
    outcome: str
    where: str
    access_point: str


@dataclass(frozen=True, slots=True)
class LogPage:
    lines: list[LogLine]
    page: int
    has_older: bool


async def family_log(
    db: AsyncSession, family_id: str, page: int, *, family_view: bool = False
) -> LogPage:
    """Page ``page`` (from 1) of the family's audit rows. ``family_view``: only what the family
    itself is shown — successful views, prints, exports and changes of its plan."""
    query = select(AuditEvent).where(AuditEvent.family_id == family_id)
    if family_view:
        query = query.where(AuditEvent.action.in_(FAMILY_VISIBLE), AuditEvent.outcome == "ok")
    rows = list(
        await db.scalars(
            query.order_by(AuditEvent.id.desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)
        )
    )
    names = await _names(db, family_id, rows[:PAGE_SIZE])
    zone = time_zone(await db.scalar(select(Family.time_zone).where(Family.id == family_id)) or "")
    lines = [_line(row, names, zone) for row in rows[:PAGE_SIZE]]
    return LogPage(lines, page, len(rows) > PAGE_SIZE)


# whom an action was done to: the person id its detail names ("person <id>", "to person <id>")
SUBJECT = re.compile(r"\bperson ([0-9a-f]{32})\b")
SUBJECT_ACTIONS = frozenset(
    {
        Action.ADD_PERSON,
        Action.CHANGE_PERSON,
        Action.REMOVE_PERSON,
        Action.VIEW_PERSON,
        Action.HAND_OVER_FAMILY,
        Action.RECEIVE_FAMILY,
        Action.CREATE_INVITE,
    }
)


def _subject(row: AuditEvent) -> str | None:
    found = SUBJECT.search(row.detail) if row.action in SUBJECT_ACTIONS else None
    return found.group(1) if found else None


async def _names(db: AsyncSession, family_id: str, rows: Iterable[AuditEvent]) -> dict[str, str]:
    ids = {i for row in rows for i in (row.actor_id, row.on_behalf_of, _subject(row)) if i}
    if not ids:
        return {}
    people = await db.execute(
        select(Person.id, Person.name).where(Person.family_id == family_id, Person.id.in_(ids))
    )
    users = await db.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    found = {row[0]: row[1] for row in users}
    found.update({row[0]: row[1] for row in people})  # this family's people win
    return found


def _line(row: AuditEvent, names: dict[str, str], zone: Any) -> LogLine:
    return LogLine(
        action=row.action,
        when=long_date_time(row.at, zone),
        who=_who(row, names),
        role=_word("audit.roles", row.actor_role, fallback="common.roles"),
        on_behalf=names.get(row.on_behalf_of, t("audit.unknown_person"))
        if row.on_behalf_of
        else t("audit.nobody"),
        what=_what(row, names),
        outcome=_word("audit.outcomes", row.outcome),
        where=t(f"audit.where.{_where(row.access_point)}"),
        access_point=row.access_point,
    )


def _what(row: AuditEvent, names: dict[str, str]) -> str:
    """The action in words, and whom it was done to when that is a person of this family
    (the log keeps a removed person's name: their row stays)."""
    what = _word("audit.actions", row.action)
    subject = _subject(row)
    return f"{what}: {names[subject]}" if subject in names else what


def _who(row: AuditEvent, names: dict[str, str]) -> str:
    if row.actor_id:
        return names.get(row.actor_id, t("audit.unknown_person"))
    if row.actor_role == "screen":
        return t("audit.screen")
    if row.actor_role == "anonymous":
        return t("audit.unknown_person")
    if row.actor_role == "admin":
        return t("audit.admin")
    return t("audit.system")


def _word(prefix: str, code: str, fallback: str = "") -> str:
    for section in (prefix, fallback):
        key = f"{section}.{code}"
        if section and key in catalogue():
            return t(key)
    return code


def _where(access_point: str) -> str:
    if access_point.startswith("ws:"):
        return "live"
    if access_point.startswith("/api/"):
        return "api"
    if access_point == "cli":
        return "cli"
    return "web"
