"""A keystroke sent while its client reconnects, before the offline edits it builds on: held
for that connection (``server/crdt/held.py``), applied with them, never refused for it."""

from __future__ import annotations

import pytest
from pycrdt import Doc, Text

from server.crdt import held, protocol
from server.crdt.close_codes import CloseCode
from server.crdt.manager import RoomManager
from tests.memory import MemoryStore
from tests.test_room import MEETING, Session, decoded, updates


def reconnecting(store: MemoryStore) -> tuple[bytes, bytes]:
    """A client's offline edit and the keystroke typed on it as the socket reopened."""
    client = Doc()
    client.apply_update(store.logs[MEETING][0])
    concerns = client.get("concerns", type=Text)
    start = client.get_state()
    concerns.insert(len(concerns), " Offline getypt")
    offline = client.get_update(start)
    middle = client.get_state()
    concerns.insert(len(concerns), "!")
    return offline, client.get_update(middle)


def concerns_of(session: Session) -> str:
    assert session.room is not None
    return str(session.room.doc.get("concerns", type=Text))


async def test_a_keystroke_before_the_offline_edits_waits_for_them(
    manager: RoomManager,
) -> None:
    store = manager.store
    assert isinstance(store, MemoryStore)
    offline, keystroke = reconnecting(store)
    async with Session(manager, "sanne", "family") as sanne, Session(manager, "lotte") as other:
        await sanne.send(protocol.sync_update(keystroke))  # before its sync step 2
        assert sanne.channel.closed is None
        assert not any(m[0] == "saved" for m in decoded(sanne.channel) if isinstance(m, tuple))
        assert "!" not in concerns_of(sanne)
        seen = len(updates(other.channel))
        await sanne.send(protocol.sync_step2(offline))  # the answer to the server's step 1
        await sanne.channel.wait(lambda: ("saved", 2) in decoded(sanne.channel))
        assert concerns_of(sanne).endswith(" Offline getypt!")
        await other.channel.wait(lambda: len(updates(other.channel)) > seen)
        relayed = Doc()
        for update in updates(other.channel):
            relayed.apply_update(update)
        assert str(relayed.get("concerns", type=Text)).endswith(" Offline getypt!")
        assert sanne.channel.closed is None
    # durable: the room built afresh from the store has both
    async with Session(manager, "esther", "professional") as later:
        assert concerns_of(later).endswith(" Offline getypt!")


@pytest.mark.parametrize("bound", ["frames", "seconds"])
async def test_what_never_gets_what_it_builds_on_is_refused_in_the_end(
    manager: RoomManager,
    monkeypatch: pytest.MonkeyPatch,
    bound: str,
) -> None:
    store = manager.store
    assert isinstance(store, MemoryStore)
    _, keystroke = reconnecting(store)
    monkeypatch.setattr(
        held, "MAX_FRAMES" if bound == "frames" else "MAX_SECONDS", 2 if bound == "frames" else -1.0
    )
    async with Session(manager, "sanne", "family") as sanne:
        for _ in range(3):
            await sanne.send(protocol.sync_update(keystroke))
            if sanne.channel.closed is not None:
                break
        assert sanne.channel.closed is not None
        assert sanne.channel.closed[0] == CloseCode.UPDATE_REFUSED
        assert "!" not in concerns_of(sanne)
