"""The websocket protocol uvicorn runs for us: uvicorn's own, plus a direct way to send.

A room relays each update to every other connection of the meeting: at 50 meetings × 10
people that is ~13,500 frames a second. Through ASGI each frame went through Starlette's
``WebSocket``, its exception wrapper, uvicorn's ``send`` (an awaited event per frame) and the
websockets framer, from a sender task woken per frame: py-spy put 38 % of the server's CPU in
that path. A server's frames are not masked, so a binary frame is a short header and the
payload; ``DirectFrames.write`` builds it and hands it to the socket at once, from the room.

The ASGI scope offers it as ``scope["extensions"][DIRECT_FRAMES]`` (the ASGI way for a
server to offer more). Under another server it is missing and the room sends through ASGI.

The same object lets the app drop messages as they are read (``DirectFrames.skip``): every
stock client re-sends each presence change it receives, so nine of every ten presence frames
a meeting of ten sends are stale echoes. Dropping those before they are queued for the app
spares each one the ASGI queue, a task switch and the app's receive loop.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.http11 import Request

from ..settings import Settings

DIRECT_FRAMES = "rondetafel.direct_frames"
_FIN_BINARY = 0x82


def binary_frame(payload: bytes) -> bytes:
    """One unfragmented, unmasked binary frame (RFC 6455 §5.2)."""
    size = len(payload)
    if size < 126:
        return bytes((_FIN_BINARY, size)) + payload
    if size < 1 << 16:
        return struct.pack("!BBH", _FIN_BINARY, 126, size) + payload
    return struct.pack("!BBQ", _FIN_BINARY, 127, size) + payload


class DirectFrames:
    """Sends binary messages on one open websocket without a task switch; ``skip``, when the
    app sets it, is asked about each binary message as it is read: True drops it there."""

    __slots__ = ("_protocol", "skip")

    def __init__(self, protocol: WebSocketsSansIOProtocol):
        self._protocol = protocol
        self.skip: Callable[[bytes], bool] | None = None

    def write(self, payload: bytes) -> bool:
        """Send ``payload`` now; False if it cannot go this way (not open, or the socket's
        buffer is full: then the caller queues it and the ASGI path waits for the reader)."""
        protocol = self._protocol
        if (
            protocol.close_sent
            or protocol.disconnected
            or not protocol.handshake_complete
            or not protocol.writable.is_set()
            or protocol.transport.is_closing()
        ):
            return False
        protocol.transport.write(binary_frame(payload))
        return True


class RoomSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's sans-I/O websocket protocol, offering ``DirectFrames`` to the app.

    uvicorn stops reading the socket after every message until the app has taken it, and
    starts again when it has: two calls into the event loop per message. Here reading stops
    only once ``READ_AHEAD`` messages wait, which bounds memory just the same (messages
    are size-limited) and still lets TCP push back on a client the app does not keep up with.
    """

    READ_AHEAD = 8
    direct: DirectFrames | None = None

    def send_receive_event_to_app(self) -> None:
        skip = self.direct.skip if self.direct is not None else None
        if (
            skip is not None
            and self.curr_msg_data_type == "bytes"
            and len(self.frames) == 1
            and not self.close_sent
            and skip(self.frames[0])
        ):
            self.frames = []
            return
        paused = self.read_paused
        self.read_paused = True  # the base class pauses when this is False: it is not, yet
        super().send_receive_event_to_app()
        self.read_paused = paused
        if not paused and self.queue.qsize() >= self.READ_AHEAD:
            self.read_paused = True
            self.transport.pause_reading()

    async def receive(self) -> Any:
        message = await self.queue.get()
        if self.read_paused and self.queue.qsize() < self.READ_AHEAD // 2:
            self.read_paused = False
            self.transport.resume_reading()
        return message

    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        # the app's task is created but has not run yet: it sees the extension from the start
        scope: Any = getattr(self, "scope", None)
        if scope is not None:
            self.direct = scope["extensions"][DIRECT_FRAMES] = DirectFrames(self)


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How uvicorn serves the app: the same for ``rondetafel serve`` and the tests."""
    return {
        "ws": RoomSocketProtocol,
        "ws_max_size": settings.max_message_size,
        "ws_per_message_deflate": False,
        "lifespan": "on",
    }
