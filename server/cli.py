"""The ``rondetafel`` command: ``serve`` (migrate, then serve), ``demo``, ``backup`` and
``user`` (staff accounts), ``family erase`` / ``family expired`` (privacy)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys

from . import user_cli
from .settings import Settings, describe


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="rondetafel",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_settings_help(),
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="migrate the database, then serve")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    demo = commands.add_parser("demo", help="create a demo family and print invite links")
    demo.add_argument("--json", action="store_true", help="print JSON")
    backup = commands.add_parser("backup", help="copy the live SQLite database consistently")
    backup.add_argument("target", help="path of the new copy")
    user_cli.add_parser(commands)
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
    family_commands.add_parser("expired", help="list families past the retention period")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if args.command == "serve":
        return _serve(Settings.from_env(host=args.host, port=args.port))
    if args.command == "backup":
        return _backup(Settings.from_env(), args.target)
    if args.command == "user":
        return user_cli.run(Settings.from_env(), args)
    if args.command == "family":
        from .privacy_cli import erase, expired

        if args.family_command == "expired":
            return expired(Settings.from_env())
        return erase(Settings.from_env(), args.family_id, args.yes, args.server_stopped)
    return _demo(Settings.from_env(demo=True), as_json=args.json)


def _backup(settings: Settings, target: str) -> int:
    from pathlib import Path

    from .storage.backup import BackupError, backup_sqlite

    source = settings.sqlite_path()
    try:
        if source is None:
            raise BackupError("The database is not SQLite; back up PostgreSQL with pg_dump.")
        pages = backup_sqlite(source, Path(target))
    except BackupError as exc:
        print(f"rondetafel backup: {exc}", file=sys.stderr)
        return 2
    print(f"Backup written to {target} ({pages} pages, integrity ok).")
    return 0


def _serve(settings: Settings) -> int:
    import uvicorn

    from .app import create_app
    from .live.memory import tune_collector
    from .live.uvicorn_protocol import uvicorn_options
    from .storage.db import migrate

    try:
        settings.validate()
    except ValueError as exc:
        print(f"rondetafel: {exc}", file=sys.stderr)
        return 2
    migrate(settings.database_url)
    print(f"Rondetafel draait op {settings.base_url}", flush=True)
    app = create_app(settings)
    tune_collector()  # see server/live/memory.py
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        **uvicorn_options(settings),
    )
    return 0


def _demo(settings: Settings, as_json: bool) -> int:
    from .demo import create_demo
    from .storage.db import migrate

    migrate(settings.database_url)
    result = asyncio.run(create_demo(settings))
    if as_json:
        keys = ("family_id", "meeting_id", "links", "accounts", "password")
        print(json.dumps({k: result[k] for k in keys}))
        return 0
    print(f"Demo-gezin klaar. Deelnamecode: {result['join_code']}")
    for name, link in result["links"].items():
        print(f"  {name:<20} {link['role']:<13} {link['url']}")
    print("\nAccounts (alleen in de demo; het wachtwoord is nieuw bij elke start):")
    for name, username in result["accounts"].items():
        print(f"  {name:<20} gebruikersnaam {username}")
    print(
        f"  wachtwoord: {result['password']}\n\n"
        f"Meld je aan als regisseur: {settings.base_url}/login "
        f"(gebruikersnaam {result['accounts'].get('Lotte Smit', '?')})\n",
        flush=True,
    )
    return 0


def _settings_help() -> str:
    lines = ["settings (environment variables):"]
    lines += [f"  {name} (default {default}): {text}" for name, default, text in describe()]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
