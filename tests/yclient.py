"""A Python y-websocket client on pycrdt, for tests against a real server.

It behaves like a stock provider: sends sync step 1 on connect, answers the server's step 1,
applies step 2 and updates, sends every local change as an update, and keeps awareness.
``wait_for`` blocks on messages (with a timeout), never on sleeps."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from typing import Any

import websockets
from pycrdt import Doc, write_var_uint

from server.crdt import protocol
from server.crdt.protocol import AwarenessMessage, SyncMessage, SyncType

RENEW_SECONDS = 15.0  # y-protocols: outdatedTimeout / 2


class YClient:
    def __init__(self, url: str, cookie: str | None = None, origin: str | None = None):
        self.url = url
        self.headers = {"Cookie": cookie} if cookie else {}
        self.origin = origin
        self.doc = Doc()
        self.client_id = self.doc.client_id
        self.synced = False
        self.saved = 0
        self.sent_updates = 0
        self.awareness: dict[int, tuple[int, Any]] = {}
        self.close_code: int | None = None
        self.frames: list[bytes] = []
        self._ws: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._changed = asyncio.Condition()
        self._remote = False
        self._clock = 0
        self._local: dict[str, Any] | None = None
        self._renewer: asyncio.Task[None] | None = None
        self.doc.observe(self._on_local_change)

    async def connect(self, wait_synced: bool = True, timeout: float = 5.0) -> YClient:
        self._ws = await websockets.connect(
            self.url,
            additional_headers=self.headers,
            origin=self.origin,  # type: ignore[arg-type]
            max_size=None,
            compression=None,
        )
        self._reader = asyncio.create_task(self._read())
        await self.send(protocol.sync_step1(self.doc))
        if wait_synced:
            await self.wait_for(lambda: self.synced or self.close_code is not None, timeout)
        return self

    async def reconnect(self, timeout: float = 10.0) -> YClient:
        """Connect again with the same doc, as a provider does after a lost connection:
        the sync sends the server whatever this client typed meanwhile."""
        await self.close()
        self.synced, self.saved, self.sent_updates, self.close_code = False, 0, 0, None
        return await self.connect(timeout=timeout)

    async def send(self, frame: bytes | str) -> None:
        """Send a frame; a socket the server already closed is not an error here (the reader
        records the close code, which is what tests look at)."""
        with contextlib.suppress(websockets.ConnectionClosed):
            await self._ws.send(frame)

    def _on_local_change(self, event: Any) -> None:
        if self._remote or self._ws is None:
            return
        self.sent_updates += 1
        asyncio.get_running_loop().create_task(self.send(protocol.sync_update(event.update)))

    async def set_awareness(self, state: dict[str, Any] | None) -> None:
        self._clock += 1
        self._local = state
        entry = protocol.AwarenessEntry(self.client_id, self._clock, json.dumps(state))
        await self.send(protocol.encode_awareness([entry]))
        if self._renewer is None:
            self._renewer = asyncio.create_task(self._renew())

    async def _renew(self) -> None:
        """Renew the local presence every 15 s, as y-protocols does (a stock client is never
        silent for long; the server closes sockets that are)."""
        while True:
            await asyncio.sleep(RENEW_SECONDS)  # periodic by nature
            if self._local is not None:
                await self.set_awareness(self._local)

    async def _read(self) -> None:
        try:
            async for frame in self._ws:
                self.frames.append(frame)
                await self._handle(frame)
        except websockets.ConnectionClosed:
            pass
        finally:
            self.close_code = self._ws.close_code
            async with self._changed:
                self._changed.notify_all()

    async def _handle(self, frame: bytes) -> None:
        if frame[0] == protocol.MessageType.SAVED:
            self.saved = protocol._Reader(frame[1:]).var_uint()
        else:
            message = protocol.decode(frame)
            if isinstance(message, SyncMessage):
                await self._on_sync(message)
            elif isinstance(message, AwarenessMessage):
                for e in message.entries:
                    self.awareness[e.client_id] = (e.clock, json.loads(e.state))
        async with self._changed:
            self._changed.notify_all()

    async def _on_sync(self, message: SyncMessage) -> None:
        if message.sync_type is SyncType.STEP1:
            await self.send(protocol.sync_step2(self.doc.get_update(message.payload)))
            return
        self._remote = True
        try:
            self.doc.apply_update(message.payload)
        finally:
            self._remote = False
        if message.sync_type is SyncType.STEP2:
            self.synced = True

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        async def until() -> None:
            async with self._changed:
                await self._changed.wait_for(predicate)

        await asyncio.wait_for(until(), timeout)

    async def wait_saved(self, timeout: float = 5.0) -> None:
        """Wait until the server confirmed every document message this client sent."""
        await self.wait_for(lambda: self.saved >= self.sent_updates + 1, timeout)

    def present(self) -> dict[int, Any]:
        return {cid: state for cid, (_, state) in self.awareness.items() if state is not None}

    async def close(self) -> None:
        if self._renewer is not None:
            self._renewer.cancel()
            self._renewer = None
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader

    async def drop(self) -> None:
        """Cut the connection without a closing handshake, like a tablet that loses its wifi."""
        if self._renewer is not None:
            self._renewer.cancel()
            self._renewer = None
        if self._ws is not None:
            self._ws.transport.abort()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader


def var_uint(n: int) -> bytes:
    return write_var_uint(n)
