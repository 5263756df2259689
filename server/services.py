"""The long-lived services of one process: made once by the app's lifespan, read by every
handler through ``services(conn)``, typed so mypy checks each use."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection

from .connections import Connections
from .crdt.manager import RoomManager
from .join_codes import JoinGuard
from .limits import CoolDown, LoginLimits, WorkGate
from .privacy.edit_audit import EditLedger
from .settings import Settings
from .speech import AudioCache


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]  # ORM sessions, not people's sessions
    rooms: RoomManager
    connections: Connections  # live sockets per session, for removal
    login_limiter: LoginLimits  # in Redis when several processes serve
    password_checks: WorkGate  # argon2 off the event loop, a few at a time
    join_guard: JoinGuard  # join-code rate limits
    edits: EditLedger  # edit batches into the audit log
    audio: AudioCache  # read-aloud audio, a folder per family
    cool_down: CoolDown  # sessions closed for what they sent wait before they reconnect


def services(conn: HTTPConnection) -> Services:
    found = conn.app.state.services
    assert isinstance(found, Services), "the app's lifespan has not run"
    return found
