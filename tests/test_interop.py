"""The stock Yjs client (Node, yjs 13 + y-websocket's WebsocketProvider) beside a Python one."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from pycrdt import Text

from server.crdt import schema
from tests.conftest import ROOT, Family, LiveServer, Member, sign_in
from tests.test_server import add_goal, connect, goals

SCRIPT = ROOT / "tests" / "node" / "yclient.mjs"


async def run_node(
    server: LiveServer, member: Member, tmp_path: Path, **config: Any
) -> tuple[int, dict[str, Any]]:
    path = tmp_path / f"node-{member.session_id}.json"
    path.write_text(
        json.dumps(
            {
                "server": server.ws,
                "meeting": member.meeting_id,
                "session": member.session_id,
                "cookie": member.cookie,
                "timeout_ms": 10000,
                **config,
            }
        )
    )
    proc = await asyncio.create_subprocess_exec(
        "node",
        str(SCRIPT),
        str(path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert out, err.decode()
    return proc.returncode or 0, json.loads(out.decode().strip().splitlines()[-1])


async def test_stock_yjs_client_and_python_client_converge(
    server: LiveServer, family: Family, tmp_path: Path
) -> None:
    py = await connect(server, await sign_in(server.http, family, "Lotte Smit"))
    add_goal(py, "g-py", "Van Python: geëvalueerd 👍")
    await py.wait_saved()
    node_member = await sign_in(server.http, family, "Sanne Bakker")
    code, result = await run_node(
        server,
        node_member,
        tmp_path,
        saved=True,
        ops=[
            {
                "op": "add_goal",
                "id": "g-node",
                "text": "Van Node: Zoë’s doel 🎉",
                "domain": "onderwijs",
                "author_id": "sanne",
                "author_role": "family",
                "score": 6,
            },
            {
                "op": "add_action",
                "id": "a-node",
                "goal_id": "g-py",
                "text": "Oma belt school",
                "owner_id": "oma",
                "due": "2026-12-20",
            },
            {"op": "set_owner", "action_id": "actie-post", "owner_id": "fatima"},
            {"op": "insert_text", "field": "vision", "index": 0, "text": "Één plan. "},
            {"op": "set_awareness", "state": {"cursor": 1}},
        ],
        wait_for={"goal_ids": ["g-py", "g-node"]},
    )
    assert code == 0, result
    assert result["synced"] is True
    await py.wait_for(lambda: any(g["id"] == "g-node" for g in goals(py)))
    plan = schema.extract(py.doc)
    node_doc = result["doc_json"]
    assert [g["id"] for g in node_doc["goals"]] == [g["id"] for g in plan["goals"]]
    assert node_doc["vision"] == plan["vision"] and plan["vision"].startswith("Één plan. ")
    node_goal = next(g for g in plan["goals"] if g["id"] == "g-node")
    assert (node_goal["text"], node_goal["score"]) == ("Van Node: Zoë’s doel 🎉", 6)
    owners = {a["id"]: a["owner_id"] for a in plan["actions"]}
    assert owners["actie-post"] == "fatima" and owners["a-node"] == "oma"
    await py.close()


async def test_stock_client_without_a_session_is_told_4401(
    server: LiveServer, family: Family, tmp_path: Path
) -> None:
    member = await sign_in(server.http, family, "Sanne Bakker")
    member.cookie = "rt_nobody=invalid"
    code, result = await run_node(server, member, tmp_path, timeout_ms=5000)
    assert code == 3 and result["closed"] == 4401


async def test_a_stock_client_typing_as_it_reconnects_loses_nothing(
    server: LiveServer, family: Family, tmp_path: Path
) -> None:
    """y-websocket sends a keystroke the moment the socket reopens, before the offline edits
    it builds on (they follow in its sync step 2): the server holds it for them, acknowledges
    both, and relays the lot (it used to refuse the keystroke with 4422, and a y-websocket
    3 client stops for good on a 44xx: its offline edits never arrived)."""
    py = await connect(server, await sign_in(server.http, family, "Lotte Smit"))
    code, result = await run_node(
        server,
        await sign_in(server.http, family, "Sanne Bakker"),
        tmp_path,
        saved=True,
        reconnect={
            "offline": [{"op": "insert_text", "field": "vision", "index": 0, "text": "Offline. "}],
            "on_open": [
                {"op": "insert_text", "field": "vision", "index": 9, "text": "Weer online. "}
            ],
        },
    )
    assert code == 0, result
    assert result["closes"] == [] and result["acked"], result
    assert result["doc_json"]["vision"].startswith("Offline. Weer online. ")
    await py.wait_for(lambda: str(py.doc.get("vision", type=Text)).startswith("Offline. Weer"))
    await py.close()
