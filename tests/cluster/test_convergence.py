"""Three processes, ten clients spread over them, typing goals and actions at once: all
converge, and the database holds everything any client received.

Its time limits are a loaded 2-core machine's (CI runs other suites beside it): the first
connection to each process, and the first commits, wait on imports and pools warming up."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from server.crdt import schema
from tests.cluster.harness import cluster, stored_plan
from tests.conftest import sign_in
from tests.reliability.crash import ids, seen_from_others, type_randomly
from tests.yclient import YClient

LOADED = 30.0  # seconds: what an event may take on a loaded machine before it is a failure


async def test_ten_clients_on_three_processes_converge_and_all_is_stored(
    pg_url: str, tmp_path: Path
) -> None:
    rnd = random.Random(3)
    async with cluster(pg_url, tmp_path, size=3, compaction_threshold="20") as group:
        servers, family = group.servers, group.family
        names = [n for n, link in family.links.items() if link["role"] != "screen"]
        members = [await sign_in(servers[0].http, family, n) for n in names]
        members = (members * 2)[:10]  # ten connections, some people on two devices
        clients = await asyncio.gather(
            *(
                YClient(m.ws_url(servers[i % 3].ws), m.cookie).connect(timeout=LOADED)
                for i, m in enumerate(members)
            )
        )
        typing = [
            asyncio.create_task(type_randomly(c, n, 0, rnd, rate=8.0))
            for n, c in enumerate(clients)
        ]
        await asyncio.sleep(3.0)  # the typing itself
        for task in typing:
            task.cancel()
        await asyncio.gather(*typing, return_exceptions=True)
        for client in clients:
            await client.wait_saved(timeout=LOADED)
        received = seen_from_others(clients)
        final = await stored_plan(pg_url, members[0].meeting_id)
        have = ids(final)
        assert received <= set(have), sorted(received - set(have))
        assert len({i for i in have if i.startswith("c")}) > 50  # they did type
        for client in clients:
            await client.wait_for(lambda c=client: schema.extract(c.doc) == final, LOADED)
        assert len(have) == len(set(have))  # nothing duplicated
        for client in clients:
            await client.close()
