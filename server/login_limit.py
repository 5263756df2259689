"""Limits on failed logins, against password guessing: per username and per client address.

Failures are counted in a sliding window (``login_window_minutes``). Once a username or an
address reached its limit, further attempts are refused *before* the password is checked,
until the oldest failure leaves the window; a success clears that username's count. Kept in
memory: a restart forgets the counts (good enough for one server process; several processes
would each count on their own, multiplying the limit by their number).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

SWEEP_ABOVE = 10_000  # keys kept before old ones are swept out


class LoginLimiter:
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

    def allowed(self, username: str, address: str) -> bool:
        """May this attempt be checked at all?"""
        return (
            self._count("user:" + username) < self.per_username
            and self._count("addr:" + address) < self.per_address
        )

    def failed(self, username: str, address: str) -> None:
        now = self.clock()
        for key in ("user:" + username, "addr:" + address):
            self._failures.setdefault(key, deque()).append(now)
        if len(self._failures) > SWEEP_ABOVE:  # a spray of made-up usernames
            for key in list(self._failures):
                self._count(key)

    def succeeded(self, username: str) -> None:
        self._failures.pop("user:" + username, None)

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
