"""A lean websocket client: the ``websockets`` library's sans-I/O protocol on an asyncio
``Protocol``. Frames are handled inline in ``data_received`` and sent with ``transport.write``,
without a task or a future per message: the load generator shares two cores with the server
under test, so every microsecond it spends per frame is taken from the measurement.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import cast

from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.uri import parse_uri


class ConnectionFailed(Exception):
    pass


class WireSocket(asyncio.Protocol):
    """One client connection. ``on_message(data)`` is called for every binary message."""

    def __init__(
        self, url: str, headers: dict[str, str], on_message: Callable[[bytes], None]
    ) -> None:
        self.conn = ClientProtocol(parse_uri(url), max_size=None)
        self.headers = headers
        self.on_message = on_message
        self.transport: asyncio.Transport | None = None
        self.opened: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.lost: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.close_code: int | None = None

    @classmethod
    async def connect(
        cls,
        url: str,
        headers: dict[str, str],
        on_message: Callable[[bytes], None],
        timeout: float = 15.0,
    ) -> WireSocket:
        uri = parse_uri(url)
        loop = asyncio.get_running_loop()
        sock = cls(url, headers, on_message)
        async with asyncio.timeout(timeout):
            await loop.create_connection(lambda: sock, uri.host, uri.port)
            await sock.opened
        return sock

    # -- asyncio.Protocol --------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        request = self.conn.connect()
        for name, value in self.headers.items():
            request.headers[name] = value
        self.conn.send_request(request)
        self._flush()

    def data_received(self, data: bytes) -> None:
        self.conn.receive_data(data)
        for event in self.conn.events_received():
            if isinstance(event, Frame):
                if event.opcode is Opcode.BINARY:
                    payload = event.data
                    self.on_message(payload if isinstance(payload, bytes) else bytes(payload))
            elif isinstance(event, Response) and not self.opened.done():
                if event.status_code == 101 and self.conn.handshake_exc is None:
                    self.opened.set_result(None)
                else:
                    self.opened.set_exception(
                        ConnectionFailed(f"handshake: HTTP {event.status_code}")
                    )
        self._flush()

    def eof_received(self) -> bool | None:
        self.conn.receive_eof()
        self._flush()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.close_code = self.conn.close_code or 1006
        if not self.opened.done():
            self.opened.set_exception(ConnectionFailed(f"connection lost: {exc!r}"))
        if not self.lost.done():
            self.lost.set_result(None)

    # -- use ---------------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self.lost.done()

    def send(self, data: bytes) -> bool:
        """Send one binary message; False when the connection is gone."""
        if self.lost.done() or self.transport is None:
            return False
        try:
            self.conn.send_binary(data)
        except Exception:
            return False
        self._flush()
        return True

    async def close(self, timeout: float = 3.0) -> None:
        if self.transport is None or self.lost.done():
            return
        with contextlib.suppress(Exception):
            self.conn.send_close(1000)
            self._flush()
        try:
            await asyncio.wait_for(asyncio.shield(self.lost), timeout)
        except TimeoutError:
            self.transport.abort()

    def _flush(self) -> None:
        assert self.transport is not None
        for chunk in self.conn.data_to_send():
            if chunk:
                self.transport.write(chunk)
            elif self.transport.can_write_eof():
                self.transport.write_eof()
        if self.conn.close_expected() and not self.transport.is_closing():
            # the closing handshake is done or failed: the client does not wait for the server
            self.transport.close()
