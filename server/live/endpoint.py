"""The websocket endpoint ``/ws/meetings/{meeting_id}``: who may connect, then the room.

Refusals are sent as close codes after accepting, because browsers hide HTTP handshake
errors from scripts. Each raised refusal closes with its own code (``server/errors.py``): 4401
not signed in, 4403 not allowed (also for unknown meetings, so ids of
other families cannot be probed, and for a tablet still waiting for admission), 4410 removed
from the meeting by the coordinator. Codes 44xx make stock y-websocket clients stop
reconnecting. The one refusal at the handshake: a session just closed for what it sent waits
a while (``limits.CoolDown``), as only a failed handshake makes every client back off. A
connection that sends nothing for ``idle_timeout`` seconds is closed with 4508
("try again later" range: a browser tab that wakes up reconnects by itself) by
``server/live/sweep.py``: a timer per received message cost a tenth of the server's CPU.

While a connection is open its session is re-checked every ``session_check_seconds`` (by
``server/live/sweep.py``, for all connections at once): that counts as activity, and a
session that was revoked, ran out or whose user was disabled closes the connection with 4401.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from starlette.websockets import WebSocket, WebSocketDisconnect

from ..access import guard
from ..access.sessions import Principal
from ..crdt import schema
from ..crdt.close_codes import CloseCode
from ..crdt.manager import RoomShut
from ..crdt.room import Identity, Peer, Room
from ..errors import ForeignRequest, NotFound, Refused
from ..limits import Throttle
from ..privacy import audit
from ..privacy.audit import Action, Actor, Outcome
from ..services import services
from ..storage.models import Meeting, MeetingStatus
from .uvicorn_protocol import DIRECT_FRAMES, DirectFrames

log = logging.getLogger(__name__)


class SocketTransport:
    """The room's ``Transport`` over a Starlette websocket."""

    def __init__(self, websocket: WebSocket):
        self.websocket = websocket
        self._direct: DirectFrames | None = websocket.scope.get("extensions", {}).get(DIRECT_FRAMES)
        self.write_now = self._direct.write if self._direct is not None else _cannot_write_now

    def drop_as_read(self, skip: Callable[[bytes], bool] | None) -> None:
        """Messages ``skip`` says yes to are dropped as the socket reads them, where the server
        offers that (``DirectFrames.skip``); None: every message is read again."""
        if self._direct is not None:
            self._direct.skip = skip

    async def send(self, data: bytes) -> None:
        await self.websocket.send_bytes(data)

    async def close(self, code: int, reason: str) -> None:
        await self.websocket.close(code, reason)


def _cannot_write_now(data: bytes) -> bool:
    return False


async def meeting_socket(websocket: WebSocket) -> None:
    state = services(websocket)
    meeting_id = websocket.path_params["meeting_id"]
    where = f"ws:{meeting_id}"
    try:
        principal, meeting = await _admitted(websocket, meeting_id, where)
    except Refused as exc:
        await _refuse(websocket, exc.close_code, exc.code)
        return
    if wait := state.cool_down.waits(principal.session_id):
        log.info("refused websocket %s: cooling down for %.1f s", websocket.url.path, wait)
        detail = guard.from_where(websocket, "cooling_down")
        await _audit(websocket, principal.actor, Outcome.REFUSED, where, detail)
        await websocket.close(CloseCode.TOO_MANY)  # before accepting: the handshake fails
        return
    transport = SocketTransport(websocket)
    peer = Peer(
        transport,
        _identity(principal, websocket, meeting),
        state.settings.send_queue_bytes,
    )
    await websocket.accept()
    try:
        state.connections.register(principal.session_id, peer, meeting_id)
    except Refused as exc:
        await _audit(websocket, principal.actor, Outcome.REFUSED, where, exc.code)
        await websocket.close(exc.close_code, exc.code)
        return
    await _audit(websocket, principal.actor, Outcome.OK, where)
    throttle = Throttle(state.settings.rate_messages, state.settings.rate_bytes)
    try:
        async with state.rooms.connect(meeting_id, peer) as room:
            if meeting.status == MeetingStatus.LIVE and schema.is_closed(room.doc):
                room.change(schema.mark_live)  # the row says live; the document follows it
            try:
                transport.drop_as_read(_echo_filter(room, peer, throttle))
                await _serve(websocket, room, peer, throttle)
            finally:
                transport.drop_as_read(None)
                await state.edits.settle(room)
                await _audit_refusals(websocket, principal.actor, peer, where)
                if peer.refusal is not None:
                    state.cool_down.closed(principal.session_id, peer.refusal[0])
    except RoomShut:  # the family is being erased: the meeting is gone
        await websocket.close(CloseCode.NOT_ALLOWED, "not allowed")
    finally:
        state.connections.unregister(principal.session_id, peer)


