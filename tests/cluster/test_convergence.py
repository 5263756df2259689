"""Three processes, ten clients spread over them, typing goals and actions at once."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from server.crdt import schema
from tests.cluster.harness import cluster, pg_url, stored_plan
from tests.conftest import sign_in
from tests.reliability.crash import ids, type_randomly
from tests.yclient import YClient

__all__ = ["pg_url"]  # the fixture, for pytest


async def test_ten_clients_on_three_processes_converge_and_all_is_stored(
    pg_url: str, tmp_path: Path
) -> None:
    rnd = random.Random(3)
    async with cluster(pg_url, tmp_path, size=3, compaction_threshold="20") as group:
        servers, family = group.servers, group.family
        names = [n for n, link in family.links.items() if link["role"] != "screen"]
        members = [await sign_in(servers[0].http, family, n) for n in names]
        members = (members * 2)[:10]  # ten connections, some people on two devices
        clients = [
            await YClient(m.ws_url(servers[i % 3].ws), m.cookie).connect()
            for i, m in enumerate(members)
        ]
        typing = [
            asyncio.create_task(type_randomly(c, n, 0, rnd, rate=8.0))
            for n, c in enumerate(clients)
        ]
        await asyncio.sleep(3.0)  # the typing itself
        for task in typing:
            task.cancel()
        await asyncio.gather(*typing, return_exceptions=True)
        for client in clients:
            await client.wait_saved(timeout=20)
        final = await stored_plan(pg_url, members[0].meeting_id)
        made = {i for i in ids(final) if i.startswith("c")}
        assert len(made) > 50  # they did type, and it is all in the database
        for client in clients:
            await client.wait_for(lambda c=client: schema.extract(c.doc) == final, timeout=10)
        have = ids(final)
        assert len(have) == len(set(have))  # nothing duplicated
        for client in clients:
            await client.close()
