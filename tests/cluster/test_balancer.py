"""The shipped HAProxy config (server/cluster/haproxy.cfg) in front of three processes: clients
that only know the balancer's address converge, and after a process dies they reconnect through
the same address and converge again."""

from __future__ import annotations

import asyncio
import random
import re
from pathlib import Path

from server.crdt import schema
from tests.cluster.harness import cluster, stored_plan
from tests.conftest import ROOT, sign_in
from tests.reliability.crash import type_randomly
from tests.server_process import free_port
from tests.yclient import YClient

HAPROXY = "/usr/sbin/haproxy"


def balancer_config(target: Path, port: int, backends: list[int]) -> Path:
    """server/cluster/haproxy.cfg with the test's ports in place of 8080 and 8001-8003."""
    text = (ROOT / "server" / "cluster" / "haproxy.cfg").read_text()
    text = text.replace("bind 127.0.0.1:8080", f"bind 127.0.0.1:{port}")
    for n, backend in enumerate(backends, start=1):
        text = re.sub(rf"127\.0\.0\.1:800{n}\b", f"127.0.0.1:{backend}", text)
    target.write_text(text)
    return target


async def test_clients_behind_haproxy_survive_a_process_kill(pg_url: str, tmp_path: Path) -> None:
    port = free_port()
    public = f"http://127.0.0.1:{port}"  # what the browsers see: invite links, Origin
    async with cluster(pg_url, tmp_path, size=3, public_url=public) as group:
        config = balancer_config(tmp_path / "haproxy.cfg", port, [s.port for s in group.servers])
        proxy = await asyncio.create_subprocess_exec(HAPROXY, "-db", "-f", str(config))
        try:
            base = f"http://127.0.0.1:{port}"
            async with asyncio.timeout(10):  # until the balancer answers
                while True:
                    assert proxy.returncode is None, "haproxy did not start"
                    try:
                        _, writer = await asyncio.open_connection("127.0.0.1", port)
                        writer.close()
                        break
                    except OSError:
                        await asyncio.sleep(0.05)
            family = group.family
            names = [n for n, link in family.links.items() if link["role"] != "screen"][:6]
            members = [await sign_in(base, family, n) for n in names]
            ws = base.replace("http://", "ws://")
            clients = [await YClient(m.ws_url(ws), m.cookie).connect() for m in members]
            rnd = random.Random(8)
            typing = [
                asyncio.create_task(type_randomly(c, n, 0, rnd, rate=4.0))
                for n, c in enumerate(clients)
            ]
            await asyncio.sleep(1.0)
            # the balancer sends one meeting to one process (by its id): that one dies
            host = next(s for s in group.servers if any(b"WebSocket /ws/" in o for o in s.output))
            await host.kill()
            for task in typing:
                task.cancel()
            await asyncio.gather(*typing, return_exceptions=True)
            for client in clients:
                await client.wait_for(lambda c=client: c.close_code is not None, 5)
                await client.reconnect(timeout=15)  # the same address: the balancer picks
            for client in clients:
                await client.wait_saved(timeout=20)
            final = await stored_plan(pg_url, members[0].meeting_id)
            for client in clients:
                await client.wait_for(lambda c=client: schema.extract(c.doc) == final, 20)
                await client.close()
        finally:
            if proxy.returncode is None:
                proxy.terminate()
            await proxy.wait()
