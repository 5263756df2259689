"""Per-connection rate limits: a token bucket for messages and one for bytes.

A connection that sends faster than allowed is slowed down, not served faster: its receive
loop sleeps until it is within budget again, so TCP pushes back on the flooder while the
event loop keeps serving everyone else. Typing is ~10 messages/s per person; the default
budget leaves room for bursts (a paste, a reconnect's full sync) without ever noticing."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


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
    """Both budgets of one connection; ``delay(size)`` says how long to pause before more."""

    def __init__(self, messages_per_second: float, bytes_per_second: float):
        self.messages = Bucket(messages_per_second, 2 * messages_per_second)
        self.bytes = Bucket(bytes_per_second, 2 * bytes_per_second)
        self.throttled = 0  # times this connection was slowed down

    def delay(self, size: int) -> float:
        now = time.monotonic()
        wait = max(self.messages.take(1, now), self.bytes.take(size, now))
        if wait:
            self.throttled += 1
        return wait
