"""Who may write what (DESIGN.md, "Who may write what"), through the stock Yjs client.

For every part of the document, each role at the table makes the same edit from a stock Yjs 13
/ y-websocket client in Node (``tests/node/yclient.mjs``) against the real server: the writers
the table names get it saved (acknowledged), everyone else is refused whole (close 4422).
Those the table refuses edit at once (their refusals and rebuilds overlap), then those it
allows. The
expectations are written out here from the table, not read from ``server/crdt/rights.py``.

One meeting serves the whole module (a server and a family per case would take minutes):
edits that are allowed stay, so removals first get a spare item to remove."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from pycrdt import Array, Map, Text

from server.crdt.close_codes import CloseCode
from server.settings import Settings
from server.storage.db import migrate
from tests.conftest import Family, LiveServer, Member, make_family, sign_in, sqlite_url
from tests.test_interop import run_node
from tests.test_server import connect
from tests.yclient import YClient

pytestmark = pytest.mark.asyncio(loop_scope="module")

C, F, N, P = "coordinator", "family", "network", "professional"
EVERYONE = {C, F, N, P}
NAMES = {C: "Lotte Smit", F: "Sanne Bakker", N: "Oma Ria", P: "Esther de Wit"}


@dataclass
class Table:
    server: LiveServer
    family: Family
    members: dict[str, Member]
    coordinator: YClient  # a Python client of the coordinator: sets up spares, reads ids
    tmp: Path

    def person_id(self, role: str) -> str:
        """The person id of the one who plays ``role`` here (``NAMES``)."""
        people = self.coordinator.doc.get("people", type=Map)
        return next(pid for pid, p in people.items() if p["name"] == NAMES[role])


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def table(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Table]:
    tmp = tmp_path_factory.mktemp("rights")
    url = sqlite_url(tmp)
    await asyncio.to_thread(migrate, url)
    settings = Settings(database_url=url, demo=True, eviction_grace=5, compaction_threshold=50)
    server = await LiveServer(settings).start()
    # one session per role plays every case, refused or not, one after the other: the pause
    # after a refusal (tests/live/test_cool_down.py) would stand between the cases
    server.app.state.services.cool_down.first = 0.0
    try:
        family = await make_family(server.settings, "Familie Rechten")
        members = {role: await sign_in(server.http, family, NAMES[role]) for role in NAMES}
        coordinator = await connect(server, members[C])
        decisions = coordinator.doc.get("decisions", type=Array)
        decisions.append(
            Map(
                {
                    "id": "besluit-1",
                    "text": Text("Daan gaat naar de zomerschool"),
                    "reason": Text(""),
                    "options": Text(""),
                    "decided_by": None,
                }
            )
        )
        await coordinator.wait_saved()
        yield Table(server, family, members, coordinator, tmp)
        await coordinator.close()
    finally:
        await server.stop()


def insert(*path: Any, text: str = "Erbij. ") -> dict[str, Any]:
    return {"op": "insert", "path": list(path), "index": 0, "text": text}


def set_(key: str, value: Any, *path: Any) -> dict[str, Any]:
    return {"op": "set", "path": list(path), "key": key, "value": value}


def remove(root: str) -> dict[str, Any]:
    """Removing leaves a trace: the item stays, marked ``removed_at`` (the spare one)."""
    return set_("removed_at", "2026-12-02", root, -1)


def delete(root: str) -> dict[str, Any]:
    return {"op": "delete", "path": [root], "index": -1}


NEW_GOAL = {
    "op": "push",
    "path": ["goals"],
    "map": {"id": "doel-nieuw", "domain": None, "score": None},
    "texts": {"text": "Een nieuw doel", "professional_view": ""},
}
NEW_ACTION = {
    "op": "push",
    "path": ["actions"],
    "map": {"id": "actie-nieuw", "goal_id": None, "owner_id": None, "due": None},
    "texts": {"text": "Een nieuwe actie", "evaluation": ""},
}
NEW_DECISION = {
    "op": "push",
    "path": ["decisions"],
    "map": {"id": "besluit-nieuw"},
    "texts": {"text": "Een besluit", "reason": "", "options": ""},
}

# what: (the edit, who may make it); "people" and "contacts" take ids at run time
CASES: dict[str, tuple[Any, set[str]]] = {
    "vision": (insert("vision"), {F, N, C}),
    "strengths": (insert("strengths"), {F, N, C}),
    "concerns (adding)": (insert("concerns"), EVERYONE),
    "concerns (deleting)": ({"op": "delete", "path": ["concerns"], "index": 0}, {F, N, C}),
    "minutes": (insert("minutes"), {C}),
    "goal words": (insert("goals", 0, "text"), {F, C}),
    "goal domain": (set_("domain", "financien", "goals", 0), {F, C}),
    "goal score": (set_("score", 6, "goals", 0), {F, C}),
    "goal score out of range": (set_("score", 42, "goals", 0), set()),
    "goal professional view": (insert("goals", 0, "professional_view"), {P, C}),
    "goal author_id": (set_("author_id", "iemand", "goals", 0), set()),
    "goal author_role": (set_("author_role", C, "goals", 0), set()),
    "action words": (insert("actions", 0, "text"), EVERYONE),
    "action owner": (set_("owner_id", "iemand", "actions", 0), EVERYONE),
    "action due": (set_("due", "2027-01-15", "actions", 0), EVERYONE),
    "action status": (set_("status", "partly", "actions", 0), EVERYONE),
    "action evaluation": (insert("actions", 0, "evaluation"), EVERYONE),
    "action carried_from": (set_("carried_from", 7, "actions", 0), set()),
    "decision words": (insert("decisions", 0, "text"), {P, C}),
    "decision reason": (insert("decisions", 0, "reason"), {P, C}),
    "decision options": (insert("decisions", 0, "options"), {P, C}),
    "decided_by": (set_("decided_by", "iemand", "decisions", 0), set()),
    "next meeting": (set_("next_meeting", "2027-02-01", "meta"), {C}),
    "agenda step": (set_("agenda_step", 3, "meta"), {C}),
    "agenda step not a number": (set_("agenda_step", "drie", "meta"), set()),
    "title": (set_("title", "Tweede overleg", "meta"), {C}),
    "meta.status": (set_("status", "closed", "meta"), set()),
    "people": ("people", set()),
    "contacts": ("contacts", {C}),
    "adding a goal": (NEW_GOAL, EVERYONE),
    "adding an action": (NEW_ACTION, EVERYONE),
    "adding a decision": (NEW_DECISION, {P, C}),
    "removing a goal": (remove("goals"), {F, C}),
    "removing an action": (remove("actions"), {C}),
    "removing a decision": (remove("decisions"), {C}),
    "lifting a decision": (set_("lifted_at", "2026-12-02", "decisions", 0), {P, C}),
    "deleting a goal outright": (delete("goals"), set()),
    "deleting an action outright": (delete("actions"), set()),
    "deleting a decision outright": (delete("decisions"), set()),
    "goal changed_by": (set_("changed_by", "iemand", "goals", 0), set()),
    "goal removed_by": (set_("removed_by", "iemand", "goals", 0), set()),
    "decision lifted_by": (set_("lifted_by", "iemand", "decisions", 0), set()),
}


async def add_spare(table: Table, root: str) -> None:
    """Something for a removal to remove: the last item, added by the coordinator."""
    items = table.coordinator.doc.get(root, type=Array)
    spare = f"spare-{root}-{len(items)}"
    fields: dict[str, Any] = {
        "goals": {"text": Text("Reserve"), "professional_view": Text("")},
        "actions": {"text": Text("Reserve"), "evaluation": Text(""), "status": "open"},
        "decisions": {"text": Text("Reserve"), "reason": Text(""), "options": Text("")},
    }[root]
    items.append(Map({"id": spare, **fields}))
    await table.coordinator.wait_saved()


def edit_for(table: Table, what: str, edit: Any) -> dict[str, Any]:
    if edit == "people":
        return set_("name", "Niemand", "people", table.person_id(C))
    if edit == "contacts":
        return set_("onderwijs", table.person_id(P), "contacts")
    return dict(edit)


async def outcome(table: Table, role: str, op: dict[str, Any]) -> str:
    code, result = await run_node(
        table.server, table.members[role], table.tmp, saved=True, ops=[op]
    )
    if code == 0 and result.get("acked"):
        return "saved"
    if code == 3 and result.get("closed") == CloseCode.UPDATE_REFUSED:
        return "refused"
    return f"exit {code}: {result}"


@pytest.mark.parametrize("what", list(CASES))
async def test_each_role_may_write_what_the_table_says(table: Table, what: str) -> None:
    edit, writers = CASES[what]
    if what.startswith(("removing", "deleting")):
        await add_spare(table, edit["path"][0])
    op = edit_for(table, what, edit)
    # Those who may not write go first, all at once: an edit that loses to a concurrent one
    # (two set one key; two delete one character) changes nothing, so nothing refuses it.
    refused = sorted(set(NAMES) - writers)
    allowed = sorted(writers)
    results = [*await asyncio.gather(*(outcome(table, role, op) for role in refused))]
    results += await asyncio.gather(*(outcome(table, role, op) for role in allowed))
    expected = {role: "saved" if role in writers else "refused" for role in NAMES}
    assert dict(zip(refused + allowed, results, strict=True)) == expected


async def test_authorship_is_the_senders_whatever_the_stock_client_writes(
    table: Table,
) -> None:
    claim = {**NEW_GOAL, "map": {**NEW_GOAL["map"], "id": "doel-oma", "author_role": C}}
    claim["map"]["author_id"] = table.person_id(C)
    assert await outcome(table, N, claim) == "saved"
    goals = table.coordinator.doc.get("goals", type=Array)
    await table.coordinator.wait_for(
        lambda: any(g["id"] == "doel-oma" and g["author_role"] == N for g in goals)
    )
    goal = next(g for g in goals if g["id"] == "doel-oma")
    assert goal["author_id"] == table.person_id(N)
    # and as the author, the network member may now reword and score that goal
    reword = insert("goals", -1, "text", text="Oma: ")
    assert await outcome(table, N, reword) == "saved"
    assert await outcome(table, N, set_("score", 5, "goals", -1)) == "saved"
    assert await outcome(table, P, set_("score", 2, "goals", -1)) == "refused"
