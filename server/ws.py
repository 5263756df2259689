"""The websocket endpoint ``/ws/meetings/{meeting_id}``: who may connect, then the room.

Refusals are sent as close codes after accepting, because browsers hide HTTP handshake
errors from scripts: 4401 not signed in, 4403 not allowed (also for unknown meetings, so ids of
other families cannot be probed, and for a tablet still waiting for admission), 4410 removed
from the meeting by the coordinator. Codes 44xx make stock y-websocket clients stop
reconnecting. A connection that sends nothing for ``idle_timeout`` seconds is closed with 4508
("try again later" range: a browser tab that wakes up reconnects by itself).
"""

from __future__ import annotations

import asyncio
import logging

from starlette.websockets import WebSocket, WebSocketDisconnect

from . import audit
from .access import REMOVED, Principal, authenticate, find_session
from .audit import Actor
from .connections import CLOSE_REMOVED
from .crdt.room import CLOSE_UNSUPPORTED, Identity, Peer, Room
from .models import Meeting, Session
from .throttle import Throttle

log = logging.getLogger(__name__)
CLOSE_NOT_SIGNED_IN = 4401
CLOSE_NOT_ALLOWED = 4403
CLOSE_IDLE = 4508


class SocketTransport:
    """The room's ``Transport`` over a Starlette websocket."""

    def __init__(self, websocket: WebSocket):
        self.websocket = websocket

    async def send(self, data: bytes) -> None:
        await self.websocket.send_bytes(data)

    async def close(self, code: int, reason: str) -> None:
        await self.websocket.close(code, reason)


async def meeting_socket(websocket: WebSocket) -> None:
    state = websocket.app.state
    meeting_id = websocket.path_params["meeting_id"]
    where = f"ws:{meeting_id}"
    origin = websocket.headers.get("origin")
    # Browsers always send Origin; non-browser clients (Node, Python) cannot ride a victim's
    # cookie, so a missing Origin is allowed and a wrong one is not.
    if origin is not None and origin not in state.settings.origins:
        await _refuse(websocket, CLOSE_NOT_ALLOWED, "origin not allowed")
        return
    async with state.sessions() as db:
        principal = await authenticate(
            db, state.settings.secret_key, websocket.cookies, websocket.query_params.get("as")
        )
        meeting = await db.get(Meeting, meeting_id) if principal else None
        unadmitted = (
            None
            if principal
            else await find_session(
                db, state.settings.secret_key, websocket.cookies, websocket.query_params.get("as")
            )
        )
    if principal is None:
        await _refuse_unadmitted(websocket, unadmitted, where)
        return
    if meeting is None or meeting.family_id != principal.family_id or meeting.status == "scheduled":
        await audit.record(
            state.engine,
            principal.actor,
            "join_meeting",
            "refused",
            access_point=where,
            detail="other family or unknown meeting",
        )
        await _refuse(websocket, CLOSE_NOT_ALLOWED, "not allowed")
        return
    peer = Peer(
        SocketTransport(websocket),
        _identity(principal, websocket, meeting),
        state.settings.send_queue_bytes,
    )
    await websocket.accept()
    if not state.connections.register(principal.session_id, peer):  # removed meanwhile
        await websocket.close(CLOSE_REMOVED, "removed")
        return
    try:
        await audit.record(state.engine, principal.actor, "join_meeting", "ok", access_point=where)
        throttle = Throttle(state.settings.rate_messages, state.settings.rate_bytes)
        async with state.rooms.connect(meeting_id, peer) as room:
            await _serve(websocket, room, peer, throttle, state.settings.idle_timeout)
    finally:
        state.connections.unregister(principal.session_id, peer)


def _identity(principal: Principal, websocket: WebSocket, meeting: Meeting) -> Identity:
    return Identity(
        person_id=principal.person_id or f"screen-{principal.session_id}",
        name=principal.name,
        role=principal.role,
        can_write=principal.can_write and meeting.status == "live",
        wants_saved=websocket.query_params.get("saved") == "1",
    )


async def _refuse_unadmitted(websocket: WebSocket, session: Session | None, where: str) -> None:
    """No principal: not signed in (4401), removed (4410), or waiting/refused (4403)."""
    if session is None:
        await _refuse(websocket, CLOSE_NOT_SIGNED_IN, "not signed in")
        return
    actor = Actor(session.person_id, session.role, session.family_id)
    await audit.record(
        websocket.app.state.engine,
        actor,
        "join_meeting",
        "refused",
        access_point=where,
        detail=f"session {session.admission}",
    )
    if session.admission == REMOVED:
        await _refuse(websocket, CLOSE_REMOVED, "removed")
    else:
        await _refuse(websocket, CLOSE_NOT_ALLOWED, "not admitted")


async def _serve(
    websocket: WebSocket, room: Room, peer: Peer, throttle: Throttle, idle: float
) -> None:
    try:
        while not peer.closed.is_set():
            try:
                async with asyncio.timeout(idle):
                    message = await websocket.receive()
            except TimeoutError:
                log.info(
                    "meeting %s: %s sent nothing for %gs; closing",
                    room.meeting_id,
                    peer.identity.role,
                    idle,
                )
                await peer.close(CLOSE_IDLE, "idle")
                return
            if message["type"] == "websocket.disconnect":
                return
            data = message.get("bytes")
            if data is None:
                log.warning(
                    "meeting %s: text frame from %s; closing", room.meeting_id, peer.identity.role
                )
                await peer.close(CLOSE_UNSUPPORTED, "alleen binaire berichten")
                return
            await room.receive(peer, data)
            pause = throttle.delay(len(data))
            if pause:  # over budget: read nothing more from this socket for a while
                await asyncio.sleep(pause)
    except WebSocketDisconnect:
        return


async def _refuse(websocket: WebSocket, code: int, why: str) -> None:
    log.info("refused websocket %s: %s", websocket.url.path, why)
    await websocket.accept()
    await websocket.close(code, why)
