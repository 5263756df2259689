"""Floods and slow readers: the server slows down or closes them; honest clients carry on."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
import websockets
from pycrdt import Doc, Text

from server.crdt import protocol
from server.live.uvicorn_protocol import RoomSocketProtocol
from server.settings import Settings
from tests.conftest import Family, LiveServer, make_family, sign_in
from tests.test_server import add_goal, connect, goals
from tests.yclient import YClient


@pytest.fixture
async def strict_server(settings: Settings) -> AsyncIterator[LiveServer]:
    tight = replace(settings, rate_messages=100.0, send_queue_bytes=256 * 1024)
    live = await LiveServer(tight).start()
    yield live
    await live.stop()


async def test_a_flooding_client_is_slowed_down_and_others_are_not(
    strict_server: LiveServer,
) -> None:
    server = strict_server
    family = await make_family(server.settings)
    flooder = await connect(server, await sign_in(server.http, family, "Daan Bakker"))
    alice = await connect(server, await sign_in(server.http, family, "Sanne Bakker"))
    bob = await connect(server, await sign_in(server.http, family, "Mark Bakker"))
    text = flooder.doc.get("vision", type=Text)
    messages = 600
    started = time.perf_counter()

    async def flood() -> None:
        for i in range(messages):
            text.insert(len(text), str(i % 10))  # one update message each, sent at once
            if i % 50 == 0:
                await asyncio.sleep(0)  # let the sends go out; the flood is still ~1,000+/s

    flooding = asyncio.create_task(flood())
    latencies = []
    for i in range(10):
        t0 = time.perf_counter()
        add_goal(alice, f"honest{i}", f"Eerlijk {i}")
        await bob.wait_for(lambda i=i: any(g["id"] == f"honest{i}" for g in goals(bob)))
        latencies.append(time.perf_counter() - t0)
    await flooding
    await flooder.wait_for(lambda: flooder.saved >= messages + 1, timeout=30)
    elapsed = time.perf_counter() - started
    burst = 2 * 100.0
    assert elapsed >= (messages - burst) / 100.0 * 0.8  # the flood was held to the budget
    assert max(latencies) < 0.5, latencies  # while honest edits kept flowing
    for client in (flooder, alice, bob):
        await client.close()


async def test_a_flood_that_waits_in_the_server_stops_its_socket_being_read(
    strict_server: LiveServer,
) -> None:
    """The server reads ahead a few messages, not without end: once ``READ_AHEAD`` wait for
    the (throttled) room, it stops reading that socket and TCP holds the rest."""
    server = strict_server
    family = await make_family(server.settings)
    flooder = await connect(server, await sign_in(server.http, family, "Daan Bakker"))
    assert server.server is not None
    (socket_protocol,) = [
        p for p in server.server.server_state.connections if isinstance(p, RoomSocketProtocol)
    ]
    doc = Doc()
    doc.get("vision", type=Text).insert(0, "x" * 1000)
    update = protocol.sync_update(doc.get_update())  # the same update again and again
    flood_size = 20_000  # 20 MB: more than the socket buffers between us hold

    async def flood() -> None:
        for _ in range(flood_size):
            await flooder.send(update)

    flooding = asyncio.create_task(flood())
    waiting, paused = 0, False
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and not flooding.done():
        waiting = max(waiting, socket_protocol.queue.qsize())
        paused = paused or socket_protocol.read_paused
        await asyncio.sleep(0.01)
    assert not flooding.done()  # TCP holds the flooder: the server does not take it all in
    assert paused
    assert waiting < flood_size // 4, waiting  # at most what one read brought, not the flood
    flooding.cancel()
    await flooder.drop()  # a closing handshake would queue behind the flood


async def test_a_client_that_stops_reading_is_closed_and_memory_stays_bounded(
    strict_server: LiveServer,
) -> None:
    server = strict_server
    family = await make_family(server.settings)
    slow = await sign_in(server.http, family, "Oma Ria")
    sock = socket.create_connection(("127.0.0.1", server.settings.port))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    lazy = await websockets.connect(
        slow.ws_url(server.ws),
        sock=sock,
        max_queue=1,
        additional_headers={"Cookie": slow.cookie},
    )
    await lazy.send(protocol.sync_step1(Doc()))  # joins, then never reads again
    writer = await connect(server, await sign_in(server.http, family, "Lotte Smit"))
    reader = await connect(server, await sign_in(server.http, family, "Mark Bakker"))
    room = server.rooms.rooms[family.meeting_id]
    lazy_peer = next(p for p in room.peers if p.identity.name == "Oma Ria")
    big = "x" * 20_000  # the most the minutes take (issue 14): typed, then wiped, again and again
    minutes = writer.doc.get("minutes", type=Text)
    for _ in range(400):  # 8 MB: more than the kernel buffers plus our 256 KiB budget
        minutes.insert(0, big)
        await writer.wait_saved()
        del minutes[0 : len(minutes)]
        await writer.wait_saved()
        assert lazy_peer.queued <= 256 * 1024
        if lazy_peer.closed.is_set():
            break
    assert lazy_peer.closed.is_set()  # closed as too slow, never more than the budget queued
    add_goal(writer, "after-flood", "Na de vloed")
    last = next(g["id"] for g in reversed(goals(writer)))
    await reader.wait_for(lambda: any(g["id"] == last for g in goals(reader)), timeout=20)
    for client in (writer, reader):
        await client.close()
    lazy.transport.abort()


async def test_honest_typing_is_never_throttled(server: LiveServer, family: Family) -> None:
    client: YClient = await connect(server, await sign_in(server.http, family, "Sanne Bakker"))
    text = client.doc.get("vision", type=Text)
    for i in range(100):  # fast typing: 100 keystrokes as quick as the client can send
        text.insert(0, "a")
        if i % 10 == 0:
            await asyncio.sleep(0)
    await client.wait_saved(timeout=5)
    room = server.rooms.rooms[family.meeting_id]
    assert room.seq >= 100
    await client.close()


async def test_one_session_opens_at_most_five_sockets(server: LiveServer, family: Family) -> None:
    """300 sockets from one network member's session were accepted, each relaying presence to
    everyone: now the sixth is closed (4429, a stock client stops reconnecting) and audited."""
    from server.connections import MAX_SOCKETS

    oma = await sign_in(server.http, family, "Oma Ria")
    open_ = [await connect(server, oma) for _ in range(MAX_SOCKETS)]
    extra = await YClient(oma.ws_url(server.ws), oma.cookie).connect(wait_synced=False)
    await extra.wait_for(lambda: extra.close_code is not None)
    assert extra.close_code == 4429 and extra.frames == []
    for client in open_:  # the first five carry on
        assert client.close_code is None
        await client.close()
