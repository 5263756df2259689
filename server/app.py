"""The Starlette application: ``create_app(settings)`` and the lifespan that owns every
long-lived object (engine, update store, room manager)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from . import api, pages
from .crdt.manager import RoomManager
from .join_codes import JoinGuard
from .limits import LoginLimiter
from .live.connections import Connections
from .live.endpoint import meeting_socket
from .live.memory import memory_giver
from .live.sweep import sweep_forever
from .middleware.csrf import CsrfProtection
from .middleware.security_headers import SecurityHeaders
from .privacy import redaction
from .settings import Settings
from .storage.db import create_engine, sessionmaker
from .storage.update_store import SqlUpdateStore

log = logging.getLogger(__name__)
WEB = Path(__file__).resolve().parent.parent / "web"


def create_app(settings: Settings) -> Starlette:
    """Build the app. Nothing connects or starts until the lifespan runs."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        redaction.install()
        engine = create_engine(settings.database_url)
        store = SqlUpdateStore(engine)
        rooms = RoomManager(
            store,
            grace=settings.eviction_grace,
            compaction_threshold=settings.compaction_threshold,
            after_evictions=memory_giver(),
        )
        app.state.settings = settings
        app.state.engine = engine
        app.state.sessions = sessionmaker(engine)
        app.state.rooms = rooms
        app.state.login_limiter = LoginLimiter(
            settings.login_max_failures,
            settings.login_max_failures_per_ip,
            settings.login_window_minutes * 60,
        )
        app.state.connections = Connections()  # live sockets per session, for removal
        app.state.join_guard = JoinGuard.from_settings(settings)  # join-code rate limits
        await rooms.start()
        sweeper = asyncio.create_task(sweep_forever(app.state), name="session-sweep")
        try:
            yield
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
            await rooms.stop()
            await store.close()
            await engine.dispose()

    routes = [
        Route("/healthz", healthz),
        *pages.routes,
        *api.routes,
        WebSocketRoute("/ws/meetings/{meeting_id}", meeting_socket),
        Mount("/static", StaticFiles(directory=WEB / "static", check_dir=False), name="static"),
        Mount("/assets", StaticFiles(directory=WEB / "dist", check_dir=False), name="assets"),
    ]
    middleware = [Middleware(SecurityHeaders), Middleware(CsrfProtection, settings=settings)]
    return Starlette(routes=routes, lifespan=lifespan, middleware=middleware)


async def healthz(request: Request) -> Response:
    async with request.app.state.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
    return JSONResponse({"status": "ok"})
