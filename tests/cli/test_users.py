"""``rondetafel user``: the operator's way to make the first account, list and disable it."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from tests.cli.test_cli import CLI, ROOT, env_for


async def run_with_input(*args: str, stdin: str, env: dict[str, str]) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *CLI,
        *args,
        env=env,
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(stdin.encode()), 60)
    return proc.returncode or 0, out.decode(), err.decode()


async def test_add_list_and_disable_an_account(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    password = "een-lang-wachtwoord\n"
    add = ("user", "add", "Beheer", "--role", "admin", "--password-stdin")
    code, out, err = await run_with_input(*add, stdin=password, env=env)
    assert code == 0, err
    assert "created" in out and "een-lang-wachtwoord" not in out + err
    code, _, err = await run_with_input(*add, stdin=password, env=env)
    assert code == 2 and "already" in err
    short = ("user", "add", "kort", "--role", "coordinator", "--password-stdin")
    code, _, err = await run_with_input(*short, stdin="kort\n", env=env)
    assert code == 2 and "10 characters" in err
    code, out, _ = await run_with_input("user", "list", stdin="", env=env)
    assert "beheer" in out and "admin" in out and "active" in out
    code, out, err = await run_with_input("user", "disable", "beheer", stdin="", env=env)
    assert code == 0, err
    code, out, _ = await run_with_input("user", "list", stdin="", env=env)
    assert "disabled" in out
    # every account command is an admin action in the audit log: ids, never names
    with sqlite3.connect(tmp_path / "cli.db") as db:
        rows = db.execute(
            "select actor_role, action, access_point, detail from audit_log order by id"
        ).fetchall()
    assert [r[3].split()[:2] for r in rows] == [
        ["user", "add"],
        ["user", "list"],
        ["user", "disable"],
        ["user", "list"],
    ]
    assert all(r[:3] == ("admin", "admin_action", "cli") for r in rows)
    assert not any("Beheer" in r[3] or "beheer" in r[3] for r in rows)
