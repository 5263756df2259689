"""A session closed for what it sent waits before it connects again (``limits.CoolDown``):
a client that reconnects at once and resends the refused update (y-websocket before 3, or any
version after a 1007) no longer costs the meeting a room rebuild ten times a second."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from pycrdt import Map, Text
from websockets.exceptions import InvalidStatus

from server.crdt.close_codes import CloseCode
from server.limits import CoolDown
from server.services import Services
from server.settings import Settings
from tests.conftest import Family, LiveServer, sign_in
from tests.test_server import connect


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_pause_doubles_to_a_minute_and_starts_over_after_a_clear_minute() -> None:
    clock = Clock()
    pause = CoolDown(clock=clock)
    pause.closed("s", CloseCode.UPDATE_REFUSED)
    assert pause.waits("s") == 1.0 and pause.waits("other") == 0.0
    waits = []
    for _ in range(8):
        clock.now += pause.waits("s")
        pause.closed("s", CloseCode.INVALID)
        waits.append(pause.waits("s"))
    assert waits == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]
    clock.now += 60.0 + 60.0 + 0.5  # its pause, then a clear minute
    pause.closed("s", CloseCode.TOO_BIG)
    assert pause.waits("s") == 1.0


@pytest.mark.parametrize("code", [CloseCode.NORMAL, CloseCode.IDLE, CloseCode.REMOVED])
def test_only_a_close_for_what_was_sent_makes_a_session_wait(code: int) -> None:
    pause = CoolDown()
    pause.closed("s", code)
    assert pause.waits("s") == 0.0


def test_it_remembers_a_bounded_number_of_sessions() -> None:
    pause = CoolDown(sessions=3)
    for name in "abcd":
        pause.closed(name, CloseCode.UPDATE_REFUSED)
    assert pause.waits("a") == 0.0 and all(pause.waits(name) > 0 for name in "bcd")


async def test_a_refused_writer_connects_again_only_after_its_pause(
    server: LiveServer, family: Family
) -> None:
    services: Services = server.app.state.services
    clock = Clock()
    clock.now = time.monotonic()
    services.cool_down.clock = clock
    member = await sign_in(server.http, family, "Sanne Bakker")
    client = await connect(server, member)
    client.doc.get("meta", type=Map)["status"] = "closed"  # not hers to write
    await client.wait_for(lambda: client.close_code is not None)
    assert client.close_code == CloseCode.UPDATE_REFUSED
    with pytest.raises(InvalidStatus):  # at once, as y-websocket 2 would: refused at the door
        await client.reconnect()
    clock.now += 1.01
    honest = await connect(server, member)  # after the pause (a fresh doc: nothing refused)
    honest.doc.get("vision", type=Text).insert(0, "Weer binnen. ")
    await honest.wait_saved()
    assert honest.close_code is None
    await honest.close()


async def test_a_client_that_resends_what_was_refused_reaches_the_room_a_few_times_only(
    server: LiveServer, family: Family
) -> None:
    member = await sign_in(server.http, family, "Sanne Bakker")
    client = await connect(server, member)
    client.doc.get("meta", type=Map)["status"] = "closed"
    await client.wait_for(lambda: client.close_code is not None)
    reached, refused_at_door = 1, 0
    deadline = time.monotonic() + 2.5
    while time.monotonic() < deadline:  # reconnect at once, every time: the worst client
        try:
            await client.reconnect(timeout=5.0)
        except InvalidStatus:
            refused_at_door += 1
            continue
        reached += 1
        await client.wait_for(lambda: client.close_code is not None)
        assert client.close_code == CloseCode.UPDATE_REFUSED
    print(
        f"\nin 2.5 s: {reached} connections reached the room, {refused_at_door} refused at the door"
    )
    assert reached <= 3 and refused_at_door > 0  # t = 0, 1 s, 3 s
    await client.close()


async def test_the_first_pause_is_a_setting_and_zero_means_none(settings: Settings) -> None:
    """An operator (or a fuzzing run, tests/reliability/fuzz.py) sets the first pause; 0 lets
    a session back in at once."""
    assert Settings.from_env({}).cool_down_seconds == 1.0
    zero = Settings.from_env({"RONDETAFEL_COOL_DOWN_SECONDS": "0"}).cool_down_seconds
    live = await LiveServer(replace(settings, cool_down_seconds=zero)).start()
    try:
        pause: CoolDown = live.app.state.services.cool_down
        for _ in range(3):
            pause.closed("s", CloseCode.INVALID)
        assert pause.waits("s") == 0.0
    finally:
        await live.stop()
