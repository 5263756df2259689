"""The offline tablet: cut off by a flaky link, typing on, while the server restarts; after it
reconnects its edits are merged exactly once and every client and the database agree."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from pycrdt import Text

from server.crdt import schema
from server.settings import Settings
from server.storage.db import migrate
from tests.conftest import make_family, sign_in
from tests.proxy import FlakyLink
from tests.reliability.crash import ids, stored
from tests.server_process import ServerProcess, free_port
from tests.test_server import add_action, add_goal
from tests.yclient import YClient


async def offline_tablet(
    tmp_path: Path, seed: int, offline_edits: int = 20, offline_seconds: float = 0.0
) -> list[str]:
    """Run the scenario once; returns a list of problems (empty when all is well)."""
    rnd = random.Random(seed)
    db_path = tmp_path / "offline.db"
    url = f"sqlite+aiosqlite:///{db_path}"
    await asyncio.to_thread(migrate, url)
    port = free_port()
    family = await make_family(Settings(database_url=url, demo=True, port=port))
    server = await ServerProcess(db_path, port).start()
    link = await FlakyLink(port, delay=rnd.uniform(0, 0.05)).start()
    mother = await sign_in(server.http, family, "Sanne Bakker")
    coordinator = await sign_in(server.http, family, "Lotte Smit")
    tablet_url = mother.ws_url(server.ws).replace(f":{port}/", f":{link.port}/")
    tablet = await YClient(tablet_url, mother.cookie).connect()
    laptop = await YClient(coordinator.ws_url(server.ws), coordinator.cookie).connect()
    problems: list[str] = []
    try:
        link.cut()  # the Wi-Fi is gone
        await tablet.wait_for(lambda: tablet.close_code is not None, timeout=10)
        vision = tablet.doc.get("vision", type=Text)
        for i in range(offline_edits):  # the tablet keeps working
            add_goal(tablet, f"off-{i}", f"Offline doel {i} – Zoë 🙂")
            add_action(tablet, f"off-a{i}", f"off-{i}", f"Offline actie {i}", owner="p-oma")
            vision.insert(rnd.choice((0, len(vision))), f"[{i}]")  # never inside a marker
            add_goal(laptop, f"lap-{i}", f"Laptop doel {i}")
        await laptop.wait_saved()
        await asyncio.sleep(offline_seconds)  # how long the tablet stays offline
        await server.terminate()  # the server restarts meanwhile
        await server.start()
        await laptop.reconnect()
        link.restore(delay=rnd.uniform(0, 0.1))
        await tablet.reconnect(timeout=20)
        await tablet.wait_saved(timeout=20)
        await laptop.wait_for(
            lambda: schema.extract(laptop.doc) == schema.extract(tablet.doc), timeout=20
        )
        plan = stored(db_path, mother.meeting_id)
        if plan != schema.extract(tablet.doc):
            problems.append("database and tablet differ")
        have = ids(plan)
        problems += [f"duplicated {i}" for i in set(have) if have.count(i) > 1]
        for i in range(offline_edits):
            for item in (f"off-{i}", f"off-a{i}", f"lap-{i}"):
                if item not in have:
                    problems.append(f"lost {item}")
            if str(plan["vision"]).count(f"[{i}]") != 1:
                problems.append(f"vision edit [{i}] not there exactly once")
    finally:
        await tablet.close()
        await laptop.close()
        await link.close()
        await server.terminate()
    return problems
