"""``rondetafel serve`` as a real process, for tests that kill it (SIGKILL) or stop it (SIGTERM)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class ServerProcess:
    """One server process on a fixed port and database; start it again after a kill."""

    def __init__(self, db_path: Path, port: int | None = None, **settings: str):
        self.db_path = db_path
        self.port = port or free_port()
        self.env = {
            **os.environ,
            "RONDETAFEL_DATABASE_URL": f"sqlite+aiosqlite:///{db_path}",
            "RONDETAFEL_PORT": str(self.port),
            "RONDETAFEL_DEMO": "1",
            "RUST_BACKTRACE": "0",
            **{f"RONDETAFEL_{k.upper()}": v for k, v in settings.items()},
        }
        self.proc: asyncio.subprocess.Process | None = None
        self.output: list[bytes] = []

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    async def start(self, timeout: float = 30) -> ServerProcess:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "server.cli",
            "serve",
            env=self.env,
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        assert self.proc.stdout is not None
        async with asyncio.timeout(timeout):
            while True:
                line = await self.proc.stdout.readline()
                self.output.append(line)
                if not line:
                    raise RuntimeError(b"".join(self.output).decode(errors="replace"))
                if b"Uvicorn running on" in line:  # after startup, once the socket listens
                    break
        self._drain = asyncio.create_task(self._read_rest())
        return self

    async def _read_rest(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        while line := await self.proc.stdout.readline():
            self.output.append(line)

    async def kill(self) -> None:
        """SIGKILL: no flush, no goodbye — a crash."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()
        await self._drain

    async def terminate(self, timeout: float = 10) -> float:
        """SIGTERM, as a service manager stops it; returns the seconds it took to exit."""
        assert self.proc is not None
        loop = asyncio.get_running_loop()
        started = loop.time()
        self.proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(self.proc.wait(), timeout)
        await self._drain
        return loop.time() - started
