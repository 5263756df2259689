"""Bad input closes only the connection that sent it; the room keeps serving the others."""

from __future__ import annotations

import asyncio

import pytest
import websockets
from pycrdt import Text
from sqlalchemy import select

from server.crdt.protocol import MessageType
from server.settings import Settings
from server.storage.db import create_engine
from server.storage.models import AuditEvent, Person
from tests.conftest import Family, LiveServer, sign_in
from tests.test_server import add_goal, connect, goals
from tests.yclient import YClient, var_uint

# Found by mutating real updates (1 in ~25,000): pycrdt raises pyo3's PanicException,
# a BaseException, on this update.
PANIC_UPDATE = bytes.fromhex("01016195d4baa298ee7100080161017c4040000000")

BAD_FRAMES = {
    "random bytes": (bytes([0, 2, 9, 0xFF, 0x13, 0x77, 0x01]), 1007),
    "truncated varint": (bytes([0, 2, 0x85]), 1007),
    "overlong varint": (bytes([0, 2]) + b"\xff" * 12, 1007),
    "length beyond frame": (bytes([0, 2]) + var_uint(4000) + b"abc", 1007),
    "trailing bytes": (bytes([0, 2, 2, 0, 0, 9, 9]), 1007),
    "unknown message type": (bytes([7, 0]), 1003),
    "unknown sync type": (bytes([0, 9, 0]), 1003),
    "garbage update": (bytes([0, 2, 5, 1, 2, 3, 4, 5]), 1007),
    "bad awareness json": (bytes([1]) + var_uint(6) + bytes([1, 5, 1, 2]) + b"{x", 1007),
    "pycrdt panic": (bytes([0, 2]) + var_uint(len(PANIC_UPDATE)) + PANIC_UPDATE, 1007),
}


async def refused_edit(settings: Settings, who: str, timeout: float = 5.0) -> str:
    """The detail of the refused-edit audit row of a connection (``who``: the person's name,
    or a role for one without a person, such as a screen), once written (it is written as
    the connection ends)."""
    engine = create_engine(settings.database_url)
    try:
        async with asyncio.timeout(timeout):
            while True:
                async with engine.connect() as conn:
                    detail = await conn.scalar(
                        select(AuditEvent.detail)
                        .outerjoin(Person, Person.id == AuditEvent.actor_id)
                        .where(
                            AuditEvent.action == "edit_batch",
                            AuditEvent.outcome == "refused",
                            (Person.name == who) | (AuditEvent.actor_role == who),
                        )
                    )
                if detail is not None:
                    return str(detail)
                await asyncio.sleep(0.05)  # polling the database for the row to appear
    finally:
        await engine.dispose()


def test_panic_update_really_panics() -> None:
    from pycrdt import Doc

    with pytest.raises(BaseException) as caught:
        Doc().apply_update(PANIC_UPDATE)
    assert not isinstance(caught.value, Exception)


@pytest.mark.parametrize("name", list(BAD_FRAMES))
async def test_bad_frame_closes_only_its_own_connection(
    server: LiveServer, family: Family, name: str
) -> None:
    frame, code = BAD_FRAMES[name]
    honest = await connect(server, await sign_in(server.http, family, "Sanne Bakker"))
    attacker = await connect(server, await sign_in(server.http, family, "Mark Bakker"))
    await attacker.send(frame)
    await attacker.wait_for(lambda: attacker.close_code is not None)
    assert attacker.close_code == code
    row = await refused_edit(server.settings, "Mark Bakker")
    assert row.startswith(f"closed {code} ") and "from 127.0.0.1" in row
    # the room still serves: a new edit reaches a newcomer and is stored
    add_goal(honest, "g-after", "Na de aanval")
    await honest.wait_saved()
    newcomer = await connect(server, await sign_in(server.http, family, "Oma Ria"))
    assert any(g["id"] == "g-after" for g in goals(newcomer))
    await honest.close()
    await newcomer.close()


