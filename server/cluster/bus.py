"""Redis pub/sub between the processes: a doorbell, never the truth.

One channel carries every message; each names its kind, the process that sent it and the
meeting. Pub/sub is at most once — a message is lost while Redis or a connection to it is
down — so nothing here is needed for durability: a lost update doorbell costs a receiver a
catch-up from the SQL log (on a gap, on reconnecting, or on its timer), a lost presence change
is renewed by the client within 15 s, a lost removal is caught by the session sweep.

Publishing never waits for Redis: messages go into a bounded outbox that one task sends in
pipelined batches; when Redis is away the outbox is dropped (receivers repair from SQL).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import random
import struct
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import redis.asyncio as redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
CHANNEL = "rondetafel:meetings"
OUTBOX = 10_000  # messages kept while Redis is slow; beyond that the oldest are dropped
RETRY_SECONDS = 0.2
_SEQ = struct.Struct(">Q")


class Kind(enum.StrEnum):
    UPDATE = "u"  # a committed update: seq + bytes
    PRESENCE = "p"  # an awareness frame of the sender's connections
    ASK_PRESENCE = "a"  # a process loaded the meeting: who is here?
    GONE = "g"  # a process stopped or was reaped: its connections left
    REVOKE = "r"  # sessions revoked: close their sockets (payload: ids, comma-separated)
    REMOVE = "x"  # a person taken out of a meeting (payload: person id)


@dataclass(frozen=True, slots=True)
class Message:
    kind: Kind
    process: str
    meeting_id: str
    payload: bytes
    seq: int = 0


def encode(message: Message) -> bytes:
    head = f"{message.kind}|{message.process}|{message.meeting_id}|".encode()
    return head + _SEQ.pack(message.seq) + message.payload


def decode(raw: bytes) -> Message:
    """Raises ``ValueError`` on a message that is not ours."""
    kind, process, meeting_id, rest = raw.split(b"|", 3)
    if len(rest) < _SEQ.size:
        raise ValueError("short message")
    (seq,) = _SEQ.unpack_from(rest)
    return Message(Kind(kind.decode()), process.decode(), meeting_id.decode(), rest[8:], seq)


class Bus:
    """The process's connection to Redis: ``publish`` (never waits), and ``handle`` called for
    every message another process sent; ``reconnected`` after every (re)subscription."""

    def __init__(
        self,
        url: str,
        process: str,
        handle: Callable[[Message], None],
        reconnected: Callable[[], None],
    ):
        self.url = url
        self.process = process
        self.handle = handle
        self.reconnected = reconnected
        self.drop_rate = 0.0  # tests only: lose this share of incoming messages
        self.dropped = 0
        self._outbox: deque[bytes] = deque(maxlen=OUTBOX)
        self._wakeup = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._client = redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
        self._random = random.Random()
        self._stopping = False

    async def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._listen(), name="bus-listen"),
            asyncio.create_task(self._send(), name="bus-send"),
        ]

    async def stop(self) -> None:
        """Send what waits (a goodbye, say), then close."""
        with contextlib.suppress(RedisError, OSError, TimeoutError):
            await asyncio.wait_for(self._flush(), 1.0)
        # redis-py can turn a cancellation inside a command into its own error, which the
        # loops survive by design: they also end on this flag
        self._stopping = True
        for task in self._tasks:
            task.cancel()
        self._wakeup.set()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._client.aclose()

    def publish(self, kind: Kind, meeting_id: str, payload: bytes = b"", seq: int = 0) -> None:
        self._outbox.append(encode(Message(kind, self.process, meeting_id, payload, seq)))
        self._wakeup.set()

    async def _send(self) -> None:
        while not self._stopping:
            await self._wakeup.wait()
            self._wakeup.clear()
            try:
                await self._flush()
            except (RedisError, OSError, TimeoutError) as exc:
                log.warning("redis: %d messages not sent (%s)", len(self._outbox), exc)
                self._outbox.clear()  # receivers catch up from the log
                await asyncio.sleep(RETRY_SECONDS)

    async def _flush(self) -> None:
        while self._outbox:
            pipe = self._client.pipeline(transaction=False)
            for _ in range(min(len(self._outbox), 500)):
                pipe.publish(CHANNEL, self._outbox.popleft())
            await pipe.execute()

    async def _listen(self) -> None:
        while not self._stopping:
            try:
                await self._subscribed()
            except (RedisError, OSError, TimeoutError) as exc:
                log.warning("redis: subscription lost (%s); retrying", exc)
            await asyncio.sleep(RETRY_SECONDS)

    async def _subscribed(self) -> None:
        pubsub = self._client.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(CHANNEL)
            self.reconnected()  # what was missed meanwhile: the receivers catch up from SQL
            while True:
                raw = await pubsub.get_message(timeout=1.0)
                if raw is None:
                    await pubsub.ping()  # notices a Redis that went away while we listened
                    continue
                if raw.get("type") == "message":
                    self._receive(raw.get("data"))
        finally:
            with contextlib.suppress(RedisError, OSError, TimeoutError):
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    def _receive(self, data: object) -> None:
        if not isinstance(data, bytes):
            return
        try:
            message = decode(data)
        except ValueError:
            log.warning("redis: a message that is not ours on %s", CHANNEL)
            return
        if message.process == self.process:
            return
        if self.drop_rate and self._random.random() < self.drop_rate:
            self.dropped += 1
            return
        self.handle(message)
