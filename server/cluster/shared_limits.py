"""The login and join-code limits, counted once for every process, in Redis.

Each process counting alone would multiply every limit by the number of processes. Here each
check is one Lua script, atomic in Redis, with Redis's own clock: the reservation before the
password check (or the code lookup) that makes parallel guesses count holds across processes
exactly as it does in one. Same methods as the in-memory ``limits.AttemptLimiter`` and
``limits.LoginLimiter``.

Redis unreachable: a login or a join code is refused with ``TooBusy`` (429, "try again in a
minute"). A door that cannot count guesses stays shut; the meetings themselves, whose data is
in PostgreSQL, keep running.
"""

from __future__ import annotations

import uuid
from typing import Any

import redis.asyncio as redis
from redis.exceptions import RedisError

from ..errors import TooBusy
from ..join_codes import JoinGuard
from ..settings import Settings

PREFIX = "rondetafel:limit:"

# a token bucket: ARGV rate/s, burst, cost (1 takes, -1 gives back); 1 if taken
_BUCKET = """
local rate, burst, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local v = redis.call('HMGET', KEYS[1], 'tokens', 'stamp')
local tokens = tonumber(v[1]) or burst
local stamp = tonumber(v[2]) or now
tokens = math.min(burst, tokens + (now - stamp) * rate)
if cost > 0 and tokens < cost then return 0 end
tokens = math.min(burst, tokens - cost)
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'stamp', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 1)
return 1
"""

# failures in a sliding window, per key; ARGV window s, attempt id, then one limit per key.
# Reserves the attempt under every key, or under none when one of them is at its limit.
_BEGIN = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local window = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) >= tonumber(ARGV[2 + i]) then return 0 end
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('EXPIRE', key, math.ceil(window) + 1)
end
return 1
"""


def client(url: str) -> Any:
    return redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


class SharedAttempts:
    """``limits.Attempts`` in Redis: ``per_minute`` attempts per key, refilled evenly."""

    def __init__(self, redis_client: Any, name: str, per_minute: int):
        self.redis = redis_client
        self.name = name
        self.per_minute = per_minute
        self._script = redis_client.register_script(_BUCKET)

    async def _run(self, key: str, cost: int) -> bool:
        args = [self.per_minute / 60, self.per_minute, cost]
        try:
            return bool(await self._script(keys=[f"{PREFIX}{self.name}:{key}"], args=args))
        except (RedisError, OSError) as exc:
            raise TooBusy(f"limits unavailable: {type(exc).__name__}") from exc

    async def take(self, key: str) -> bool:
        return await self._run(key, 1)

    async def give_back(self, key: str) -> None:
        await self._run(key, -1)


class SharedLoginLimiter:
    """``limits.LoginLimiter`` in Redis (per username from one address, and per address)."""

    def __init__(self, redis_client: Any, per_username: int, per_address: int, window: float):
        self.redis = redis_client
        self.per_username = per_username
        self.per_address = per_address
        self.window = window
        self._begin = redis_client.register_script(_BEGIN)

    @staticmethod
    def _keys(username: str, address: str) -> list[str]:
        return [f"{PREFIX}login:user:{username}|{address}", f"{PREFIX}login:addr:{address}"]

    async def begin(self, username: str, address: str) -> str | None:
        attempt = uuid.uuid4().hex
        args = [self.window, attempt, self.per_username, self.per_address]
        try:
            taken = await self._begin(keys=self._keys(username, address), args=args)
        except (RedisError, OSError) as exc:
            raise TooBusy(f"login limits unavailable: {type(exc).__name__}") from exc
        return attempt if taken else None

    async def succeeded(self, username: str, address: str, attempt: str) -> None:
        user, _ = self._keys(username, address)
        await self.release(username, address, attempt)
        await self._quietly(self.redis.delete(user))

    async def release(self, username: str, address: str, attempt: str) -> None:
        pipe = self.redis.pipeline(transaction=True)
        for key in self._keys(username, address):
            pipe.zrem(key, attempt)
        await self._quietly(pipe.execute())

    @staticmethod
    async def _quietly(command: Any) -> None:
        try:
            await command
        except (RedisError, OSError) as exc:  # a failure counted too long: the safe side
            raise TooBusy(f"login limits unavailable: {type(exc).__name__}") from exc


def shared_doors(settings: Settings) -> tuple[SharedLoginLimiter, JoinGuard]:
    """The login limiter and the join-code limits of a process that serves with others."""
    shared = client(settings.redis_url)
    login = SharedLoginLimiter(
        shared,
        settings.login_max_failures,
        settings.login_max_failures_per_ip,
        settings.login_window_minutes * 60,
    )
    join = JoinGuard(
        SharedAttempts(shared, "join_ip", settings.join_attempts_per_ip),
        SharedAttempts(shared, "join_failures", settings.join_failures_global),
        SharedAttempts(shared, "join_meeting", settings.join_requests_per_meeting),
    )
    return login, join
