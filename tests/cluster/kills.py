"""Kill -9 rounds on several processes: the process hosting the most clients dies under load,
its clients reconnect to the others, and nothing another client had received, or that its
author was told was saved, is missing from the database; nothing is duplicated; and how long
each client took until it was synced again: from the kill until its socket closed, plus from
its reconnect until sync step 2 from a live process (the test's own reading of the database
in between, before anyone reconnects, is not counted: a provider reconnects at once)."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from server.crdt import schema
from server.settings import Settings
from tests.cluster.harness import Cluster, cluster, stored_plan
from tests.conftest import Family, Member, make_family, sign_in
from tests.reliability.crash import ids, seen_from_others, type_randomly
from tests.server_process import ServerProcess
from tests.yclient import YClient


@dataclass
class KillReport:
    rounds: int = 0
    checked_items: int = 0
    losses: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    resync_seconds: list[float] = field(default_factory=list)

    def p99(self) -> float:
        ordered = sorted(self.resync_seconds)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0


def _alive(server: ServerProcess) -> bool:
    return server.proc is not None and server.proc.returncode is None


ROUNDS_PER_MEETING = 5  # a meeting holds at most 100 goals: then the next family's meeting


async def kill_rounds(url: str, tmp: Path, rounds: int, seed: int, clients: int = 10) -> KillReport:
    """``rounds`` kills on three processes. A killed process restarts in the background (its
    imports alone take seconds on a loaded machine) while the next rounds go on, as long as
    two processes serve: one to kill, one to take its clients."""
    rnd = random.Random(seed)
    report = KillReport()
    async with cluster(url, tmp, size=3, compaction_threshold="20") as group:
        hosts = [i % 3 for i in range(clients)]  # which server each client is on
        members, typists = await _table(group, group.family, hosts)
        made: list[list[tuple[int, str]]] = [[] for _ in typists]
        restarts: dict[int, asyncio.Task[ServerProcess]] = {}  # server → its restart
        try:
            for round_ in range(rounds):
                await _serving(restarts, len(group.servers))
                usable = [i for i in range(len(group.servers)) if i not in restarts]
                if round_ and round_ % ROUNDS_PER_MEETING == 0:
                    await _converged(url, members, typists)
                    settings = Settings(database_url=url, demo=True)
                    family = await make_family(settings, name=f"Familie Ronde {round_}")
                    hosts[:] = [usable[i % len(usable)] for i in range(clients)]
                    members, typists = await _table(group, family, hosts)
                    made = [[] for _ in typists]
                killed = await _round(
                    group, usable, typists, members, hosts, made, round_, rnd, report
                )
                restart = group.servers[killed].start(timeout=120)  # a busy machine
                restarts[killed] = asyncio.create_task(restart)
            await asyncio.gather(*restarts.values())
            await _converged(url, members, typists)
        finally:
            for client in typists:
                await client.close()
    return report


async def _serving(restarts: dict[int, asyncio.Task[ServerProcess]], size: int) -> None:
    """Forget the restarts that finished; wait for one while fewer than two processes serve."""
    while size - len(restarts) < 2:
        await asyncio.wait(restarts.values(), return_when=asyncio.FIRST_COMPLETED)
        for server in [i for i, task in restarts.items() if task.done()]:
            await restarts.pop(server)
    for server in [i for i, task in restarts.items() if task.done()]:
        await restarts.pop(server)


async def _table(
    group: Cluster, family: Family, hosts: list[int]
) -> tuple[list[Member], list[YClient]]:
    """The family's people (some on two devices), each on the server ``hosts`` names."""
    names = [n for n, link in family.links.items() if link["role"] != "screen"]
    base = group.servers[hosts[0]].http
    people = [await sign_in(base, family, n) for n in names]
    members = (people * (len(hosts) // len(people) + 1))[: len(hosts)]
    typists = [
        await YClient(m.ws_url(group.servers[h].ws), m.cookie).connect()
        for m, h in zip(members, hosts, strict=True)
    ]
    return members, typists


async def _converged(url: str, members: list[Member], typists: list[YClient]) -> None:
    """Everyone's edits saved, and every client holds exactly what the database holds."""
    for client in typists:
        await client.wait_saved(timeout=20)
    final = await stored_plan(url, members[0].meeting_id)
    for client in typists:
        await client.wait_for(lambda c=client: schema.extract(c.doc) == final, 20)
        await client.close()


async def _round(
    group: Cluster,
    live: list[int],
    typists: list[YClient],
    members: list[Member],
    hosts: list[int],
    made: list[list[tuple[int, str]]],
    round_: int,
    rnd: random.Random,
    report: KillReport,
) -> int:
    """One round; returns the index of the server it killed."""
    typing = [asyncio.create_task(_type(c, n, round_, rnd, made[n])) for n, c in enumerate(typists)]
    await asyncio.sleep(rnd.uniform(0.3, 1.0))  # the random moment of the kill
    busiest = max(live, key=hosts.count)
    moving = [n for n, h in enumerate(hosts) if h == busiest]
    await group.servers[busiest].kill()
    killed_at = time.monotonic()
    for task in typing:
        task.cancel()
    noticed = await asyncio.gather(*(_noticed(typists[n], killed_at) for n in moving))
    await asyncio.gather(*typing, return_exceptions=True)
    # what must be stored, measured before anyone reconnects (a reconnect uploads it again)
    acked = {
        item
        for client, items in zip(typists, made, strict=True)
        for number, item in items
        if client.saved >= number + 1
    }
    must_have = seen_from_others(typists) | acked
    have = ids(await stored_plan(group.url, members[0].meeting_id))
    report.losses += sorted(must_have - set(have))
    report.duplicates += sorted({i for i in have if have.count(i) > 1})
    report.checked_items += len(must_have)
    report.rounds += 1
    survivors = [i for i in live if i != busiest]
    for n in moving:
        hosts[n] = min(survivors, key=hosts.count)
    resync = await asyncio.gather(
        *(_move(typists[n], members[n], group.servers[hosts[n]]) for n in moving)
    )
    report.resync_seconds += [a + b for a, b in zip(noticed, resync, strict=True)]
    for n in moving:
        made[n].clear()  # saved counts start again on the new connection
    return busiest


async def _type(
    client: YClient, n: int, round_: int, rnd: random.Random, made: list[tuple[int, str]]
) -> None:
    """``type_randomly`` while the meeting has room (the schema allows 100 goals, 300
    actions; on a loaded machine a round types longer than planned), then owner changes."""
    plan = schema.extract(client.doc)
    if len(plan["goals"]) < 60 and len(plan["actions"]) < 200:
        await type_randomly(client, n, round_, rnd, rate=2.0, made=made)


async def _noticed(client: YClient, killed_at: float) -> float:
    """Seconds from the kill until ``client`` saw its connection end."""
    await client.wait_for(lambda: client.close_code is not None, 5)
    return time.monotonic() - killed_at


async def _move(client: YClient, member: Member, server: ServerProcess) -> float:
    """Reconnect to ``server`` (as a provider does at once: the test's check of the database
    came in between, and is not counted); returns the seconds until synced again."""
    client.url = member.ws_url(server.ws)
    started = time.monotonic()
    await client.reconnect(timeout=10)
    return time.monotonic() - started
