"""Who may write what, tried with the stock Node Yjs client (web/node_modules/yjs): for every
role at the table and every part of the document its ops can reach, an allowed write is saved
and a forbidden one is refused whole (4422), as the rights table in server/crdt/rights.py says."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from pycrdt import Text

from server.crdt import rights
from server.crdt.close_codes import CloseCode
from server.crdt.schema import Role
from tests.conftest import Family, LiveServer, Member, sign_in
from tests.test_interop import run_node
from tests.test_server import connect

PEOPLE = {
    Role.COORDINATOR: "Lotte Smit",
    Role.FAMILY: "Sanne Bakker",
    Role.NETWORK: "Oma Ria",
    Role.PROFESSIONAL: "Esther de Wit",
}


def writes(role: Role) -> list[tuple[str, dict[str, Any], bool]]:
    """(what, the Node op, whether the table allows it) for one role."""
    out: list[tuple[str, dict[str, Any], bool]] = []
    for name, spec in rights.ROOT_TEXTS.items():
        allowed = role in spec.writers or role in spec.appenders  # appending is inserting
        out.append((name, {"op": "insert_text", "field": name, "text": "Erbij. "}, allowed))
    goals, actions = rights.LIST_RULES["goals"], rights.LIST_RULES["actions"]
    new_goal = {"op": "add_goal", "id": f"doel-{role}", "text": "Een doel", "domain": None}
    out.append(("add a goal", new_goal, role in goals.adders))
    new_action = {"op": "add_action", "id": f"actie-{role}", "text": "Een actie"}
    out.append(("add an action", new_action, role in actions.adders))
    owner = {"op": "set_owner", "action_id": "actie-post", "owner_id": None}
    out.append(("an action's owner", owner, role in actions.fields["owner_id"].writers))
    return out


async def tries(server: LiveServer, member: Member, role: Role, tmp: Path) -> list[str]:
    """Every write of the role, one Node client each; the mismatches with the table."""
    wrong = []
    for what, op, allowed in writes(role):
        code, result = await run_node(server, member, tmp, ops=[op], saved=True)
        refused = result.get("closed") == CloseCode.UPDATE_REFUSED
        if allowed and (code != 0 or "closed" in result):
            wrong.append(f"{role} {what}: allowed, but {result.get('closed') or result}")
        elif not allowed and not refused:
            wrong.append(f"{role} {what}: forbidden, but not refused ({code})")
    return wrong


async def test_each_role_writes_what_the_table_allows_and_nothing_else(
    server: LiveServer, family: Family, tmp_path: Path
) -> None:
    members = {role: await sign_in(server.http, family, name) for role, name in PEOPLE.items()}
    found = await asyncio.gather(
        *(tries(server, member, role, tmp_path) for role, member in members.items())
    )
    assert [w for wrong in found for w in wrong] == []
    # and the forbidden tries left no trace: the minutes hold only the coordinator's words
    reader = await connect(server, members[Role.COORDINATOR])
    assert str(reader.doc.get("minutes", type=Text)) == "Erbij. "
    await reader.close()
