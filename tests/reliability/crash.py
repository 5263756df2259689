"""Crash rounds: clients type while the server is SIGKILLed at a random moment, restarted on
the same database, and the clients reconnect.

Pass criterion per round, checked on the database file *before* anyone reconnects (a
reconnecting client would upload its copy again and hide a loss): every goal and action that
any client had received from another client is stored, SQLite's integrity check is ok, and no
goal or action is duplicated. A low compaction threshold makes kills land in the middle of
group commits and compactions."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from pycrdt import Array, Doc

from server.crdt import schema
from server.crdt.store import squash
from server.settings import Settings
from server.storage.db import migrate
from tests.conftest import make_family, sign_in
from tests.server_process import ServerProcess, free_port
from tests.test_server import add_action, add_goal
from tests.yclient import YClient


@dataclass
class CrashReport:
    rounds: int = 0
    checked_items: int = 0
    losses: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


def stored(db_path: Path, meeting_id: str) -> schema.Plan:
    with sqlite3.connect(db_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = db.execute(
            "select data from document_snapshots where meeting_id=? union all "
            "select data from (select data from document_updates where meeting_id=? order by id)",
            (meeting_id, meeting_id),
        ).fetchall()
    doc: Doc = Doc()
    doc.apply_update(squash([r[0] for r in rows]))
    return schema.extract(doc)


def ids(plan: schema.Plan) -> list[str]:
    return [g["id"] for g in plan["goals"]] + [a["id"] for a in plan["actions"]]


def seen_from_others(clients: list[YClient]) -> set[str]:
    """Ids each client holds that another client made (so they came through the server)."""
    seen: set[str] = set()
    for n, client in enumerate(clients):
        seen |= {
            i
            for i in ids(schema.extract(client.doc))
            if i.startswith("c") and not i.startswith(f"c{n}-")
        }
    return seen


async def type_randomly(
    client: YClient,
    n: int,
    round_: int,
    rnd: random.Random,
    rate: float,
    made: list[tuple[int, str]] | None = None,
) -> None:
    """About ``rate`` edits per second: goals, actions for goals, owners. ``made`` collects
    (message number, id) of each goal or action this client made."""
    people = ["p-oma", "p-fatima", "p-sanne", "p-esther"]
    for k in range(10_000):
        await asyncio.sleep(rnd.expovariate(rate))  # the typing rhythm itself
        plan = schema.extract(client.doc)
        roll = rnd.random()
        if roll < 0.4 or not plan["goals"]:
            add_goal(client, f"c{n}-r{round_}-g{k}", f"Doel {k} van {n}: geëvalueerd ✓")
            if made is not None:
                made.append((client.sent_updates, f"c{n}-r{round_}-g{k}"))
        elif roll < 0.75:
            goal = rnd.choice(plan["goals"])["id"]
            add_action(client, f"c{n}-r{round_}-a{k}", goal, f"Actie {k}", owner=rnd.choice(people))
        else:
            actions = client.doc.get("actions", type=Array)
            if len(actions):
                actions[rnd.randrange(len(actions))]["owner_id"] = rnd.choice(people)


async def crash_rounds(tmp_path: Path, rounds: int, seed: int, clients: int = 10) -> CrashReport:
    rnd = random.Random(seed)
    db_path = tmp_path / "crash.db"
    url = f"sqlite+aiosqlite:///{db_path}"
    await asyncio.to_thread(migrate, url)
    port = free_port()
    settings = Settings(database_url=url, demo=True, port=port)
    families = [await make_family(settings) for _ in range((clients + 7) // 8)]
    server = await ServerProcess(db_path, port, compaction_threshold="20").start()
    writers = [
        (f, name) for f in families for name, link in f.links.items() if link["role"] != "screen"
    ][:clients]
    members = [await sign_in(server.http, f, name) for f, name in writers]
    meeting = members[0].meeting_id
    typists = [await YClient(m.ws_url(server.ws), m.cookie).connect() for m in members]
    report = CrashReport()
    try:
        for round_ in range(rounds):
            typing = [
                asyncio.create_task(type_randomly(c, n, round_, rnd, rate=2.0))
                for n, c in enumerate(typists)
            ]
            await asyncio.sleep(rnd.uniform(0.3, 1.5))  # the random moment of the crash
            await server.kill()
            for task in typing:
                task.cancel()
            await asyncio.gather(*typing, return_exceptions=True)
            seen = seen_from_others(typists)
            plan = stored(db_path, meeting)
            have = ids(plan)
            report.losses += sorted(seen - set(have))
            report.duplicates += sorted({i for i in have if have.count(i) > 1})
            report.checked_items += len(seen)
            report.rounds += 1
            await server.start()
            for client in typists:
                await client.reconnect()
        for client in typists:
            await client.wait_saved(timeout=20)
        final = stored(db_path, meeting)
        for client in typists:
            await client.wait_for(lambda c=client: schema.extract(c.doc) == final, timeout=20)
    finally:
        for client in typists:
            await client.close()
        await server.terminate()
    return report


async def graceful_stop(tmp_path: Path, seed: int, clients: int = 10) -> tuple[float, list[str]]:
    """SIGTERM while clients type; returns (seconds to exit, ids that were lost).

    Lost means: seen by another client, or acknowledged as saved to its author, and yet not in
    the database after the process exited."""
    rnd = random.Random(seed)
    db_path = tmp_path / "stop.db"
    url = f"sqlite+aiosqlite:///{db_path}"
    await asyncio.to_thread(migrate, url)
    port = free_port()
    family = await make_family(Settings(database_url=url, demo=True, port=port))
    second = await make_family(Settings(database_url=url, demo=True, port=port))
    server = await ServerProcess(db_path, port).start()
    names = [
        (f, n) for f in (family, second) for n, link in f.links.items() if link["role"] != "screen"
    ][:clients]
    members = [await sign_in(server.http, f, n) for f, n in names]
    typists = [await YClient(m.ws_url(server.ws), m.cookie).connect() for m in members]
    made: list[list[tuple[int, str]]] = [[] for _ in typists]
    typing = [
        asyncio.create_task(type_randomly(c, n, 0, rnd, rate=20.0, made=made[n]))
        for n, c in enumerate(typists)
    ]
    await asyncio.sleep(1.0)  # under load
    seconds = await server.terminate(timeout=15)
    for task in typing:
        task.cancel()
    await asyncio.gather(*typing, return_exceptions=True)
    acked = {
        item
        for c, items in zip(typists, made, strict=True)
        for number, item in items
        if c.saved >= number + 1
    }
    must_have = seen_from_others(typists) | acked
    have = set(ids(stored(db_path, members[0].meeting_id)))
    for client in typists:
        await client.close()
    return seconds, sorted(must_have - have)
