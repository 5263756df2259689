"""The room the gate tests and the held-update tests share: one meeting seeded with the sample
plan, in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pycrdt import Doc

from server.crdt import schema
from server.crdt.manager import RoomManager
from tests.memory import MemoryStore
from tests.test_room import MEETING
from tests.test_schema import sample_plan


@pytest.fixture
async def manager() -> AsyncIterator[RoomManager]:
    store = MemoryStore()
    seeded = Doc()
    schema.seed(seeded, sample_plan())
    store.logs[MEETING] = [seeded.get_update()]
    rooms = RoomManager(store, grace=0.05)
    await rooms.start()
    yield rooms
    await rooms.stop()
