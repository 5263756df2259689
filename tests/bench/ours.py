"""Test data for our server: families with a live meeting, invites, and signed-in seats.

Meetings are made with the server's own code (the demo family's people and first plan version,
then ``plans.start_meeting``, which seeds the document once); every seat is a personal invite
redeemed with ``POST /join/<token>``, as a browser does. A seat's websocket needs the session
cookie and ``?as=<session id>``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import httpx
from sqlalchemy import select

from server import plans
from server.access.sessions import create_invite
from server.cli.demo import _create_family
from server.settings import DEFAULT_SECRET
from server.storage.db import create_engine, migrate, sessionmaker
from server.storage.models import DocumentUpdate, Person
from tests.bench.loadgen import Endpoint, gather_limited
from tests.bench.peers import Server

INVITE_TTL = timedelta(hours=12)


@dataclass
class Seat:
    session_id: str
    cookie: str


@dataclass
class BenchMeeting:
    meeting_id: str
    family_id: str
    seed: bytes  # the stored first update: what reference servers are seeded with
    tokens: list[str]  # invite tokens; the first is the coordinator's
    seats: list[Seat] = field(default_factory=list)


def sqlite_url(path: str) -> str:
    return f"sqlite+aiosqlite:///{path}"


async def prepare_meetings(
    database_url: str, count: int, seats: int, name: str = "Bench"
) -> list[BenchMeeting]:
    """``count`` families, each with one live meeting and ``seats`` invites (coordinator first;
    the family's eight people in turn after that)."""
    await asyncio.to_thread(migrate, database_url)
    engine = create_engine(database_url)
    meetings: list[BenchMeeting] = []
    try:
        for start in range(0, count, 50):
            async with sessionmaker(engine).begin() as db:
                for i in range(start, min(count, start + 50)):
                    family = await _create_family(db, f"{name} {i}")
                    meeting = await plans.start_meeting(db, family, f"{name} overleg {i}")
                    people = list(
                        await db.scalars(
                            select(Person)
                            .where(Person.family_id == family.id)
                            .order_by(Person.created_at)
                        )
                    )
                    order = [p for p in people if p.role == "coordinator"] + [
                        p for p in people if p.role != "coordinator"
                    ]
                    tokens = []
                    for j in range(seats):
                        person = order[j % len(order)]
                        tokens.append(
                            await create_invite(
                                db, DEFAULT_SECRET, meeting, person, person.role, INVITE_TTL
                            )
                        )
                    seed = await db.scalar(
                        select(DocumentUpdate.data)
                        .where(DocumentUpdate.meeting_id == meeting.id)
                        .order_by(DocumentUpdate.id)
                        .limit(1)
                    )
                    assert seed is not None
                    meetings.append(BenchMeeting(meeting.id, family.id, seed, tokens))
    finally:
        await engine.dispose()
    return meetings


async def redeem(client: httpx.AsyncClient, base: str, token: str) -> Seat:
    """``POST /join/<token>`` with our own Origin, as the browser's confirm button does."""
    response = await client.post(f"{base}/join/{token}", headers={"Origin": base})
    if response.status_code != 303:
        raise RuntimeError(f"join failed: {response.status_code} {response.text[:200]}")
    session_id = parse_qs(urlparse(response.headers["location"]).query)["as"][0]
    name = f"rt_{session_id}"
    value = response.cookies[name]
    client.cookies.clear()
    return Seat(session_id, f"{name}={value}")


async def sign_in(server: Server, meetings: list[BenchMeeting], limit: int = 4) -> float:
    """Redeem every invite; returns the seconds it took. Sets ``server.endpoint_for``."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    clients = [httpx.AsyncClient(trust_env=False, timeout=30) for _ in range(limit)]
    queue: asyncio.Queue[tuple[BenchMeeting, str]] = asyncio.Queue()
    for meeting in meetings:
        meeting.seats = [Seat("", "")] * len(meeting.tokens)
        for token in meeting.tokens:
            queue.put_nowait((meeting, token))

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            meeting, token = queue.get_nowait()
            seat = await redeem(client, server.http, token)
            meeting.seats[meeting.tokens.index(token)] = seat

    try:
        results = await gather_limited((worker(c) for c in clients), limit)
        for result in results:
            if isinstance(result, BaseException):
                raise result
    finally:
        for client in clients:
            await client.aclose()
    use_seats(server, meetings)
    return loop.time() - started


def use_seats(server: Server, meetings: list[BenchMeeting]) -> None:
    """Point ``server.endpoint_for`` at the seats signed in (again, for a second server on
    the same database: invites work once, sessions stay)."""
    by_id = {m.meeting_id: m for m in meetings}
    ws = f"ws://127.0.0.1:{server.port}"

    def endpoint(room: str, slot: int) -> Endpoint:
        # a meeting not prepared here belongs to the first one's family: its seats may open it
        seats = by_id.get(room, meetings[0]).seats
        seat = seats[slot % len(seats)]
        return Endpoint(f"{ws}/ws/meetings/{room}?as={seat.session_id}", {"Cookie": seat.cookie})

    server.endpoint_for = endpoint
