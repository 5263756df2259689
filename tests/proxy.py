"""A TCP proxy between a client and the server that can delay traffic or cut it off, like a
tablet on bad Wi-Fi. Loopback only."""

from __future__ import annotations

import asyncio
import contextlib


class FlakyLink:
    """Forwards 127.0.0.1:<port> to the upstream port; ``cut()`` drops every connection and
    refuses new ones until ``restore()``; ``delay`` seconds are added to every chunk."""

    def __init__(self, upstream_port: int, delay: float = 0.0):
        self.upstream_port = upstream_port
        self.delay = delay
        self.up = True
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> FlakyLink:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.up:
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}
        await asyncio.gather(
            self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
        )

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while self.up and (chunk := await reader.read(65536)):
                if self.delay:
                    await asyncio.sleep(self.delay)  # the link's latency
                if not self.up:
                    break  # dropped on the floor
                writer.write(chunk)
                await writer.drain()
        finally:
            self._writers.discard(writer)
            writer.close()

    def cut(self) -> None:
        self.up = False
        for writer in list(self._writers):
            writer.transport.abort()  # no goodbye: the connection is simply gone
        self._writers.clear()

    def restore(self, delay: float | None = None) -> None:
        self.up = True
        if delay is not None:
            self.delay = delay

    async def close(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()
