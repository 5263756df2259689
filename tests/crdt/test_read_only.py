"""Whether a room takes writes is the server's decision (the meeting's row, closing, erasure),
never the document's ``meta.status``, which any writer could set."""

from __future__ import annotations

from pycrdt import Doc, Map, Text

from server.crdt import protocol, schema
from server.crdt.manager import RoomManager
from tests.memory import MemoryStore
from tests.test_room import MEETING, Session, decoded, typed


def closed_document() -> bytes:
    doc = Doc()
    schema.seed(doc, schema.empty_plan("Overleg"))
    doc.get("meta", type=Map)["status"] = schema.DocStatus.CLOSED.value
    return doc.get_update()


async def test_a_document_that_says_closed_does_not_freeze_a_live_meeting() -> None:
    store = MemoryStore()
    store.logs[MEETING] = [closed_document()]
    rooms = RoomManager(store, grace=0.05)
    await rooms.start()
    try:
        async with Session(rooms, "a", "family") as a:
            assert a.room is not None and not a.room.read_only
            _, update = typed("Nog steeds live")
            await a.send(protocol.sync_update(update))
            await a.channel.wait(lambda: ("saved", 1) in decoded(a.channel))
            assert str(a.room.doc.get("vision", type=Text)) == "Nog steeds live"
            await a.room.rebuild()  # the reload after a panic keeps taking writes too
            assert not a.room.read_only
    finally:
        await rooms.stop()
