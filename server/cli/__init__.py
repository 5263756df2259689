"""The ``rondetafel`` command: ``serve`` (migrate, then serve), ``backup``, ``demo``, ``user``
(staff accounts) and ``family erase`` / ``family expired`` (privacy).

Each command is one module of one shape: ``add_to(commands)`` declares its arguments and sets
``handle(args) -> exit code``. What the operator must fix is raised as an ``OperatorError``
and printed here, once, as ``rondetafel <command>: <what to do>``.
"""

from __future__ import annotations

import argparse
import logging
import sys

from ..errors import OperatorError
from ..settings import describe
from . import demo, families, serve, users

COMMANDS = (serve, demo, users, families)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="rondetafel",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_settings_help(),
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_to(commands)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        code: int = args.handle(args)
    except OperatorError as exc:
        said = " ".join(filter(None, (args.command, getattr(args, "family_command", None))))
        print(f"rondetafel {said}: {exc}", file=sys.stderr)
        return exc.exit_code
    return code


def _settings_help() -> str:
    lines = ["settings (environment variables):"]
    lines += [f"  {name} (default {default}): {text}" for name, default, text in describe()]
    return "\n".join(lines)
