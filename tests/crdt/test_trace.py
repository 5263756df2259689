"""The trace the server stamps (issue 17): who wrote an item, who changed it last, who removed
it or lifted a decision — from the session, in the same update, whatever the client claimed."""

from __future__ import annotations

from pycrdt import Array, Doc, Map, Text

from server.crdt import schema
from server.crdt.manager import RoomManager
from tests.crdt.test_gate import Edit, item_field, meta, outcome, send_edit, text


async def plan_after(rooms: RoomManager, role: str, edit: Edit, name: str) -> schema.Plan:
    session = await send_edit(rooms, role, edit, name)
    assert session.channel.closed is None and session.room is not None
    plan = schema.extract(session.room.doc)
    await session.__aexit__()
    return plan


async def test_who_changed_an_item_is_stamped_for_its_words(manager: RoomManager) -> None:
    words: Edit = lambda doc: doc.get("goals", type=Array)[0]["text"].insert(0, "Echt: ")  # noqa: E731
    plan = await plan_after(manager, "coordinator", words, "lotte")
    assert plan["goals"][0]["changed_by"] == "lotte"
    assert plan["goals"][0]["author_id"] == "p1"  # the author stays who it was
    # scoring a goal or giving the professionals' view beside it is not changing the goal
    plan = await plan_after(manager, "family", item_field("goals", "score", 6), "daan")
    view: Edit = lambda doc: doc.get("goals", type=Array)[0]["professional_view"].insert(0, "Ja")  # noqa: E731
    plan = await plan_after(manager, "professional", view, "esther")
    assert plan["goals"][0]["changed_by"] == "lotte"
    plan = await plan_after(manager, "family", item_field("goals", "domain", "onderwijs"), "daan")
    assert plan["goals"][0]["changed_by"] == "daan"


async def test_a_removal_names_who_removed_and_keeps_the_item(manager: RoomManager) -> None:
    remove = item_field("goals", "removed_at", "2026-12-02")
    plan = await plan_after(manager, "family", remove, "daan")
    assert plan["goals"] == []
    (removed,) = plan["removed"]
    assert (removed["list"], removed["id"], removed["text"]) == ("goals", "g1", "Naar school")
    assert removed["removed_by"] == "daan" and removed["removed_at"] == "2026-12-02"


async def test_lifting_a_decision_names_who_lifted_it(manager: RoomManager) -> None:
    lift = item_field("decisions", "lifted_at", "2026-12-02")
    plan = await plan_after(manager, "professional", lift, "esther")
    assert plan["decisions"][0]["lifted_by"] == "esther"


async def test_a_new_action_gets_its_author_from_the_session(manager: RoomManager) -> None:
    def add(doc: Doc) -> None:
        doc.get("actions", type=Array).append(
            Map({"id": "a-new", "text": Text("Bellen"), "author_id": "iemand", "status": "open"})
        )

    plan = await plan_after(manager, "network", add, "oma")
    action = plan["actions"][-1]
    assert (action["author_id"], action["author_role"]) == ("oma", "network")


async def test_an_item_created_removed_names_its_creator(manager: RoomManager) -> None:
    def add(doc: Doc) -> None:
        doc.get("decisions", type=Array).append(
            Map({"id": "d-new", "text": Text("x"), "removed_at": "2026-12-02"})
        )

    plan = await plan_after(manager, "coordinator", add, "lotte")
    assert plan["removed"][-1]["removed_by"] == "lotte"
    assert await outcome(manager, "professional", add, "esther") == "refused"


async def test_who_changed_each_part_of_the_plan_is_stamped(manager: RoomManager) -> None:
    """Vision, strengths, concerns, minutes, contacts, the next meeting, attendance: everyone
    who changed the part in this meeting, from the session, whatever the client claimed."""
    await plan_after(manager, "family", text("vision", "Samen "), "daan")
    await plan_after(manager, "coordinator", text("vision", "Echt "), "lotte")
    await plan_after(manager, "professional", text("concerns", " En ook dit."), "esther")
    await plan_after(manager, "coordinator", text("minutes", "Kort. "), "lotte")
    await plan_after(manager, "coordinator", meta("next_meeting", "2027-02-01"), "lotte")
    await plan_after(manager, "coordinator", meta("agenda_step", 2), "lotte2")  # not a part
    contact: Edit = lambda doc: doc.get("contacts", type=Map).update({"financien": "p1"})  # noqa: E731
    await plan_after(manager, "coordinator", contact, "lotte")
    mark: Edit = lambda doc: doc.get("attendance", type=Map).update({"p1": "at_table"})  # noqa: E731
    plan = await plan_after(manager, "coordinator", mark, "lotte")
    assert plan["changed_by"] == {
        "vision": ["daan", "lotte"],
        "concerns": ["esther"],
        "minutes": ["lotte"],
        "contacts": ["lotte"],
        "next_meeting": ["lotte"],
        "attendance": ["lotte"],
    }


async def test_nobody_writes_who_changed_a_part_but_the_server(manager: RoomManager) -> None:
    claim: Edit = lambda doc: doc.get("changed_by", type=Map).update({"vision:oma": True})  # noqa: E731
    assert await outcome(manager, "coordinator", claim, "lotte") == "refused"
