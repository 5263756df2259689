"""The ``rondetafel`` command as an operator runs it: demo links, and serve in a subprocess."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
from pathlib import Path

import httpx

from tests.conftest import ROOT

CLI = [sys.executable, "-m", "server.cli"]


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "RONDETAFEL_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db",
        **extra,
    }
    env.pop("RONDETAFEL_SECRET_KEY", None)
    env.pop("RONDETAFEL_DEMO", None)
    return env | extra


async def run(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *CLI,
        *args,
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode or 0, out.decode(), err.decode()


async def test_demo_json_has_a_link_per_person_and_the_screen(tmp_path: Path) -> None:
    code, out, err = await run("demo", "--json", env=env_for(tmp_path))
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"family_id", "meeting_id", "links", "accounts", "password"}
    roles = sorted(link["role"] for link in data["links"].values())
    assert roles == [
        "coordinator",
        "family",
        "family",
        "family",
        "network",
        "network",
        "professional",
        "professional",
        "screen",
    ]
    assert all(
        link["url"].startswith("http://127.0.0.1:8000/join/") for link in data["links"].values()
    )


async def test_serve_refuses_the_default_secret(tmp_path: Path) -> None:
    code, _, err = await run("serve", env=env_for(tmp_path))
    assert code == 2 and "RONDETAFEL_SECRET_KEY" in err


async def test_serve_migrates_then_serves(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = env_for(tmp_path, RONDETAFEL_SECRET_KEY="s" * 40)
    proc = await asyncio.create_subprocess_exec(
        *CLI,
        "serve",
        "--port",
        str(port),
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        assert proc.stdout is not None
        async with asyncio.timeout(30):
            while b"Uvicorn running on" not in await proc.stdout.readline():
                pass
        async with httpx.AsyncClient() as client:
            response = await client.get(f"http://127.0.0.1:{port}/healthz")
        assert response.json() == {"status": "ok"}
    finally:
        proc.terminate()
        rest, _ = await asyncio.wait_for(proc.communicate(), 15)
    # uvicorn re-raises SIGTERM after its graceful shutdown, so the exit status says -15
    assert b"Application shutdown complete" in rest
