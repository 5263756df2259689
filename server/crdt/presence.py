"""The awareness half of a room: who is at the table, as the server stamps it.

A per-room registry ``client_id → clock`` drops stale entries and echoes before any JSON
parsing, and re-broadcasts only what changed, re-encoded (see YJS-NOTES: a stock client
re-sends awareness it received, so forwarding raw frames floods the table).
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import protocol
from .protocol import AwarenessEntry, AwarenessMessage, Message

if TYPE_CHECKING:
    from .peer import Peer
    from .remote import Neighbours

log = logging.getLogger("server.crdt.room")  # the room's log, as before the split

MAX_CLIENT_IDS = 4  # awareness ids one connection may own (a stock client uses one)
# what a client may put in its own presence besides the identity the server adds: a step,
# a cursor (a stock editor binding's relative positions are ~100 bytes), not a document
MAX_OWN_STATE = 1024
TOMBSTONE_SECONDS = 300.0  # how long a left client's tombstone is kept (clients time out at 30 s)
_AWARENESS = bytes([protocol.MessageType.AWARENESS])


@dataclass(slots=True)
class _Presence:
    clock: int
    state: str
    owner: Peer | None = field(default=None)
    since: float = field(default_factory=time.monotonic)
    process: str | None = None  # another process's connection (server/cluster/)


class Presence:
    """Mixed into ``Room``: the presence registry and the awareness message handlers."""

    meeting_id: str
    peers: set[Peer]
    _presence: dict[int, _Presence]
    neighbours: Neighbours | None

    def _ready_for_echoes(self) -> bool:
        raise NotImplementedError

    def _greet(self, peer: Peer) -> None:
        """Send a joiner who is already here."""
        present = [
            AwarenessEntry(cid, p.clock, p.state)
            for cid, p in self._presence.items()
            if p.state != "null"
        ]
        if present:
            peer.enqueue(protocol.encode_awareness(present))

    def _leave(self, peer: Peer) -> None:
        """Null a leaving connection's entries (clock + 1) and tell the others at once."""
        gone = []
        for client_id in peer.client_ids:
            presence = self._presence.get(client_id)
            if presence is not None and presence.owner is peer:
                presence.clock += 1
                presence.state, presence.owner, presence.since = "null", None, time.monotonic()
                gone.append(AwarenessEntry(client_id, presence.clock, "null"))
        if gone:
            self._send_all(protocol.encode_awareness(gone))

    def merge_remote(self, process: str, entries: tuple[AwarenessEntry, ...]) -> None:
        """Take the newer of another process's entries and tell our connections."""
        changed = []
        for entry in entries:
            known = self._presence.get(entry.client_id)
            if known is not None and (entry.clock <= known.clock or known.owner is not None):
                continue
            live = entry.state != "null"
            self._presence[entry.client_id] = _Presence(
                entry.clock, entry.state, process=process if live else None
            )
            changed.append(entry)
        if changed:
            self._send_all(protocol.encode_awareness(changed), local_only=True)

    def forget_process(self, process: str) -> None:
        """A process died (its lease was reaped) or stopped: its connections leave the table."""
        gone = []
        for client_id, presence in self._presence.items():
            if presence.process == process:
                presence.clock += 1
                presence.state, presence.process, presence.since = "null", None, time.monotonic()
                gone.append(AwarenessEntry(client_id, presence.clock, "null"))
        if gone:
            self._send_all(protocol.encode_awareness(gone), local_only=True)

    def local_presence(self) -> bytes | None:
        """Our own connections' entries, for a process that just loaded the meeting."""
        ours = [
            AwarenessEntry(cid, p.clock, p.state)
            for cid, p in self._presence.items()
            if p.owner is not None
        ]
        return protocol.encode_awareness(ours) if ours else None

    def processes(self) -> set[str]:
        """The other processes whose connections are in this room's presence."""
        return {p.process for p in self._presence.values() if p.process}

    def _on_awareness(self, peer: Peer, message: AwarenessMessage) -> None:
        changed = []
        for entry in message.entries:
            known = self._presence.get(entry.client_id)
            if known is not None and entry.clock <= known.clock:
                if known.owner is None and known.state == "null":
                    # a client back after a disconnect: show it our tombstone so it bumps its clock
                    peer.enqueue(
                        protocol.encode_awareness(
                            [AwarenessEntry(entry.client_id, known.clock, "null")]
                        )
                    )
                continue  # stale, or an echo another client re-sent: drop before parsing
            if known is not None and (known.owner not in (None, peer) or known.process):
                continue  # one connection may not speak for another's client id
            state = self._stamp(peer, entry.state)
            if entry.client_id not in peer.client_ids:
                if state == "null" and known is None:
                    continue  # nothing to remove: remembering it would only grow the registry
                if len(peer.client_ids) >= MAX_CLIENT_IDS:
                    log.info("meeting %s: too many awareness ids", self.meeting_id)
                    continue
            self._presence[entry.client_id] = _Presence(
                entry.clock, state, peer if state != "null" else None
            )
            peer.client_ids.add(entry.client_id)
            changed.append(AwarenessEntry(entry.client_id, entry.clock, state))
        if changed:
            self._send_all(protocol.encode_awareness(changed))

    def stale_echo(self, frame: bytes) -> bool:
        """Whether ``frame`` is presence this room already has (a stock client's echo of what
        it received): dropped before decoding, by the socket before it is even queued."""
        if not self._ready_for_echoes() or frame[:1] != _AWARENESS:
            return False
        head = protocol.peek_awareness(frame)
        if head is None:
            return False
        known = self._presence.get(head[0])
        # a tombstone is answered (see _on_awareness), so only live entries are skipped here
        live = known is not None and (known.owner is not None or known.process is not None)
        return live and head[1] <= known.clock  # type: ignore[union-attr]

    def _stamp(self, peer: Peer, state: str) -> str:
        """Overwrite the identity a client claims with the one the server knows."""
        parsed = protocol.parse_state(state)
        if parsed is None:
            return "null"
        if len(state) > MAX_OWN_STATE:  # relayed to everyone: keep only who it is
            log.info("meeting %s: presence of %d bytes cut", self.meeting_id, len(state))
            parsed = {}
        me = peer.identity
        parsed["user"] = {
            "person_id": me.person_id,
            "name": me.name,
            "role": me.role,
            "color": me.colour,
        }
        return json.dumps(parsed, separators=(",", ":"))

    def forget_tombstones(self, now: float) -> None:
        """Drop presences that left long ago, so the registry stays as small as the table."""
        old = now - TOMBSTONE_SECONDS
        for client_id in [
            cid
            for cid, p in self._presence.items()
            if p.owner is None and p.process is None and p.since < old
        ]:
            del self._presence[client_id]

    def _on_query_awareness(self, peer: Peer, message: Message) -> None:
        present = [AwarenessEntry(cid, p.clock, p.state) for cid, p in self._presence.items()]
        peer.enqueue(protocol.encode_awareness(present))

    def _send_all(self, frame: bytes, local_only: bool = False) -> None:
        for peer in self.peers:
            peer.enqueue(frame)
        if self.neighbours is not None and not local_only:
            self.neighbours.presence_changed(self.meeting_id, frame)
