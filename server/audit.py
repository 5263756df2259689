"""The audit log (NEN 7513 fields). Rows are only ever inserted, never updated or deleted."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from .logs import redact
from .models import AuditEvent

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
    """Write one audit row in its own transaction (it must survive the caller's rollback).

    A family id that is not one of ours (a probe with a long or odd id) goes into ``detail``,
    cut short, so the row is still written on every database."""
    family_id = family_id or actor.family_id
    if family_id is not None and not _ID.fullmatch(family_id):
        detail = f"{detail} requested family {family_id[:64]!r}".strip()
        family_id = None
    async with engine.begin() as conn:
        await conn.execute(
            insert(AuditEvent).values(
                actor_id=actor.id,
                actor_role=actor.role,
                on_behalf_of=actor.on_behalf_of,
                family_id=family_id,
                action=action,
                outcome=outcome,
                access_point=redact(access_point)[:200],  # no invite token in the log
                detail=detail,
            )
        )
