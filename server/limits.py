"""Rate limits: how fast a connection may send, and how often a guess may fail.

Per connection, a token bucket for messages and one for bytes. A connection that sends faster
than allowed is slowed down, not served faster: its receive loop sleeps until it is within
budget again, so TCP pushes back on the flooder while the event loop keeps serving everyone
else. Typing is ~10 messages/s per person; the default
budget leaves room for bursts (a paste, a reconnect's full sync) without ever noticing.

Failed logins are limited per username and per client address (``LoginLimiter``); wrong join
codes per address and in all (``AttemptLimiter``, used by ``join_codes``). A session closed
for what it sent waits before it connects again (``CoolDown``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from .crdt.close_codes import CloseCode
from .errors import TooBusy

T = TypeVar("T")


@dataclass
class Bucket:
    rate: float  # tokens per second
    burst: float  # bucket size
    tokens: float = field(init=False)
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = self.burst

    def take(self, amount: float, now: float) -> float:
        """Take ``amount``; return how long to wait (seconds) until that was allowed."""
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        self.tokens -= amount
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate


class Throttle:
    """Both budgets of one connection; ``delay(size, now)`` says how long to pause before more."""

    def __init__(self, messages_per_second: float, bytes_per_second: float):
        self.messages = Bucket(messages_per_second, 2 * messages_per_second)
        self.bytes = Bucket(bytes_per_second, 2 * bytes_per_second)
        self.throttled = 0  # times this connection was slowed down

    def delay(self, size: int, now: float) -> float:
        """``now``: the monotonic clock as the reader already took it for this message."""
        wait = max(self.messages.take(1, now), self.bytes.take(size, now))
        if wait:
            self.throttled += 1
        return wait


class AttemptLimiter:
    """Attempts per key (a client IP, a meeting, or one global key) per minute, in memory.

    Each key has a bucket of ``per_minute`` attempts that refills evenly over a minute. Keys
    whose bucket is full again are forgotten once more than ``max_keys`` are tracked, so many
    clients cannot grow memory beyond what a minute of attempts takes."""

    def __init__(self, per_minute: int, max_keys: int = 10_000):
        self.per_minute = per_minute
        self.max_keys = max_keys
        self._buckets: dict[str, Bucket] = {}

    def _bucket(self, key: str, now: float) -> Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_keys:
                self._forget_idle(now)
            bucket = self._buckets[key] = Bucket(self.per_minute / 60, self.per_minute, stamp=now)
        return bucket

    def allows(self, key: str) -> bool:
        """Whether one more attempt for ``key`` is within budget (without using it)."""
        now = time.monotonic()
        bucket = self._bucket(key, now)
        return min(bucket.burst, bucket.tokens + (now - bucket.stamp) * bucket.rate) >= 1

    async def take(self, key: str) -> bool:
        """Use one attempt for ``key``; False (and nothing used) when over budget. Async like
        ``cluster.shared_limits.SharedAttempts``, which counts for every process in Redis."""
        if not self.allows(key):
            return False
        self._bucket(key, time.monotonic()).take(1, time.monotonic())
        return True

    async def give_back(self, key: str) -> None:
        """Return an attempt taken in advance that turned out not to count."""
        bucket = self._buckets.get(key)
        if bucket is not None:
            bucket.tokens = min(bucket.burst, bucket.tokens + 1)

    def _forget_idle(self, now: float) -> None:
        full = [
            key
            for key, b in self._buckets.items()
            if b.tokens + (now - b.stamp) * b.rate >= b.burst
        ]
        for key in full:
            del self._buckets[key]


class Attempts(Protocol):
    """A budget of attempts per key: ``AttemptLimiter`` in memory (one process), or
    ``cluster.shared_limits.SharedAttempts`` in Redis (several processes, one count)."""

    async def take(self, key: str) -> bool: ...

    async def give_back(self, key: str) -> None: ...


class LoginLimits(Protocol):
    """Failed-login limits: ``LoginLimiter`` in memory, or ``SharedLoginLimiter`` in Redis.
    ``begin`` reserves an attempt (None: over the limit); its token goes back to the others."""

    async def begin(self, username: str, address: str) -> Any: ...

    async def succeeded(self, username: str, address: str, attempt: Any) -> None: ...

    async def release(self, username: str, address: str, attempt: Any) -> None: ...


SWEEP_ABOVE = 10_000  # keys kept before old ones are swept out


class WorkGate:
    """Costly work (a password hash: ~100 ms on every core) in threads, at most ``at_once`` at
    a time and ``waiting`` in line; beyond that ``run`` raises ``TooBusy`` at once. The threads
    run at a lower CPU priority (nice 10), so guesses cannot slow the event loop that serves
    every meeting, nor queue up without end."""

    def __init__(self, at_once: int, waiting: int):
        self.at_once = at_once
        self.waiting = waiting
        self._pool = ThreadPoolExecutor(at_once, "work-gate", initializer=_lower_priority)
        self._slots: asyncio.Semaphore | None = None  # made in the loop that uses it
        self._queued = 0

    async def run(self, work: Callable[[], T]) -> T:
        if self._queued >= self.at_once + self.waiting:
            raise TooBusy(f"{self._queued} checks queued")
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.at_once)
        self._queued += 1
        try:
            async with self._slots:
                return await asyncio.get_running_loop().run_in_executor(self._pool, work)
        finally:
            self._queued -= 1


def _lower_priority() -> None:
    # Linux: a thread's own niceness (threads the hash library starts inherit it)
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


class LoginLimiter:
    """Limits on failed logins, against password guessing: per username from one address, and
    per client address.

    Failures are counted in a sliding window (``login_window_minutes``). Once a username (from
    that address) or an address reached its limit, further attempts are refused *before* the
    password is checked, until the oldest failure leaves the window; a success clears that
    count. Counting a username per address means guesses from elsewhere cannot lock its owner
    out; each address still gets only ``per_address`` guesses in all. Kept in
    memory: a restart forgets the counts. Several processes count together in Redis instead
    (``cluster.shared_limits.SharedLoginLimiter``, same methods), so the limit stays exact.
    """

    def __init__(
        self,
        per_username: int,
        per_address: int,
        window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.per_username = per_username
        self.per_address = per_address
        self.window = window_seconds
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}

    async def begin(self, username: str, address: str) -> float | None:
        """Reserve one attempt, counted as a failure until ``succeeded``; None: over the limit.
        Reserving before the password check (which awaits) means attempts sent in parallel
        cannot all pass the check before any of them is counted."""
        user, addr = f"user:{username}|{address}", "addr:" + address
        if self._count(user) >= self.per_username or self._count(addr) >= self.per_address:
            return None
        now = self.clock()
        for key in (user, addr):
            self._failures.setdefault(key, deque()).append(now)
        if len(self._failures) > SWEEP_ABOVE:  # a spray of made-up usernames
            for key in list(self._failures):
                self._count(key)
        return now

    async def succeeded(self, username: str, address: str, attempt: float) -> None:
        """The reserved attempt was right: it does not count, and the username starts over."""
        await self.release(username, address, attempt)
        self._failures.pop(f"user:{username}|{address}", None)

    async def release(self, username: str, address: str, attempt: float) -> None:
        """Give back a reserved attempt that was never checked (the server was busy); the
        failures before it still count."""
        for key in (f"user:{username}|{address}", "addr:" + address):
            stamps = self._failures.get(key)
            if stamps is not None and attempt in stamps:
                stamps.remove(attempt)

    def _count(self, key: str) -> int:
        stamps = self._failures.get(key)
        if not stamps:
            return 0
        horizon = self.clock() - self.window
        while stamps and stamps[0] <= horizon:
            stamps.popleft()
        if not stamps:
            del self._failures[key]  # memory stays bounded by the active keys
            return 0
        return len(stamps)


# closes for what the client sent: its next connection would send it again
FOR_WHAT_IT_SENT = frozenset(
    (CloseCode.UNSUPPORTED, CloseCode.INVALID, CloseCode.TOO_BIG, CloseCode.UPDATE_REFUSED)
)


class CoolDown:
    """A session whose connection was closed for what it sent waits before it connects again.

    y-websocket before 3.0 reconnects after every close, whatever its code, and resets its
    back-off as soon as a socket opens; y-websocket 3 does the same after a 1007 (a rich-text
    binding's formatting, say). Its sync step 2 then sends the refused update again: ten
    connections a second, each taking the update back (a rebuild of the room, which holds
    every other frame of the meeting) and writing audit rows. So after such a close the
    session's next connections are refused at the handshake, before a socket opens: the one
    refusal every client counts as failed and backs off from. The pause is 1 s, doubled per
    refusal up to a minute; a session clear for a minute after its pause starts over.

    Per process, as the rooms are: behind the balancer a meeting's sessions reach one process.
    """

    def __init__(
        self,
        first: float = 1.0,
        longest: float = 60.0,
        sessions: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.first, self.longest, self.sessions, self.clock = first, longest, sessions, clock
        self._until: OrderedDict[str, tuple[float, int]] = OrderedDict()  # → (until, refusals)

    def closed(self, session_id: str, code: int) -> None:
        """A connection of ``session_id`` was closed with ``code``."""
        if code not in FOR_WHAT_IT_SENT:
            return
        now = self.clock()
        until, refusals = self._until.pop(session_id, (0.0, 0))
        if now > until + self.longest:  # clear for a minute: start over
            refusals = 0
        self._until[session_id] = (now + min(self.longest, self.first * 2**refusals), refusals + 1)
        while len(self._until) > self.sessions:  # bounded: the oldest pause goes first
            self._until.popitem(last=False)

    def waits(self, session_id: str) -> float:
        """Seconds before ``session_id`` may connect again (0: now)."""
        entry = self._until.get(session_id)
        return 0.0 if entry is None else max(0.0, entry[0] - self.clock())
