"""Real uvicorn on loopback, Python y-websocket clients: convergence, durability, presence."""

from __future__ import annotations

import sqlite3
from typing import Any

from pycrdt import Array, Map, Text

from server.crdt import schema
from tests.conftest import Family, LiveServer, Member, sign_in
from tests.yclient import YClient


async def connect(server: LiveServer, member: Member, **kw: Any) -> YClient:
    return await YClient(member.ws_url(server.ws), member.cookie).connect(**kw)


def goals(client: YClient) -> list[dict[str, Any]]:
    return schema.extract(client.doc)["goals"]


def add_goal(client: YClient, goal_id: str, text: str, author: str = "p") -> None:
    client.doc.get("goals", type=Array).append(
        Map(
            {
                "id": goal_id,
                "text": Text(text),
                "domain": "onderwijs",
                "author_id": author,
                "author_role": "family",
                "score": None,
                "professional_view": Text(""),
            }
        )
    )


def add_action(client: YClient, action_id: str, goal_id: str, text: str, owner: str) -> None:
    client.doc.get("actions", type=Array).append(
        Map(
            {
                "id": action_id,
                "goal_id": goal_id,
                "text": Text(text),
                "owner_id": owner,
                "due": None,
                "status": "open",
                "evaluation": Text(""),
                "carried_from": None,
            }
        )
    )


def find(client: YClient, kind: str, item_id: str) -> Map:
    return next(m for m in client.doc.get(kind, type=Array) if m.get("id") == item_id)


def stored_rows(server: LiveServer, meeting_id: str) -> list[bytes]:
    path = server.settings.sqlite_path()
    with sqlite3.connect(path) as db:
        snap = db.execute(
            "select data from document_snapshots where meeting_id=?", (meeting_id,)
        ).fetchall()
        rows = db.execute(
            "select data from document_updates where meeting_id=? order by id", (meeting_id,)
        ).fetchall()
    return [r[0] for r in snap + rows]


def stored_plan(server: LiveServer, meeting_id: str) -> dict[str, Any]:
    from pycrdt import Doc

    from server.crdt.store import squash

    doc = Doc()
    doc.apply_update(squash(stored_rows(server, meeting_id)))
    return schema.extract(doc)


async def test_joiner_gets_the_seeded_plan(server: LiveServer, family: Family) -> None:
    mother = await sign_in(server.http, family, "Sanne Bakker")
    client = await connect(server, mother)
    plan = schema.extract(client.doc)
    assert [g["id"] for g in plan["goals"]] == ["doel-school", "doel-geld"]
    # the action that was done last time is not carried; the open ones are, from version 1
    assert {a["id"]: a["carried_from"] for a in plan["actions"]} == {
        "actie-post": 1,
        "actie-gesprek": 1,
    }
    assert len(plan["people"]) == 8
    await client.close()


async def test_two_clients_converge_on_goals_actions_owners(
    server: LiveServer, family: Family
) -> None:
    a = await connect(server, await sign_in(server.http, family, "Sanne Bakker"))
    b = await connect(server, await sign_in(server.http, family, "Lotte Smit"))
    add_goal(a, "g-a", "Daan slaapt op tijd 😴")
    add_goal(b, "g-b", "Zoë helpt mee met geëvalueerde plannen")
    add_action(b, "a-b", "g-a", "Wekker kopen", owner="oma")
    find(a, "actions", "actie-post")["owner_id"] = "fatima"
    find(b, "actions", "actie-post")["status"] = "partly"
    a.doc.get("vision", type=Text).insert(0, "Rust. ")
    b.doc.get("vision", type=Text).insert(0, "Samen. ")
    await a.wait_saved()
    await b.wait_saved()
    both = {"g-a", "g-b", "doel-school", "doel-geld"}
    for client in (a, b):
        await client.wait_for(
            lambda c=client: (
                {g["id"] for g in goals(c)} == both
                and any(x["id"] == "a-b" for x in schema.extract(c.doc)["actions"])
            )
        )
    await a.wait_for(lambda: schema.extract(a.doc) == schema.extract(b.doc))
    plan = schema.extract(a.doc)
    post = next(x for x in plan["actions"] if x["id"] == "actie-post")
    assert (post["owner_id"], post["status"]) == ("fatima", "partly")
    assert "Rust. " in plan["vision"] and "Samen. " in plan["vision"]
    assert stored_plan(server, family.meeting_id) == plan
    await a.close()
    await b.close()