async def test_text_frame_is_refused(server: LiveServer, family: Family) -> None:
    client = await connect(server, await sign_in(server.http, family, "Sanne Bakker"))
    await client.send("hallo")
    await client.wait_for(lambda: client.close_code is not None)
    assert client.close_code == 1003
    assert (await refused_edit(server.settings, "Sanne Bakker")).startswith("closed 1003 text")


async def test_oversized_frame_closes_the_connection(server: LiveServer, family: Family) -> None:
    honest = await connect(server, await sign_in(server.http, family, "Sanne Bakker"))
    client = await connect(server, await sign_in(server.http, family, "Mark Bakker"))
    big = server.settings.max_message_size + 1
    await client.send(bytes([0, 2]) + var_uint(big) + b"x" * big)
    await client.wait_for(lambda: client.close_code is not None)
    assert client.close_code == 1009
    assert (await refused_edit(server.settings, "Mark Bakker")).startswith("closed 1009 frame")
    honest.doc.get("concerns", type=Text).insert(0, "nog steeds hier")
    await honest.wait_saved()
    await honest.close()


async def test_saved_is_never_sent_to_clients_that_did_not_ask(
    server: LiveServer, family: Family
) -> None:
    member = await sign_in(server.http, family, "Sanne Bakker")
    stock = await YClient(member.ws_url(server.ws, saved=False), member.cookie).connect()
    other = await connect(server, await sign_in(server.http, family, "Oma Ria"))
    add_goal(stock, "g-stock", "Zonder opgeslagen-bericht")
    await other.wait_for(lambda: any(g["id"] == "g-stock" for g in goals(other)))
    assert all(f[0] != MessageType.SAVED for f in stock.frames)
    await stock.close()
    await other.close()


async def test_unauthenticated_socket_closes_4401(server: LiveServer, family: Family) -> None:
    client = await YClient(f"{server.ws}/ws/meetings/{family.meeting_id}").connect(
        wait_synced=False
    )
    await client.wait_for(lambda: client.close_code is not None)
    assert client.close_code == 4401
    assert not client.frames  # not a single document byte


async def test_foreign_origin_closes_4403(server: LiveServer, family: Family) -> None:
    member = await sign_in(server.http, family, "Sanne Bakker")
    client = await YClient(
        member.ws_url(server.ws), member.cookie, origin="https://evil.example"
    ).connect(wait_synced=False)
    await client.wait_for(lambda: client.close_code is not None)
    assert client.close_code == 4403
    assert not client.frames


async def test_other_family_cannot_reach_the_meeting(server: LiveServer, family: Family) -> None:
    from tests.conftest import make_family

    other = await make_family(server.settings, "Familie Anders")
    stranger = await sign_in(server.http, other, "Sanne Bakker")
    url = f"{server.ws}/ws/meetings/{family.meeting_id}?as={stranger.session_id}"
    client = await YClient(url, stranger.cookie).connect(wait_synced=False)
    await client.wait_for(lambda: client.close_code is not None)
    assert client.close_code == 4403
    assert not client.frames


async def test_screen_cannot_change_anything(server: LiveServer, family: Family) -> None:
    screen = await connect(server, await sign_in(server.http, family, "Gedeeld scherm"))
    mother = await connect(server, await sign_in(server.http, family, "Sanne Bakker"))
    add_goal(screen, "g-screen", "Van het scherm")
    screen.doc.get("vision", type=Text).insert(0, "SCHERM")
    add_goal(mother, "g-mother", "Van moeder")
    await mother.wait_saved()
    await screen.wait_for(lambda: any(g["id"] == "g-mother" for g in goals(screen)))
    late = await connect(server, await sign_in(server.http, family, "Oma Ria"))
    ids = {g["id"] for g in goals(late)}
    assert "g-mother" in ids and "g-screen" not in ids
    assert "SCHERM" not in str(late.doc.get("vision", type=Text))
    for client in (screen, mother, late):
        await client.close()


async def test_bad_origin_handshake_is_refused_for_plain_websockets(
    server: LiveServer, family: Family
) -> None:
    member = await sign_in(server.http, family, "Sanne Bakker")
    async with websockets.connect(
        member.ws_url(server.ws),
        origin="http://evil.example",
        additional_headers={"Cookie": member.cookie},
    ) as ws:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
