"""The live websockets of each session in this process, so a removed person is cut off at once.

``revoke`` is called after the session is marked removed in the database. A socket that
authenticated just before that commit registers either before ``revoke`` (and is closed by it)
or after (and ``register`` refuses it): no window in which a removed session stays connected.
With several processes (``server/cluster/``) a removal made in one is ``announce``d to the
others, which close their sockets of it the same way (``revoke_here``, ``remove_person_here``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from .crdt.close_codes import CloseCode
from .crdt.room import Peer
from .errors import Removed, TooManySockets

log = logging.getLogger(__name__)
# per session: a laptop and a tablet, a few tabs each; 300 from one session were a flood
# (each socket's presence is relayed to everyone)
MAX_SOCKETS = 5


class Connections:
    def __init__(self) -> None:
        self._peers: dict[str, set[Peer]] = {}
        self._revoked: set[str] = set()  # session ids; few (each is a coordinator's click)
        self._removed: set[tuple[str, str]] = set()  # (meeting, person) of staff taken out
        # set by server/cluster/: tells the other processes (kind, meeting id, payload)
        self.announce: Callable[[str, str, str], None] | None = None

    def register(self, session_id: str, peer: Peer, meeting_id: str) -> None:
        """Track a new socket of ``session_id``. Raises ``Removed`` when the session was revoked
        or the person taken out of this meeting, ``TooManySockets`` beyond ``MAX_SOCKETS``."""
        if session_id in self._revoked or (meeting_id, peer.identity.person_id) in self._removed:
            raise Removed("session revoked")
        peers = self._peers.setdefault(session_id, set())
        if len(peers) >= MAX_SOCKETS:
            raise TooManySockets(f"{len(peers)} sockets open")
        peers.add(peer)

    def unregister(self, session_id: str, peer: Peer) -> None:
        peers = self._peers.get(session_id)
        if peers is not None:
            peers.discard(peer)
            if not peers:
                del self._peers[session_id]

    def count(self, session_id: str) -> int:
        return len(self._peers.get(session_id, ()))

    def session_ids(self) -> set[str]:
        return set(self._peers)

    async def close_idle(self, silent_since: float, code: int) -> int:
        """Close the sockets that received nothing since ``silent_since`` (monotonic)."""
        idle = [
            p for peers in self._peers.values() for p in peers if p.last_received < silent_since
        ]
        await asyncio.gather(*(p.close(code, "idle") for p in idle))
        return len(idle)

    async def close_sessions(self, session_ids: set[str], code: int) -> int:
        """Close the sockets of sessions that ended (they may sign in again: not revoked)."""
        peers = [peer for sid in session_ids for peer in self._peers.get(sid, ())]
        await asyncio.gather(*(p.close(code, "sessie verlopen") for p in peers))
        return len(peers)

    async def remove_person(self, meeting_id: str, person_id: str) -> int:
        """Close every socket of this person (a staff member's session spans families, so it
        is not revoked; a person id belongs to one family, hence to its one live meeting)."""
        if self.announce is not None:
            self.announce("x", meeting_id, person_id)
        return await self.remove_person_here(meeting_id, person_id)

    async def remove_person_here(self, meeting_id: str, person_id: str) -> int:
        """``remove_person`` in this process only."""
        self._removed.add((meeting_id, person_id))
        peers = [
            peer
            for peers in self._peers.values()
            for peer in peers
            if peer.identity.person_id == person_id
        ]
        await asyncio.gather(*(p.close(CloseCode.REMOVED, "verwijderd") for p in peers))
        return len(peers)

    async def revoke(self, session_ids: list[str]) -> int:
        """Close every socket of these sessions with ``CloseCode.REMOVED``; returns how many
        (in this process: the others close theirs when the announcement reaches them)."""
        if self.announce is not None and session_ids:
            self.announce("r", "", ",".join(session_ids))
        return await self.revoke_here(session_ids)

    async def revoke_here(self, session_ids: list[str]) -> int:
        """``revoke`` in this process only."""
        self._revoked.update(session_ids)
        peers = [peer for sid in session_ids for peer in self._peers.pop(sid, ())]
        await asyncio.gather(*(p.close(CloseCode.REMOVED, "verwijderd") for p in peers))
        if peers:
            log.info("closed %d socket(s) of removed session(s)", len(peers))
        return len(peers)
