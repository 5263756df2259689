"""Fixtures: fresh databases (SQLite always, PostgreSQL when configured), a real uvicorn on a
free loopback port, and the demo family as test data."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import re
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
import uvicorn

from server.access.sessions import HEADER, csrf_token
from server.app import create_app
from server.cli.demo import create_demo
from server.live.memory import tune_collector
from server.live.uvicorn_protocol import uvicorn_options
from server.middleware.csrf import SAFE_METHODS
from server.settings import Settings
from server.storage.db import migrate

os.environ.setdefault("RUST_BACKTRACE", "0")
POSTGRES_URL = os.environ.get("RONDETAFEL_TEST_POSTGRES_URL")
ROOT = Path(__file__).resolve().parent.parent


def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'rondetafel.db'}"


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    import asyncpg  # type: ignore[import-untyped]

    assert POSTGRES_URL is not None
    name = f"rt_{uuid.uuid4().hex[:12]}"
    admin = POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://")

    async def run(sql: str) -> None:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        asyncio.run(run(f'DROP DATABASE "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: SQLite always, PostgreSQL when configured."""
    if request.param == "sqlite":
        url = sqlite_url(tmp_path)
        migrate(url)
        yield url
        return
    if not POSTGRES_URL:
        pytest.skip("RONDETAFEL_TEST_POSTGRES_URL is not set: no PostgreSQL to test against")
    with postgres_database() as url:
        migrate(url)
        yield url


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    url = sqlite_url(tmp_path)
    migrate(url)
    return Settings(database_url=url, demo=True, eviction_grace=0.2, compaction_threshold=50)


class LiveServer:
    """uvicorn serving ``create_app(settings)`` on a free loopback port, in this event loop."""

    def __init__(self, settings: Settings):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        port = self.sock.getsockname()[1]
        self.settings = replace(settings, port=port)
        self.app = create_app(self.settings)
        self.server: uvicorn.Server | None = None
        self.thresholds = gc.get_threshold()
        self.task: asyncio.Task[None] | None = None

    @property
    def http(self) -> str:
        return self.settings.base_url

    @property
    def ws(self) -> str:
        return self.http.replace("http://", "ws://")

    async def start(self) -> LiveServer:
        # like `rondetafel serve` (server/live/memory.py): what exists at start stays out of the
        # GC's full passes; here that is also every earlier test's heap, and a full pass over
        # it pauses the server under test (the fuzz test's latency limit failed once in a full
        # run, 84 ms, and passes alone at 6-7 ms)
        self.thresholds = tune_collector()
        config = uvicorn.Config(self.app, log_level="warning", **uvicorn_options(self.settings))
        self.server = uvicorn.Server(config)
        self.task = asyncio.create_task(self.server.serve(sockets=[self.sock]))
        async with asyncio.timeout(10):
            while not self.server.started:
                if self.task.done():
                    self.task.result()
                await asyncio.sleep(0.01)
        return self

    async def stop(self) -> None:
        assert self.server is not None and self.task is not None
        self.server.should_exit = True
        await asyncio.wait_for(self.task, 15)
        self.sock.close()
        gc.unfreeze()
        gc.set_threshold(*self.thresholds)

    @property
    def rooms(self) -> Any:
        return self.app.state.services.rooms


@pytest.fixture
async def server(settings: Settings) -> AsyncIterator[LiveServer]:
    live = await LiveServer(settings).start()
    yield live
    await live.stop()


@dataclass
class Member:
    """A signed-in participant: cookie header, session id and the ws URL of the meeting."""

    name: str
    role: str
    person_id: str | None
    cookie: str
    session_id: str
    meeting_id: str
    csrf: str = ""  # the page's CSRF token, for state-changing requests

    def ws_url(self, base: str, saved: bool = True) -> str:
        extra = "&saved=1" if saved else ""
        return f"{base}/ws/meetings/{self.meeting_id}?as={self.session_id}{extra}"


@dataclass
class Family:
    family_id: str
    meeting_id: str
    links: dict[str, dict[str, str]]
    accounts: dict[str, str] = field(default_factory=dict)  # staff person name -> username
    password: str = ""  # the demo password of those accounts

    def name_of(self, role: str) -> str:
        return next(n for n, link in self.links.items() if link["role"] == role)


async def make_family(settings: Settings, name: str = "Familie Test") -> Family:
    data = await create_demo(settings, family_name=name)
    return Family(
        data["family_id"], data["meeting_id"], data["links"], data["accounts"], data["password"]
    )


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)">')


def page_csrf(html: str) -> str:
    """The CSRF token a page hands its forms and scripts."""
    match = CSRF_META.search(html)
    assert match, "no csrf-token meta on the page"
    return match.group(1)


async def sign_in(base: str, family: Family, name: str) -> Member:
    """Open a person's invite link and confirm it, as a browser would."""
    url = family.links[name]["url"]
    token = url.rsplit("/", 1)[1]
    async with httpx.AsyncClient(base_url=base) as client:
        response = await client.post(f"/join/{token}", headers={"Origin": base})
    assert response.status_code == 303, response.text
    session_id = parse_qs(urlparse(response.headers["location"]).query)["as"][0]
    cookie_name = f"rt_{session_id}"
    cookie = f"{cookie_name}={response.cookies[cookie_name]}"
    meeting_id = urlparse(response.headers["location"]).path.rsplit("/", 1)[1]
    async with httpx.AsyncClient(base_url=base, headers={"Cookie": cookie}) as client:
        page = await client.get(response.headers["location"])
    return Member(
        name, family.links[name]["role"], None, cookie, session_id, meeting_id, page_csrf(page.text)
    )


@pytest.fixture
async def family(settings: Settings) -> Family:
    return await make_family(settings)


def csrf_hook(secret: str) -> Any:
    """An httpx request hook that sends the CSRF token of the ``?as=`` session on
    state-changing requests, as our pages and scripts do (tests of CSRF use a client
    without it)."""

    async def add_token(request: httpx.Request) -> None:
        session_id = request.url.params.get("as")
        if request.method not in SAFE_METHODS and session_id and HEADER not in request.headers:
            request.headers[HEADER] = csrf_token(secret, session_id)

    return add_token


@pytest.fixture
async def app_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app in process (httpx over ASGI) with its lifespan entered; no CSRF help."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=settings.base_url) as c:
            yield c


@pytest.fixture
async def client(app_client: httpx.AsyncClient, settings: Settings) -> httpx.AsyncClient:
    """``app_client`` behaving like our pages: the CSRF token goes with every POST."""
    app_client.event_hooks["request"].append(csrf_hook(settings.secret_key))
    return app_client


async def login(client: httpx.AsyncClient, username: str, password: str) -> str:
    """Log in through the login form as a browser does; returns the ?as= session id."""
    form = await client.get("/login")
    token = form.cookies.get("rt-csrf") or client.cookies.get("rt-csrf")
    response = await client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    return parse_qs(urlparse(response.headers["location"]).query)["as"][0]


async def join(client: httpx.AsyncClient, url: str) -> str:
    """Confirm an invite in ``client``; returns the ?as= session id (the cookie stays there)."""
    token = url.rsplit("/", 1)[1]
    response = await client.post(f"/join/{token}")
    assert response.status_code == 303, response.text
    return parse_qs(urlparse(response.headers["location"]).query)["as"][0]
