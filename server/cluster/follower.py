"""Keeping a process's rooms up to date with what the other processes commit.

Per loaded meeting: ``known``, the number up to which everything in the log is in the room's
doc, and ``ahead``, what was heard of beyond it (an update's bytes from the doorbell, or None
for our own commits, already in the doc). Updates are applied strictly in the log's commit
order. A gap — n + 2 heard, n + 1 not (its doorbell is late or lost) — is filled from the log
after ``GAP_SECONDS``; so is everything after a Redis reconnect, and whatever the once-a-
second comparison with each meeting's ``MeetingLogHead`` finds missing. Reading the log is
the repair for every loss, so Redis may drop anything.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from ..crdt.remote import apply_remote
from ..crdt.room import Room, RoomState
from ..storage.shared_log import Numbered, SharedUpdateStore

log = logging.getLogger(__name__)
GAP_SECONDS = 0.02  # a late doorbell usually arrives within this; then read the log


class Follower:
    """The log-order state of every meeting this process holds a room of."""

    def __init__(
        self,
        store: SharedUpdateStore,
        room_of: Callable[[str], Room | None],
        holds: Callable[[str], bool],
    ):
        self.store = store
        self.room_of = room_of
        self.holds = holds  # loaded or loading: an evicted meeting is forgotten
        self.known: dict[str, int] = {}
        self.ahead: dict[str, dict[int, bytes | None]] = {}
        self.repairs = 0  # catch-ups from the log that found something (tests, figures)
        self._locks: dict[str, asyncio.Lock] = {}
        self._started: dict[str, int] = {}  # reads of the log begun, per meeting
        self._covered: dict[str, int] = {}  # the number of the last read that completed
        self._gaps: set[str] = set()

    def loaded(self, meeting_id: str, head: int) -> None:
        """The room (re)built its doc from the log, up to ``head``."""
        self.known[meeting_id] = head
        ahead = self.ahead.setdefault(meeting_id, {})
        for seq in [s for s in ahead if s <= head]:
            del ahead[seq]

    def forget(self, meeting_id: str) -> None:
        self.known.pop(meeting_id, None)
        self.ahead.pop(meeting_id, None)
        self._locks.pop(meeting_id, None)
        self._started.pop(meeting_id, None)
        self._covered.pop(meeting_id, None)

    def appended(self, numbered: list[Numbered]) -> None:
        """Our own commits: in our doc already, but they fill their places in the order."""
        for meeting_id, seq, _ in numbered:
            self.heard(meeting_id, seq, None)

    def heard(self, meeting_id: str, seq: int, update: bytes | None) -> None:
        known = self.known.get(meeting_id)
        if known is None or seq <= known:
            return  # not loaded here, or had already
        self.ahead[meeting_id][seq] = update
        self.drain(meeting_id)

    def drain(self, meeting_id: str) -> None:
        """Apply what is next in order; on a gap, read the log soon."""
        ahead = self.ahead.get(meeting_id)
        room = self.room_of(meeting_id)
        if not ahead or room is None:
            return
        known = self.known[meeting_id]
        while known + 1 in ahead:
            update = ahead[known + 1]
            if update is not None and not apply_remote(room, update):
                break  # loading or rebuilding: its load, or a later repair, brings it
            del ahead[known + 1]
            known += 1
        self.known[meeting_id] = known
        if ahead and meeting_id not in self._gaps:
            self._gaps.add(meeting_id)
            asyncio.get_running_loop().create_task(self._fill_gap(meeting_id))

    async def _fill_gap(self, meeting_id: str) -> None:
        try:
            await asyncio.sleep(GAP_SECONDS)  # give a late doorbell its chance first
            room = self.room_of(meeting_id)
            if room is not None and self.ahead.get(meeting_id):
                await self.catch_up(room)
        finally:
            self._gaps.discard(meeting_id)

    async def catch_up(self, room: Room) -> None:
        """Read from the log what this room lacks and apply it in order.

        One read at a time per meeting; whoever arrives while one is in flight shares the next
        one, which begins after they arrived and so holds everything committed before that:
        ten clients moving over from a process that died cost two reads, not ten in a row."""
        meeting_id = room.meeting_id
        lock = self._locks.setdefault(meeting_id, asyncio.Lock())
        arrived = self._started.get(meeting_id, 0)
        async with lock:
            if self._covered.get(meeting_id, 0) > arrived:
                return  # a read that began after we arrived has been applied
            number = self._started[meeting_id] = self._started.get(meeting_id, 0) + 1
            if await self._read(room):
                self._covered[meeting_id] = number
        self.drain(meeting_id)

    async def _read(self, room: Room) -> bool:
        """One read of the log for ``room``; False if the room could not take it (rebuilding,
        not loaded): then its load, or a later repair, brings it."""
        meeting_id = room.meeting_id
        known = self.known.get(meeting_id)
        if known is None:
            return False
        head, updates = await self.store.since(meeting_id, known)
        if room.state is not RoomState.READY or self.known.get(meeting_id) is None:
            return False
        for update in updates:
            if not apply_remote(room, update):
                return False  # rebuilding: the rebuild's load sets ``known``
        if updates:
            self.repairs += 1
            log.debug("meeting %s: caught up %d updates from the log", meeting_id, len(updates))
        if head > self.known[meeting_id]:
            self.loaded(meeting_id, head)
        return True

    async def check_heads(self) -> None:
        """Compare every loaded meeting with the log's head (the timer's repair)."""
        for meeting_id in [m for m in self.known if not self.holds(m)]:
            self.forget(meeting_id)
        heads = await self.store.heads(list(self.known))
        for meeting_id, head in heads.items():
            room = self.room_of(meeting_id)
            if room is not None and head > self.known.get(meeting_id, head):
                await self.catch_up(room)
