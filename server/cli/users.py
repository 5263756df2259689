"""``rondetafel user add|list|disable|password|link``: staff accounts from the command line.

The first account, an admin, is made here with ``rondetafel user add NAME --role admin``;
after that the admin's web page (``pages/accounts.py``) does the same with the same
functions. Passwords are read from the terminal (asked twice) or, for scripts, one line
from standard input with ``--password-stdin``; they are never taken as an argument (it
would show in ``ps`` and in the shell history) and never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..access import accounts
from ..errors import AccountError
from ..privacy import audit
from ..privacy.audit import Action, Outcome
from ..settings import Settings
from ..storage.db import create_engine, migrate, sessionmaker
from ..storage.models import User


def add_to(commands: Any) -> None:
    user = commands.add_parser("user", help="manage staff accounts")
    user.set_defaults(handle=handle)
    actions = user.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="create an account")
    add.add_argument("username")
    add.add_argument("--name", default="", help="display name (default: the username)")
    add.add_argument("--role", choices=accounts.STAFF_ROLES, required=True)
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    actions.add_parser("list", help="list accounts")
    disable = actions.add_parser("disable", help="disable an account and end its sessions")
    disable.add_argument("username")
    password = actions.add_parser("password", help="set a new password")
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true")
    link = actions.add_parser("link", help="let an account take part as a person of a family")
    link.add_argument("username")
    link.add_argument("person_id", help="the id of a coordinator or professional person")


def handle(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    migrate(settings.database_url)
    if args.action == "list":
        return _in_db(settings, "list", _list)
    if args.action == "disable":
        return _in_db(settings, "disable", lambda db: _disable(db, args.username))
    if args.action == "link":
        return _in_db(settings, "link", lambda db: _link(db, args.username, args.person_id))
    password_hash = accounts.hash_password(_read_password(args.password_stdin))
    if args.action == "password":
        return _in_db(settings, "password", lambda db: _password(db, args.username, password_hash))
    return _in_db(
        settings,
        "add",
        lambda db: _add(db, args.username, args.name, args.role, password_hash),
    )


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise AccountError("The passwords differ.")
    return first


def _in_db(
    settings: Settings, action: str, work: Callable[[AsyncSession], Awaitable[tuple[str, str]]]
) -> int:
    """Run ``work`` in one transaction; audit it as an admin action (ids only, no names)."""

    async def go() -> str:
        engine = create_engine(settings.database_url)
        try:
            async with sessionmaker(engine).begin() as db:
                message, subject = await work(db)
            await audit.record(
                engine,
                audit.ADMIN,
                Action.ADMIN_ACTION,
                Outcome.OK,
                access_point="cli",
                detail=f"user {action} {subject}".strip(),
            )
            return message
        finally:
            await engine.dispose()

    print(asyncio.run(go()))
    return 0


async def _add(
    db: AsyncSession, username: str, name: str, role: str, password_hash: str
) -> tuple[str, str]:
    user = await accounts.create_user(db, username, name, role, password_hash)
    await db.flush()
    return f"Account {user.username!r} ({user.role}) created.", user.id


async def _list(db: AsyncSession) -> tuple[str, str]:
    users = await db.scalars(select(User).order_by(User.username))
    lines = [
        f"{u.username:<24} {u.role:<13} {'disabled' if u.disabled_at else 'active':<9} "
        f"{u.display_name}"
        for u in users
    ]
    return "\n".join(lines) or "No accounts yet.", ""


async def _disable(db: AsyncSession, username: str) -> tuple[str, str]:
    user = await accounts.disable_user(db, username)
    return f"Account {user.username!r} disabled; its sessions have ended.", user.id


async def _password(db: AsyncSession, username: str, password_hash: str) -> tuple[str, str]:
    user = await accounts.set_password(db, username, password_hash)
    return f"New password set for {user.username!r}.", user.id


async def _link(db: AsyncSession, username: str, person_id: str) -> tuple[str, str]:
    person = await accounts.link_person(db, username, person_id)
    return f"{username!r} now takes part as {person.name} ({person.role}).", person.id
