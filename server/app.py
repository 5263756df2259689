"""The Starlette application: ``create_app(settings)`` and the lifespan that owns every
long-lived object (engine, update store, room manager)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from . import api, pages
from .access import guard
from .cluster.cluster import Cluster
from .cluster.shared_limits import shared_doors
from .connections import Connections
from .crdt.manager import RoomManager, RoomShut
from .errors import NotFound, RondetafelError
from .join_codes import JoinGuard
from .limits import CoolDown, LoginLimiter, LoginLimits, WorkGate
from .live.endpoint import meeting_socket
from .live.memory import memory_giver
from .live.sweep import sweep_forever
from .messages import t
from .middleware.csrf import CsrfProtection
from .middleware.language import LanguageChoice
from .middleware.security_headers import SecurityHeaders, with_security_headers
from .pages.base import error_page
from .privacy import redaction
from .privacy.edit_audit import EditLedger
from .services import Services, services
from .settings import Settings
from .speech import AudioCache
from .storage.db import create_engine, open_pool, sessionmaker
from .storage.update_store import SqlUpdateStore

log = logging.getLogger(__name__)
WEB = Path(__file__).resolve().parent.parent / "web"
# argon2 checks at once: half the cores, so the event loop always has one to itself; more
# waiting than PASSWORD_QUEUE get 429 at once (a login form, not a queue to grow)
PASSWORD_CHECKS = max(1, (os.cpu_count() or 2) // 2)
PASSWORD_QUEUE = 16


def create_app(settings: Settings) -> Starlette:
    """Build the app. Nothing connects or starts until the lifespan runs."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        redaction.install()
        engine = create_engine(settings.database_url)
        await open_pool(engine)
        connections = Connections()
        # several processes on one database (RONDETAFEL_REDIS_URL): see server/cluster/
        cluster = Cluster(settings, engine, connections) if settings.redis_url else None
        store = cluster.store if cluster is not None else SqlUpdateStore(engine)
        login_limiter, join_guard = (
            shared_doors(settings) if cluster is not None else _doors_here(settings)
        )
        rooms = RoomManager(
            store,
            grace=settings.eviction_grace,
            compaction_threshold=settings.compaction_threshold,
            after_evictions=memory_giver(),
            gate=not settings.bench_without_gate,
            neighbours=cluster,
        )
        app.state.services = services = Services(
            settings=settings,
            engine=engine,
            sessions=sessionmaker(engine),
            rooms=rooms,
            connections=connections,
            login_limiter=login_limiter,
            join_guard=join_guard,
            password_checks=WorkGate(at_once=PASSWORD_CHECKS, waiting=PASSWORD_QUEUE),
            edits=EditLedger(engine, settings.audit_edit_seconds),
            audio=AudioCache.of(settings),
            cool_down=CoolDown(first=settings.cool_down_seconds),
        )
        if cluster is not None:
            cluster.attach(rooms)
            await cluster.start()  # the lease first: every append is fenced by it
        await rooms.start()
        await services.edits.start()
        sweeper = asyncio.create_task(sweep_forever(services), name="session-sweep")
        try:
            yield
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
            await rooms.stop()
            await services.edits.stop()  # after the rooms: their last edits are durable now
            if cluster is not None:
                await cluster.stop()
            await store.close()
            await engine.dispose()

    routes = [
        Route("/healthz", healthz),
        Route("/favicon.ico", favicon),
        *pages.routes,
        *api.routes,
        WebSocketRoute("/ws/meetings/{meeting_id}", meeting_socket),
        Mount("/static", StaticFiles(directory=WEB / "static", check_dir=False), name="static"),
        Mount("/assets", StaticFiles(directory=WEB / "dist", check_dir=False), name="assets"),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(LanguageChoice),
        Middleware(CsrfProtection, settings=settings, render=render_error),
    ]
    handlers = {
        404: _no_such_path,
        RondetafelError: _handle,
        RoomShut: _handle,
        Exception: _broken,
    }
    return Starlette(
        routes=routes, lifespan=lifespan, middleware=middleware, exception_handlers=handlers
    )


def _doors_here(settings: Settings) -> tuple[LoginLimits, JoinGuard]:
    """The limits of a process serving alone, in its memory."""
    login = LoginLimiter(
        settings.login_max_failures,
        settings.login_max_failures_per_ip,
        settings.login_window_minutes * 60,
    )
    return login, JoinGuard.from_settings(settings)


def render_error(request: Request, exc: RondetafelError) -> Response:
    """The one place an error becomes a response: JSON under ``/api``, a page elsewhere."""
    if request.url.path.startswith("/api/"):
        body = {"error": exc.code, "message": t(exc.key, **exc.values)}
        return JSONResponse(body, exc.status)
    return error_page(request, exc)


async def _broken(request: Request, exc: Exception) -> Response:
    """A bug: Starlette answers it outside every middleware, so the headers are added here."""
    log.exception("%s %s failed", request.method, request.url.path, exc_info=exc)
    return with_security_headers(render_error(request, RondetafelError(type(exc).__name__)))


async def _handle(request: Request, exc: Exception) -> Response:
    if isinstance(exc, RoomShut):  # the family was erased while this request ran
        exc = NotFound("room shut")
    assert isinstance(exc, RondetafelError)
    return render_error(request, exc)


async def _no_such_path(request: Request, exc: Exception) -> Response:
    """No route or static file has this path (Starlette raises its own 404): the answer an
    unknown id gets, in the visitor's own language when a session is behind the request."""
    assert isinstance(exc, HTTPException)
    await guard.visitor(request, touch=False)  # a wrong address is no activity
    return render_error(request, NotFound(f"no route for {request.method}"))


async def healthz(request: Request) -> Response:
    async with services(request).engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
    return JSONResponse({"status": "ok"})


async def favicon(request: Request) -> Response:
    """Browsers ask for /favicon.ico wherever no page named an icon (a PDF, JSON): the
    SVG every page links to, so no console shows a 404 for it."""
    return FileResponse(WEB / "static" / "favicon.svg", media_type="image/svg+xml")
