"""Frames written directly to the socket are what a websocket client reads."""

from __future__ import annotations

import pytest
from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.protocol import State
from websockets.uri import parse_uri

from server.crdt import protocol
from server.socket_protocol import binary_frame
from server.ws import SocketTransport
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