async def _admitted(websocket: WebSocket, meeting_id: str, where: str) -> tuple[Principal, Meeting]:
    """Who connects, or the refusal (the guard audits its own; the Origin check is ours)."""
    origin = websocket.headers.get("origin")
    # Browsers always send Origin; non-browser clients (Node, Python) cannot ride a victim's
    # cookie, so a missing Origin is allowed and a wrong one is not.
    if origin is not None and origin not in services(websocket).settings.origins:
        detail = guard.from_where(websocket, "bad_origin")
        await _audit(websocket, guard.ANONYMOUS, Outcome.REFUSED, where, detail)
        raise ForeignRequest("bad_origin")
    principal, meeting = await guard.for_meeting(websocket, meeting_id, Action.JOIN_MEETING)
    if meeting.status == MeetingStatus.SCHEDULED:
        raise NotFound("meeting not started")
    return principal, meeting


async def _audit(
    websocket: WebSocket,
    actor: Actor,
    outcome: Outcome,
    where: str,
    detail: str = "",
    action: Action = Action.JOIN_MEETING,
) -> None:
    engine = services(websocket).engine
    await audit.record(engine, actor, action, outcome, access_point=where, detail=detail)


async def _audit_refusals(websocket: WebSocket, actor: Actor, peer: Peer, where: str) -> None:
    """One row per connection for what the room refused: the frame that closed it, and the
    writes it ignored from a connection that may not write (a flood stays one row)."""
    if peer.refusal is not None:
        code, why = peer.refusal
        detail = guard.from_where(websocket, f"closed {code} {why}")
        await _audit(websocket, actor, Outcome.REFUSED, where, detail, Action.EDIT_BATCH)
    if peer.ignored_writes:
        detail = guard.from_where(websocket, f"{peer.ignored_writes} writes ignored (read-only)")
        await _audit(websocket, actor, Outcome.REFUSED, where, detail, Action.EDIT_BATCH)


def _identity(principal: Principal, websocket: WebSocket, meeting: Meeting) -> Identity:
    return Identity(
        person_id=principal.person_id or f"screen-{principal.session_id}",
        name=principal.name,
        role=principal.role,
        can_write=principal.can_write and meeting.status == MeetingStatus.LIVE,
        wants_saved=websocket.query_params.get("saved") == "1",
        audit_id=principal.actor.id,
    )


def _echo_filter(room: Room, peer: Peer, throttle: Throttle) -> Callable[[bytes], bool]:
    """Drops stale presence echoes as the socket reads them (most presence traffic: see
    uvicorn_protocol.py). They still count against the rate limit: over budget, the frame
    takes the normal path, whose throttle pauses reading."""

    def skip(frame: bytes) -> bool:
        if not room.stale_echo(frame):
            return False
        peer.last_received = now = time.monotonic()
        return not throttle.delay(len(frame), now)

    return skip


async def _serve(
    websocket: WebSocket,
    room: Room,
    peer: Peer,
    throttle: Throttle,
) -> None:
    try:
        while not peer.closed.is_set():
            message = await websocket.receive()
            peer.last_received = now = time.monotonic()  # idle sockets: see sweep.py
            if message["type"] == "websocket.disconnect":
                if message.get("code") == CloseCode.TOO_BIG:  # the server's own frame limit
                    log.warning("meeting %s: frame over the size limit", room.meeting_id)
                    peer.refusal = (CloseCode.TOO_BIG, "frame too big")
                return
            data = message.get("bytes")
            if data is None:
                log.warning(
                    "meeting %s: text frame from %s; closing", room.meeting_id, peer.identity.role
                )
                peer.refusal = (CloseCode.UNSUPPORTED, "text frame")
                await peer.close(CloseCode.UNSUPPORTED, "alleen binaire berichten")
                return
            await room.receive(peer, data)
            pause = throttle.delay(len(data), now)
            if pause:  # over budget: read nothing more from this socket for a while
                await asyncio.sleep(pause)
    except WebSocketDisconnect:
        return


async def _refuse(websocket: WebSocket, code: int, why: str) -> None:
    log.info("refused websocket %s: %s", websocket.url.path, why)
    await websocket.accept()
    await websocket.close(code, why)
