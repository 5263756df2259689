"""``rondetafel serve`` (migrate the database, then serve) and ``rondetafel backup``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..errors import BackupError, OperatorError
from ..settings import Settings


def add_to(commands: Any) -> None:
    serve = commands.add_parser("serve", help="migrate the database, then serve")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(handle=handle_serve)
    backup = commands.add_parser("backup", help="copy the live SQLite database consistently")
    backup.add_argument("target", help="path of the new copy")
    backup.set_defaults(handle=handle_backup)


def handle_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ..app import create_app
    from ..live.memory import tune_collector
    from ..live.uvicorn_protocol import uvicorn_options
    from ..storage.db import migrate

    settings = Settings.from_env(host=args.host, port=args.port)
    try:
        settings.validate()
    except ValueError as exc:
        raise OperatorError(str(exc)) from None
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


def handle_backup(args: argparse.Namespace) -> int:
    from ..storage.backup import backup_sqlite

    source = Settings.from_env().sqlite_path()
    if source is None:
        raise BackupError("The database is not SQLite; back up PostgreSQL with pg_dump.")
    pages = backup_sqlite(source, Path(args.target))
    print(f"Backup written to {args.target} ({pages} pages, integrity ok).")
    return 0
