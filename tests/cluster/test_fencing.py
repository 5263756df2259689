"""A process paused past its lease writes nothing that is accepted, and its clients end up on
a live process; its presence leaves the others' tables; presence crosses processes."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from server.crdt import schema
from tests.cluster.harness import cluster, stored_plan
from tests.conftest import sign_in
from tests.test_server import add_goal
from tests.yclient import YClient

LEASE = 3.0


async def test_a_paused_process_is_fenced_and_its_clients_move(pg_url: str, tmp_path: Path) -> None:
    async with cluster(pg_url, tmp_path, size=2, process_lease_seconds=str(LEASE)) as group:
        paused, live = group.servers
        family = group.family
        names = [n for n, link in family.links.items() if link["role"] == "family"][:2]
        first, second = [await sign_in(live.http, family, n) for n in names]
        on_paused = await YClient(first.ws_url(paused.ws), first.cookie).connect()
        on_live = await YClient(second.ws_url(live.ws), second.cookie).connect()
        await on_paused.set_awareness({"cursor": 1})
        await on_live.wait_for(lambda: on_paused.client_id in on_live.present(), 5)
        assert on_live.present()[on_paused.client_id]["user"]["name"] == first.name

        assert paused.proc is not None
        paused.proc.send_signal(signal.SIGSTOP)
        # the live process reaps the lease and takes the paused one's presence off the table
        await on_live.wait_for(lambda: on_paused.client_id not in on_live.present(), 4 * LEASE)
        add_goal(on_paused, "g-while-paused", "Geschreven terwijl de server stil stond")
        await asyncio.sleep(0.2)  # let the frame reach the paused process's socket buffer
        paused.proc.send_signal(signal.SIGCONT)
        assert await asyncio.wait_for(paused.proc.wait(), 10) == 75  # fenced: it stops
        await on_paused.wait_for(lambda: on_paused.close_code is not None, 5)

        plan = await stored_plan(group.url, first.meeting_id)
        assert "g-while-paused" not in [g["id"] for g in plan["goals"]]
        assert "g-while-paused" not in [g["id"] for g in schema.extract(on_live.doc)["goals"]]

        on_paused.url = first.ws_url(live.ws)  # its provider reconnects, to the live one
        await on_paused.reconnect()
        await on_paused.wait_saved(timeout=10)
        await on_live.wait_for(
            lambda: "g-while-paused" in [g["id"] for g in schema.extract(on_live.doc)["goals"]],
            5,
        )
        for client in (on_paused, on_live):
            await client.close()
