"""The servers under test, each a subprocess on a free loopback port.

``ours`` is ``rondetafel serve`` on a temporary SQLite database; the reference servers are
installed at run time into ``tests/bench/.peers/`` (git-ignored, never committed):

- ``node-mem``: ``@y/websocket-server@0.1.1`` with ``yjs@13`` (Node, documents in memory)
- ``node-leveldb``: ``y-websocket@1`` with ``YPERSISTENCE`` (Node, LevelDB on disk)
- ``pycrdt-ws``: ``pycrdt-websocket`` behind uvicorn, in its own venv

Reference servers need no sign-in; their room name is the meeting id (the URL path).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx

from tests.bench.loadgen import Endpoint
from tests.bench.procstat import free_port

ROOT = Path(__file__).resolve().parents[2]
PEERS = Path(__file__).resolve().parent / ".peers"
OUTPUT = ROOT / "test-output" / "bench"
PEER_NAMES = ("node-mem", "node-leveldb", "pycrdt-ws")
NODE_PACKAGES = {
    "node-mem": ["@y/websocket-server@0.1.1", "yjs@13"],
    "node-leveldb": ["y-websocket@1", "yjs@13"],
}
NODE_SCRIPTS = {
    "node-mem": "node_modules/@y/websocket-server/src/server.js",
    "node-leveldb": "node_modules/y-websocket/bin/server.js",
}
PYCRDT_PACKAGES = ["pycrdt-websocket==0.16.5", "uvicorn[standard]==0.54.0"]
PYCRDT_SCRIPT = Path(__file__).resolve().parent / "pycrdt_server.py"
# ours-ungated: ours with the update gate off (RONDETAFEL_BENCH_WITHOUT_GATE), the reference
# for what the gate costs; name it after ours in --servers, on the same prepared meetings
OURS = ("ours", "ours-ungated")
UNGATED = {"RONDETAFEL_BENCH_WITHOUT_GATE": "1"}
LABELS = {
    "ours": "Rondetafel (SQLite, durable)",
    "ours-ungated": "Rondetafel without the update gate (reference)",
    "node-mem": "@y/websocket-server 0.1.1 (memory)",
    "node-leveldb": "y-websocket 1 (LevelDB)",
    "pycrdt-ws": "pycrdt-websocket 0.16.5 (memory)",
}


def _installed(directory: Path, what: list[str]) -> bool:
    stamp = directory / ".installed"
    return stamp.exists() and stamp.read_text() == "\n".join(what)


def _stamp(directory: Path, what: list[str]) -> None:
    (directory / ".installed").write_text("\n".join(what))


def install(name: str) -> Path:
    """Install one reference server (once; a stamp file remembers what was installed)."""
    directory = PEERS / name
    if name in NODE_PACKAGES:
        packages = NODE_PACKAGES[name]
        if not _installed(directory, packages):
            directory.mkdir(parents=True, exist_ok=True)
            (directory / "package.json").write_text('{"private": true}\n')
            subprocess.run(
                ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", *packages],
                cwd=directory,
                check=True,
            )
            _stamp(directory, packages)
        return directory
    if name == "pycrdt-ws":
        if not _installed(directory, PYCRDT_PACKAGES):
            subprocess.run([sys.executable, "-m", "venv", str(directory)], check=True)
            pip = [str(directory / "bin" / "python"), "-m", "pip", "install", "-q"]
            subprocess.run([*pip, *PYCRDT_PACKAGES], check=True)
            _stamp(directory, PYCRDT_PACKAGES)
        return directory
    raise ValueError(f"unknown peer {name!r}")


class Server:
    """A server subprocess. Its output goes to a log file (a pipe nobody reads would block it)."""

    def __init__(self, name: str, port: int, proc: subprocess.Popen[bytes], log: Path):
        self.name = name
        self.label = LABELS[name]
        self.port = port
        self.proc = proc
        self.log = log
        self.endpoint_for: Callable[[str, int], Endpoint] = self._peer_endpoint

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _peer_endpoint(self, room: str, slot: int) -> Endpoint:
        return Endpoint(f"ws://127.0.0.1:{self.port}/{room}")

    @property
    def needs_seed(self) -> bool:
        """Reference servers start every room empty; ours seeds it from the plan."""
        return self.name != "ours"

    async def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(trust_env=False) as client:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"{self.name} exited; see {self.log}")
                try:
                    path = "/healthz" if self.name == "ours" else "/"
                    response = await client.get(self.http + path, timeout=1)
                    if response.status_code < 500 or self.name == "pycrdt-ws":
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
        raise TimeoutError(f"{self.name} did not start; see {self.log}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def _spawn(
    name: str, argv: list[str], env: dict[str, str], cwd: Path, tag: str
) -> tuple[subprocess.Popen[bytes], Path]:
    (OUTPUT / "logs").mkdir(parents=True, exist_ok=True)
    log = OUTPUT / "logs" / f"{tag}-{name}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            argv, cwd=cwd, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )
    return proc, log


async def start_peer(name: str, tag: str, workdir: Path) -> Server:
    """Install (if needed) and start one reference server; ``workdir`` holds its data."""
    directory = install(name)
    port = free_port()
    env = {"HOST": "127.0.0.1", "PORT": str(port)}
    if name in NODE_SCRIPTS:
        if name == "node-leveldb":
            env["YPERSISTENCE"] = str(workdir / "leveldb")
        argv = ["node", str(directory / NODE_SCRIPTS[name])]
    else:
        argv = [str(directory / "bin" / "python"), str(PYCRDT_SCRIPT), str(port)]
    proc, log = _spawn(name, argv, env, directory, tag)
    server = Server(name, port, proc, log)
    try:
        await server.wait_ready()
    except BaseException:
        server.stop()
        raise
    return server


async def start_ours(
    database_url: str, tag: str, grace: float = 30.0, extra: dict[str, str] | None = None
) -> Server:
    """``rondetafel serve`` on a free port, against an already prepared database."""
    port = free_port()
    env = {
        "RONDETAFEL_DATABASE_URL": database_url,
        "RONDETAFEL_DEMO": "1",
        "RONDETAFEL_HOST": "127.0.0.1",
        "RONDETAFEL_PORT": str(port),
        "RONDETAFEL_EVICTION_GRACE": str(grace),
        "RUST_BACKTRACE": "0",
        **(extra or {}),
    }
    argv = [str(Path(sys.executable).parent / "rondetafel"), "serve"]
    proc, log = _spawn("ours", argv, env, ROOT, tag)
    server = Server("ours", port, proc, log)
    try:
        await server.wait_ready()
    except BaseException:
        server.stop()
        raise
    return server


@contextlib.asynccontextmanager
async def running(
    name: str,
    tag: str,
    database_url: str = "",
    grace: float = 30.0,
    extra: dict[str, str] | None = None,
) -> AsyncIterator[Server]:
    """Start one server (ours needs a prepared ``database_url``), stop it afterwards."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as workdir:
        if name in OURS:
            ungated = name == "ours-ungated"
            env = {**(extra or {}), **(UNGATED if ungated else {})}
            label = f"{tag}-ungated" if ungated else tag
            server = await start_ours(database_url, label, grace, env)
        else:
            server = await start_peer(name, tag, Path(workdir))
        try:
            yield server
        finally:
            server.stop()
