"""Closing a meeting into plan version N+1, and seeding the next meeting from it."""

from __future__ import annotations

import asyncio

import httpx
from pycrdt import Map, Text

from server import plans
from server.crdt import schema
from server.storage.db import create_engine, sessionmaker
from server.storage.models import Family as FamilyRow
from tests.conftest import Family, LiveServer, Member, sign_in
from tests.test_server import add_action, add_goal, connect, find, goals


async def close(server: LiveServer, member: Member) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.http) as client:
        return await client.post(
            f"/api/meetings/{member.meeting_id}/close?as={member.session_id}",
            headers={"Cookie": member.cookie, "Origin": server.http, "X-CSRF-Token": member.csrf},
        )


async def get(server: LiveServer, member: Member, path: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.http) as client:
        sep = "&" if "?" in path else "?"
        return await client.get(
            f"{path}{sep}as={member.session_id}", headers={"Cookie": member.cookie}
        )


async def test_closing_writes_exactly_what_was_typed_live(
    server: LiveServer, family: Family
) -> None:
    coordinator = await sign_in(server.http, family, "Lotte Smit")
    mother = await sign_in(server.http, family, "Sanne Bakker")
    lap = await connect(server, coordinator)
    tab = await connect(server, mother)
    add_goal(tab, "g-rust", "Rust in huis, ook in het weekend 🏠")
    add_action(lap, "a-buur", "g-rust", "Fatima past zaterdag op", owner="fatima")
    find(lap, "goals", "doel-school")["score"] = 6
    find(tab, "actions", "actie-post")["status"] = "partly"
    find(tab, "actions", "actie-post")["evaluation"].insert(0, "Half gedaan, geëvalueerd")
    lap.doc.get("minutes", type=Text).insert(0, "Verslag: iedereen was er.")
    await tab.wait_saved()
    await lap.wait_saved()
    await lap.wait_for(lambda: any(g["id"] == "g-rust" for g in goals(lap)))
    typed = schema.extract(lap.doc)

    response = await close(server, coordinator)
    assert response.status_code == 201, response.text
    version = response.json()
    assert version["number"] == 2
    # the version adds who took part with a device of their own: the two who typed
    attendance = version["plan"].pop("attendance")
    assert sorted(attendance.values()) == ["device", "device"] and typed.pop("attendance") == {}
    assert version["plan"] == typed
    # every connected client sees the meeting closed, and writes are refused from now on
    for client in (lap, tab):
        await client.wait_for(lambda c=client: c.doc.get("meta", type=Map)["status"] == "closed")
    add_goal(tab, "g-too-late", "Na het sluiten")
    fetched = await get(server, mother, f"/api/families/{family.family_id}/plan")
    assert fetched.json()["plan"] == {**typed, "attendance": attendance}
    late = await connect(server, await sign_in(server.http, family, "Oma Ria"))
    assert all(g["id"] != "g-too-late" for g in goals(late))
    again = await close(server, coordinator)
    assert again.status_code == 409
    for client in (lap, tab, late):
        await client.close()


async def test_only_the_coordinator_closes(server: LiveServer, family: Family) -> None:
    mother = await sign_in(server.http, family, "Sanne Bakker")
    response = await close(server, mother)
    assert response.status_code == 403
    screen = await sign_in(server.http, family, "Gedeeld scherm")
    assert (await close(server, screen)).status_code == 403


async def test_next_meeting_is_seeded_once_even_when_two_join_at_once(
    server: LiveServer, family: Family
) -> None:
    coordinator = await sign_in(server.http, family, "Lotte Smit")
    lap = await connect(server, coordinator)
    add_goal(lap, "g-new", "Nieuw doel")
    await lap.wait_saved()
    await lap.close()
    assert (await close(server, coordinator)).status_code == 201

    engine = create_engine(server.settings.database_url)
    async with sessionmaker(engine).begin() as db:
        row = await db.get(FamilyRow, family.family_id)
        assert row is not None
        meeting = await plans.start_meeting(db, row, "Derde overleg")
    await engine.dispose()
    links = await _fresh_links(server, family)
    members = [await sign_in(server.http, links, name) for name in ("Sanne Bakker", "Mark Bakker")]
    for m in members:
        m.meeting_id = meeting.id
    a, b = await asyncio.gather(*(connect(server, m) for m in members))
    for client in (a, b):
        ids = [g["id"] for g in goals(client)]
        assert sorted(ids) == sorted(set(ids)) == ["doel-geld", "doel-school", "g-new"]
    assert schema.extract(a.doc) == schema.extract(b.doc)
    await a.close()
    await b.close()


async def _fresh_links(server: LiveServer, family: Family) -> Family:
    from tests.conftest import make_family

    return await make_family(server.settings, "Familie Test")


async def test_versions_list_fetch_and_diff(server: LiveServer, family: Family) -> None:
    coordinator = await sign_in(server.http, family, "Lotte Smit")
    lap = await connect(server, coordinator)
    add_goal(lap, "g-new", "Nieuw doel")
    find(lap, "goals", "doel-geld")["score"] = 5
    await lap.wait_saved()
    await lap.close()
    assert (await close(server, coordinator)).status_code == 201
    base = f"/api/families/{family.family_id}/plan"
    listed = (await get(server, coordinator, f"{base}/versions")).json()["versions"]
    assert [v["number"] for v in listed] == [1, 2]
    one = (await get(server, coordinator, f"{base}/versions/1")).json()
    assert one["plan"]["goals"][1]["score"] == 3
    diff = (await get(server, coordinator, f"{base}/diff?from=1&to=2")).json()["diff"]
    assert [g["id"] for g in diff["goals"]["added"]] == ["g-new"]
    assert {
        "id": "doel-geld",
        "text": "We hebben overzicht over ons geld.",
        "from": 3,
        "to": 5,
    } in diff["scores"]
    assert [a["id"] for a in diff["actions"]["finished"]] == ["actie-wekker"]
    assert diff["actions"]["removed"] == []
    missing = await get(server, coordinator, f"{base}/versions/9")
    assert missing.status_code == 404
