"""Redis killed and restarted mid-meeting, and Redis that drops messages: the SQL log repairs
what pub/sub lost, so the clients on different processes converge anyway."""

from __future__ import annotations

import asyncio
import random
import time

from server.crdt import schema
from tests.cluster.harness import Cluster, stored_plan
from tests.conftest import Member, sign_in
from tests.reliability.crash import type_randomly
from tests.yclient import YClient


async def table(group: Cluster, count: int) -> tuple[list[Member], list[YClient]]:
    """``count`` people, spread over the processes in turn."""
    family = group.family
    names = [n for n, link in family.links.items() if link["role"] != "screen"][:count]
    members = [await sign_in(group.servers[0].http, family, n) for n in names]
    clients = [
        await YClient(m.ws_url(group.servers[i % len(group.servers)].ws), m.cookie).connect()
        for i, m in enumerate(members)
    ]
    return members, clients


async def type_for(clients: list[YClient], seconds: float, round_: int, rnd: random.Random) -> None:
    typing = [
        asyncio.create_task(type_randomly(c, n, round_, rnd, rate=2.0))
        for n, c in enumerate(clients)
    ]
    await asyncio.sleep(seconds)  # the typing itself
    for task in typing:
        task.cancel()
    await asyncio.gather(*typing, return_exceptions=True)


async def converged(
    url: str, members: list[Member], clients: list[YClient], timeout: float
) -> float:
    """Seconds until every client holds what the database holds (after all saved)."""
    started = time.monotonic()
    for client in clients:
        await client.wait_saved(timeout=20)
    final = await stored_plan(url, members[0].meeting_id)
    for client in clients:
        await client.wait_for(lambda c=client: schema.extract(c.doc) == final, timeout)
    return time.monotonic() - started


async def redis_restart_rounds(group: Cluster, rounds: int, seed: int) -> list[float]:
    """Per round: type, kill Redis, type, start it again; seconds from Redis back to all
    clients converged."""
    rnd = random.Random(seed)
    members, clients = await table(group, 6)
    seconds = []
    try:
        for round_ in range(rounds):
            await type_for(clients, 0.4, round_, rnd)
            await group.redis.kill()
            await type_for(clients, 0.4, round_ + 1000, rnd)
            await group.redis.start()
            seconds.append(await converged(group.url, members, clients, timeout=5))
    finally:
        for client in clients:
            await client.close()
    return seconds
