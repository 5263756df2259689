"""Frames written directly to the socket are what a websocket client reads."""

from __future__ import annotations

import pytest
from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.protocol import State
from websockets.uri import parse_uri

from server.crdt import protocol
from server.crdt.protocol import AwarenessEntry
from server.crdt.room import Peer
from server.limits import Throttle
from server.live.endpoint import SocketTransport, _echo_filter
from server.live.uvicorn_protocol import binary_frame
from tests.conftest import Family, LiveServer, sign_in
from tests.test_server import connect


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65_535, 65_536, 300_000])
def test_a_direct_frame_parses_as_one_binary_message(size: int) -> None:
    payload = bytes(i % 251 for i in range(size))
    client = ClientProtocol(parse_uri("ws://localhost/"), state=State.OPEN, max_size=None)
    client.receive_data(binary_frame(payload))
    events = client.events_received()
    assert len(events) == 1
    frame = events[0]
    assert isinstance(frame, Frame)
    assert (frame.opcode, frame.fin, bytes(frame.data)) == (Opcode.BINARY, True, payload)


async def test_the_live_server_offers_the_direct_path(server: LiveServer, family: Family) -> None:
    client = await connect(server, await sign_in(server.http, family, "Sanne Bakker"))
    room = server.rooms.rooms[family.meeting_id]
    (peer,) = room.peers
    assert isinstance(peer.transport, SocketTransport)
    assert peer.transport.write_now(protocol.sync_update(b"\x00\x00")) is True
    await client.close()


def presence_frame(client_id: int, clock: int) -> bytes:
    return protocol.encode_awareness([AwarenessEntry(client_id, clock, '{"cursor":null}')])


async def test_a_stale_presence_echo_is_dropped_as_the_socket_reads_it(
    server: LiveServer, family: Family
) -> None:
    a = await connect(server, await sign_in(server.http, family, "Sanne Bakker"))
    b = await connect(server, await sign_in(server.http, family, "Lotte Smit"))
    room = server.rooms.rooms[family.meeting_id]
    received: list[bytes] = []
    receive = room.receive

    async def recording(peer: Peer, frame: bytes) -> None:
        received.append(bytes(frame))
        await receive(peer, frame)

    room.receive = recording
    fresh = presence_frame(77, 1)
    await a.send(fresh)
    await b.wait_for(lambda: 77 in b.present())
    await b.send(fresh)  # what a stock client sends back: the room has it already
    newer = presence_frame(77, 2)
    await a.send(newer)  # a newer clock is not stale: it takes the normal path
    await b.wait_for(lambda: b.awareness[77][0] == 2)
    assert received == [fresh, newer]
    await a.close()
    await b.close()


class FakeRoom:
    def __init__(self, stale: bool):
        self.stale = stale

    def stale_echo(self, frame: bytes) -> bool:
        return self.stale


class FakePeer:
    last_received = 0.0


def test_the_echo_filter_charges_the_rate_limit_and_passes_frames_over_budget() -> None:
    peer, throttle = FakePeer(), Throttle(messages_per_second=1, bytes_per_second=10_000)
    skip = _echo_filter(FakeRoom(stale=True), peer, throttle)  # type: ignore[arg-type]
    frame = presence_frame(1, 1)
    assert [skip(frame) for _ in range(3)] == [True, True, False]  # a burst of two, then over
    assert peer.last_received > 0  # a dropped echo still shows the socket is alive
    fresh = _echo_filter(FakeRoom(stale=False), FakePeer(), throttle)  # type: ignore[arg-type]
    charged = throttle.messages.tokens
    assert fresh(frame) is False
    assert throttle.messages.tokens == charged  # frames the app reads are charged there
