"""Issue 14's attacks against the real server, each by a participant who is simply allowed in.

After every attack: the server still runs, an honest client in another family's meeting keeps
editing, and the attacked meeting loads in a stock Node Yjs client with all its goals, closes
into a plan version and exports. Without the gate each of these fails (the server dies, the
meeting freezes, or the plan comes out rewritten)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from pycrdt import Array, Doc, Map, Text

from server.crdt import rights
from server.crdt.close_codes import CloseCode
from server.crdt.protocol import sync_update
from tests.conftest import Family, LiveServer, Member, make_family, sign_in
from tests.crdt.test_update_format import deep_any, vu
from tests.test_interop import run_node
from tests.test_lifecycle import close, get
from tests.test_server import connect, goals
from tests.yclient import YClient

SEEDED_GOALS = ("doel-school", "doel-geld")


def nested_maps(doc: Doc, depth: int) -> None:
    """A goal whose ``text`` is a Map in a Map … ``depth`` deep (Yrs integrates it level by
    level, so it applies; reading it whole recurses)."""
    items = doc.get("goals", type=Array)
    with doc.transaction():
        items.append(Map({"id": "bomb", "text": Map({})}))
        level = items[len(items) - 1]["text"]
        for _ in range(depth):
            level["a"] = Map({})
            level = level["a"]


def nested_lists(doc: Doc, depth: int) -> None:
    """A goal that is a JSON value nested ``depth`` arrays deep (above what Yjs 13 decodes)."""
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    doc.get("goals", type=Array).append(value)


def all_goals_away(doc: Doc) -> None:
    items = doc.get("goals", type=Array)
    del items[0 : len(items)]


def other_part_of_goals() -> bytes:
    doc = Doc()
    doc.get("goals", type=Map)["x"] = Map({"y": Map({})})
    return doc.get_update()


def everything_away(doc: Doc) -> None:
    """A network member empties the plan (the texts it may write, and what it may not)."""
    with doc.transaction():
        for name in ("goals", "actions"):
            items = doc.get(name, type=Array)
            del items[0 : len(items)]
        for name in ("vision", "strengths", "concerns", "minutes"):
            text = doc.get(name, type=Text)
            del text[0 : len(text)]


def raw(update: bytes) -> Callable[[Doc], bytes]:
    """An attack that is not an edit of the doc: these bytes go out as one sync update."""
    return lambda doc: update


# The two layers of the gate: the strict decoder refuses what must never reach pycrdt (1007),
# the schema and rights check what pycrdt applied (4422). Both close only the sender.
DECODER, GATE = CloseCode.INVALID, CloseCode.UPDATE_REFUSED

# name: (who attacks, what they write, which layer refuses it)
ATTACKS: dict[str, tuple[str, Callable[[Doc], Any], CloseCode]] = {
    "json nesting 60,000 deep (SIGSEGV)": ("Oma Ria", raw(deep_any(60_000)), DECODER),
    "400,000,000 clients in 5 bytes (0.5 GB reserved)": (
        "Fatima El Amrani",
        raw(vu(400_000_000) + b"\x00"),
        DECODER,
    ),
    "map nesting 1,500 deep (un-closable meeting)": (
        "Oma Ria",
        lambda d: nested_maps(d, 1_500),
        DECODER,
    ),
    "map nesting 30,000 deep (stored crash bomb)": (
        "Oma Ria",
        lambda d: nested_maps(d, 30_000),
        DECODER,
    ),
    "json nesting 5,000 deep (empty meeting in browsers)": (
        "Oma Ria",
        lambda d: nested_lists(d, 5_000),
        DECODER,
    ),
    "meta.status closed (frozen meeting)": (
        "Sanne Bakker",
        lambda d: d.get("meta", type=Map).__setitem__("status", "closed"),
        GATE,
    ),
    "non-numeric agenda step": (
        "Lotte Smit",
        lambda d: d.get("meta", type=Map).__setitem__("agenda_step", "drie"),
        GATE,
    ),
    "professional writes the minutes": (
        "Esther de Wit",
        lambda d: d.get("minutes", type=Text).insert(0, "Verslag van de school"),
        GATE,
    ),
    "network writes the professional view": (
        "Oma Ria",
        lambda d: d.get("goals", type=Array)[0]["professional_view"].insert(0, "Onzin"),
        GATE,
    ),
    "renaming the coordinator in people": (
        "Mark Bakker",
        lambda d: next(
            p for p in d.get("people", type=Map).values() if p["role"] == "coordinator"
        ).__setitem__("name", "Niemand"),
        GATE,
    ),
    "signing a goal as the coordinator": (
        "Oma Ria",
        lambda d: d.get("goals", type=Array)[0].__setitem__("author_role", "coordinator"),
        GATE,
    ),
    "deleting every goal": ("Oma Ria", all_goals_away, GATE),
    "deleting every goal, action and text": ("Fatima El Amrani", everything_away, GATE),
    "a 480 KB edit": (
        "Lotte Smit",
        lambda d: d.get("minutes", type=Text).insert(0, "x" * 480_000),
        DECODER,
    ),
    "a 100,000-character paste (under the decoder's string limit)": (
        "Lotte Smit",
        lambda d: d.get("minutes", type=Text).insert(0, "x" * 100_000),
        GATE,
    ),
    "the goals written as a map": (
        "Lotte Smit",
        lambda d: d.apply_update(other_part_of_goals()),
        GATE,
    ),
}
# pycrdt itself dies or stalls on these: only the decoder can stand in front of them
DECODER_ONLY = (
    "json nesting 60,000 deep (SIGSEGV)",
    "400,000,000 clients in 5 bytes (0.5 GB reserved)",
)


async def honest_edit_ms(client: YClient, word: str) -> float:
    start = time.perf_counter()
    client.doc.get("vision", type=Text).insert(0, word)
    await client.wait_saved()
    return (time.perf_counter() - start) * 1000


class Table:
    """Invite links work once: each person of the family signs in once per test."""

    def __init__(self, server: LiveServer, family: Family):
        self.server, self.family = server, family
        self.members: dict[str, Member] = {}

    async def member(self, name: str) -> Member:
        if name not in self.members:
            self.members[name] = await sign_in(self.server.http, self.family, name)
        return self.members[name]


async def still_whole(server: LiveServer, table: Table, tmp_path: Path) -> None:
    """The attacked meeting loads in stock Yjs with every goal, closes, and exports."""
    family = table.family
    node_member = await table.member("Fatima El Amrani")
    code, result = await run_node(
        server, node_member, tmp_path, wait_for={"goal_ids": list(SEEDED_GOALS)}
    )
    assert code == 0, result
    assert [g["id"] for g in result["doc_json"]["goals"]] == list(SEEDED_GOALS)
    coordinator = await table.member("Lotte Smit")
    response = await close(server, coordinator)
    assert response.status_code == 201, response.text
    assert [g["id"] for g in response.json()["plan"]["goals"]] == list(SEEDED_GOALS)
    exported = await get(server, coordinator, f"/families/{family.family_id}/export")
    assert exported.status_code == 200, exported.text


@pytest.mark.parametrize("name", list(ATTACKS))
async def test_an_attack_is_refused_and_everything_else_carries_on(
    server: LiveServer, family: Family, tmp_path: Path, name: str
) -> None:
    who, attack, layer = ATTACKS[name]
    other = await make_family(server.settings, "Familie Elders")
    honest = await connect(server, await sign_in(server.http, other, "Sanne Bakker"))
    before = await honest_edit_ms(honest, "voor ")
    table = Table(server, family)
    attacker = await connect(server, await table.member(who))
    frame = attack(attacker.doc)
    if frame is not None:
        await attacker.send(sync_update(frame))
    await attacker.wait_for(lambda: attacker.close_code is not None, timeout=30)
    assert attacker.close_code == layer
    async with httpx.AsyncClient(base_url=server.http) as http:
        assert (await http.get("/healthz")).status_code == 200
    after = await honest_edit_ms(honest, "na ")
    assert after < max(250.0, 20 * before), (before, after)
    tablet = await connect(server, await table.member("Daan Bakker"))
    tablet.doc.get("vision", type=Text).insert(0, "Nog steeds open. ")
    await tablet.wait_saved()  # the meeting takes writes: nothing froze it
    assert tablet.close_code is None
    await still_whole(server, table, tmp_path)
    for client in (honest, tablet):
        await client.close()


async def test_authorship_comes_from_the_session(server: LiveServer, family: Family) -> None:
    oma = await connect(server, await sign_in(server.http, family, "Oma Ria"))
    oma.doc.get("goals", type=Array).append(
        Map(
            {
                "id": "g-oma",
                "text": Text("Oma kookt op woensdag"),
                "domain": None,
                "author_id": "lotte",
                "author_role": "coordinator",
                "score": None,
                "professional_view": Text(""),
            }
        )
    )
    await oma.wait_saved()
    reader = await connect(server, await sign_in(server.http, family, "Sanne Bakker"))
    goal = next(g for g in goals(reader) if g["id"] == "g-oma")
    assert goal["author_role"] == "network" and goal["author_id"] not in ("lotte", "")
    await oma.wait_for(lambda: next(g for g in goals(oma) if g["id"] == "g-oma") == goal)
    for client in (oma, reader):
        await client.close()


def test_the_limits_are_the_issues() -> None:
    assert rights.LIST_RULES["goals"].fields["text"].limit == 500
    assert rights.ROOT_TEXTS["minutes"].limit == 20_000
    assert rights.LIST_RULES["goals"].max_items == 100
    assert rights.LIST_RULES["actions"].max_items == 300


async def test_a_closed_status_left_by_an_old_attack_is_undone(
    server: LiveServer, family: Family
) -> None:
    """Before the gate any writer could store ``meta.status = closed``; the meeting row says
    live, so the server sets the document back to live when someone connects."""
    from server.crdt import schema

    async with server.rooms.hold(family.meeting_id) as room:
        await room.wait_committed(room.change(schema.mark_closed))
    mother = await connect(server, await sign_in(server.http, family, "Sanne Bakker"))
    await mother.wait_for(lambda: mother.doc.get("meta", type=Map).get("status") == "live")
    mother.doc.get("vision", type=Text).insert(0, "Het overleg loopt. ")
    await mother.wait_saved()
    await mother.close()
