"""``rondetafel family erase <id>`` and ``rondetafel family expired``: the operator's side of
erasure and retention.

The command line runs beside the server, not inside it, so it cannot close a live room there.
It therefore refuses to erase a family whose meeting is live — erase that one on the family
page, where the room is shut first — unless the operator says the server is stopped.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from sqlalchemy import select

from ..errors import ErasureError, OperatorError
from ..messages import long_date
from ..privacy import audit
from ..privacy.audit import ADMIN, Action, Outcome
from ..privacy.erasure import erase_family
from ..privacy.retention import expired_families
from ..settings import Settings
from ..speech import AudioCache
from ..storage.db import create_engine, migrate, sessionmaker
from ..storage.models import Family, Meeting, MeetingStatus


def add_to(commands: Any) -> None:
    family = commands.add_parser("family", help="privacy: erase a family, list expired ones")
    family_commands = family.add_subparsers(dest="family_command", required=True)
    eraser = family_commands.add_parser("erase", help="erase one family (asks for its name)")
    eraser.add_argument("family_id")
    eraser.add_argument("--yes", action="store_true", help="do not ask for the family's name")
    eraser.add_argument(
        "--server-stopped",
        action="store_true",
        help="erase even with a live meeting (only when no server is running)",
    )
    eraser.set_defaults(handle=lambda args: erase(args.family_id, args.yes, args.server_stopped))
    listing = family_commands.add_parser("expired", help="list families past the retention period")
    listing.set_defaults(handle=lambda args: expired())


def expired() -> int:
    """Print the families past the retention period; erasing them stays a human decision."""
    settings = Settings.from_env()
    migrate(settings.database_url)
    found = asyncio.run(_expired(settings))
    years = f"{settings.retention_years:g}"
    if not found:
        print(f"No family is past the retention period ({years} years).")
        return 0
    print(f"Families whose last plan version or meeting is older than {years} years:")
    for family_id, name, last in found:
        print(f"  {family_id}  last activity {last}  {name}")
    print("Erase one with: rondetafel family erase <id>")
    return 0


async def _expired(settings: Settings) -> list[tuple[str, str, str]]:
    engine = create_engine(settings.database_url)
    try:
        async with sessionmaker(engine)() as db:
            rows = await expired_families(db, settings.retention_years)
    finally:
        await engine.dispose()
    return [(r.family_id, r.name, long_date(r.last_activity)) for r in rows]


def erase(family_id: str, yes: bool, server_stopped: bool) -> int:
    settings = Settings.from_env()
    migrate(settings.database_url)
    return asyncio.run(_erase(settings, family_id, yes, server_stopped))


async def _erase(settings: Settings, family_id: str, yes: bool, server_stopped: bool) -> int:
    engine = create_engine(settings.database_url)
    try:
        async with sessionmaker(engine)() as db:
            family = await db.get(Family, family_id)
            live = await db.scalar(
                select(Meeting.id).where(
                    Meeting.family_id == family_id, Meeting.status == MeetingStatus.LIVE
                )
            )
        if family is None:
            raise OperatorError(f"no family {family_id!r}.")
        if live is not None and not server_stopped:
            raise OperatorError(
                "this family has a live meeting. Erase it on the family page (the server "
                "closes the meeting first), or stop the server and add --server-stopped."
            )
        if not yes and not _confirmed(family.name):
            print("Nothing erased.", file=sys.stderr)
            return 1
        try:
            erased = await erase_family(engine, None, AudioCache.of(settings), family_id)
        except ErasureError:
            await audit.record(
                engine,
                ADMIN,
                Action.ERASE_FAMILY,
                Outcome.FAILED,
                family_id=family_id,
                access_point="cli",
            )
            raise
        await audit.record(
            engine,
            ADMIN,
            Action.ERASE_FAMILY,
            Outcome.OK,
            family_id=family_id,
            access_point="cli",
            detail=erased.summary(),
        )
    finally:
        await engine.dispose()
    print(f"Family {family_id} erased ({erased.summary()}). Its audit rows remain, pseudonymous.")
    return 0


def _confirmed(name: str) -> bool:
    typed = input(f"Type the family's name ({name}) to erase it: ")
    return " ".join(typed.split()).casefold() == " ".join(name.split()).casefold()
