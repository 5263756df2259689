"""What reaches a room from the other processes serving the same meeting (``server/cluster/``).

Several processes may each hold a room of one meeting. Each commits its own connections'
updates; another process's committed update arrives here, in the log's commit order, and is
applied without the gate (the process that committed it checked it) and without storing it
(it is stored), then relayed to this room's connections. Presence crosses the same way: the
entries of another process's connections carry that process's id, so they vanish when it does.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Protocol

from . import protocol
from .protocol import AwarenessMessage, ProtocolError

if TYPE_CHECKING:
    from .room import Room

log = logging.getLogger("server.crdt.room")
_PROCESS_EXITS = (KeyboardInterrupt, SystemExit, asyncio.CancelledError, GeneratorExit)


class Neighbours(Protocol):
    """The other processes, as a room sees them (a protocol: the core imports no cluster)."""

    async def catch_up(self, room: Room) -> None:
        """Apply what others committed and this room lacks: before a joiner is greeted, so it
        never holds state (from a process that died) the room does not have yet."""
        ...

    def presence_changed(self, meeting_id: str, frame: bytes) -> None:
        """Our connections' presence changed (``frame``: the entries, re-encoded)."""
        ...


def apply_remote(room: Room, update: bytes) -> bool:
    """Apply an update another process committed and relay what was new to our peers.
    False when the room cannot take it now (loading, rebuilding, broken): the caller catches
    up from the log later."""
    from .room import RoomState  # the room module imports this one

    if room.state is not RoomState.READY:
        return False
    room._applied.clear()
    try:
        room.doc.apply_update(update)
    except _PROCESS_EXITS:
        raise
    except BaseException:  # pycrdt panicked: the doc may be poisoned; rebuild from the log
        log.exception("meeting %s: a committed update failed to apply", room.meeting_id)
        room._applied.clear()
        asyncio.get_running_loop().create_task(room.rebuild())
        return False
    effective, room._applied = room._applied, []
    for change in effective:  # already durable: relayed at once (barrier 0)
        room.document_bytes += len(change)
        frame = protocol.sync_update(change)
        for peer in room.synced:
            peer.enqueue(frame)
    return True


def apply_remote_presence(room: Room, process: str, frame: bytes) -> None:
    """Entries another process's connections changed (already stamped there)."""
    try:
        message = protocol.decode(frame)
    except ProtocolError:
        log.warning("meeting %s: unreadable presence from %s", room.meeting_id, process)
        return
    if isinstance(message, AwarenessMessage):
        room.merge_remote(process, message.entries)