async def test_edit_seen_by_another_client_is_in_the_database_file(
    server: LiveServer, family: Family
) -> None:
    a = await connect(server, await sign_in(server.http, family, "Sanne Bakker"))
    b = await connect(server, await sign_in(server.http, family, "Oma Ria"))
    for i in range(20):
        a.doc.get("strengths", type=Text).insert(0, f"{i},")
    await b.wait_for(lambda: "19," in str(b.doc.get("strengths", type=Text)))
    # b has seen the last edit: it must already be on disk, without waiting for anything else
    assert "19," in stored_plan(server, family.meeting_id)["strengths"]
    await a.close()
    await b.close()


async def test_late_joiner_gets_everything(server: LiveServer, family: Family) -> None:
    a = await connect(server, await sign_in(server.http, family, "Sanne Bakker"))
    for i in range(5):
        add_goal(a, f"g{i}", f"Doel {i}")
    await a.wait_saved()
    late = await connect(server, await sign_in(server.http, family, "Mark Bakker"))
    assert schema.extract(late.doc) == schema.extract(a.doc)
    await a.close()
    await late.close()


async def test_restart_on_the_same_database_keeps_every_document(
    server: LiveServer, family: Family
) -> None:
    mother = await sign_in(server.http, family, "Sanne Bakker")
    a = await connect(server, mother)
    add_goal(a, "g-keep", "Blijft bewaard")
    await a.wait_saved()
    before = schema.extract(a.doc)
    await a.close()
    await server.stop()
    again = await LiveServer(server.settings).start()
    try:
        b = await connect(again, mother)
        assert schema.extract(b.doc) == before
        await b.close()
    finally:
        await again.stop()


async def test_offline_client_merges_its_edits_when_back(
    server: LiveServer, family: Family
) -> None:
    tablet_member = await sign_in(server.http, family, "Daan Bakker")
    tablet = await connect(server, tablet_member)
    laptop = await connect(server, await sign_in(server.http, family, "Lotte Smit"))
    await tablet.close()  # Wi-Fi gone; the tablet keeps its doc and keeps typing
    offline = tablet.doc
    add_goal(laptop, "g-laptop", "Van de laptop")
    await laptop.wait_saved()
    offline_client = YClient(tablet_member.ws_url(server.ws), tablet_member.cookie)
    offline_client.doc = offline
    offline_client.doc.get("goals", type=Array).append(
        Map(
            {
                "id": "g-offline",
                "text": Text("Getypt zonder verbinding"),
                "domain": "vrije_tijd",
                "author_id": "daan",
                "author_role": "family",
                "score": 7,
                "professional_view": Text(""),
            }
        )
    )
    await offline_client.connect()  # its step 2 carries the offline goal
    await laptop.wait_for(lambda: any(g["id"] == "g-offline" for g in goals(laptop)))
    await offline_client.wait_for(lambda: any(g["id"] == "g-laptop" for g in goals(offline_client)))
    stamped = next(g["author_id"] for g in goals(laptop) if g["id"] == "g-offline")
    await offline_client.wait_for(  # the server stamps authorship from the session (issue 14)
        lambda: any(
            (g["id"], g["author_id"]) == ("g-offline", stamped) for g in goals(offline_client)
        )
    )
    assert schema.extract(offline_client.doc) == schema.extract(laptop.doc)
    await laptop.wait_for(
        lambda: stored_plan(server, family.meeting_id) == schema.extract(laptop.doc)
    )
    await offline_client.close()
    await laptop.close()


async def test_presence_appears_with_server_identity_and_disappears(
    server: LiveServer, family: Family
) -> None:
    a = await connect(server, await sign_in(server.http, family, "Sanne Bakker"))
    b = await connect(server, await sign_in(server.http, family, "Esther de Wit"))
    await b.set_awareness({"user": {"name": "De Koning", "role": "coordinator"}, "step": 2})
    await a.wait_for(lambda: b.client_id in a.present())
    user = a.present()[b.client_id]["user"]
    assert (user["name"], user["role"]) == ("Esther de Wit", "professional")  # not what b claimed
    await b.wait_for(lambda: b.client_id in b.present())  # echoed to the sender too
    await b.close()
    await a.wait_for(lambda: b.client_id not in a.present())
    await a.close()
