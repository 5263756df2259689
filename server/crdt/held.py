"""Updates a connection sent before what they build on: held for that connection, not the doc.

A stock y-websocket client sends each edit at once, also while it reconnects. Before the
server's sync step 1 has been answered with the client's offline edits, a keystroke builds on
edits the server does not have yet. Yrs would keep it pending *in the doc* and integrate it in
whichever later transaction brings what it builds on, someone else's, judged by their rights
(``pending.py``). So the room takes it back, and holds it here, for this connection only. The
connection's next update is applied merged with what is held: the sync step 2 that brings the
offline edits brings the held keystrokes with it, judged as one update of its sender.

Nothing held is acknowledged ("saved") or relayed until it is applied; the client keeps all
of it. A connection that holds too many frames, too many bytes or for too long is refused
as before (4422, ``UpdateRefused``), and its client resends the lot on its next connection.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from pycrdt import merge_updates

from .gate import UpdateRefused, UpdateWaits

MAX_FRAMES = 64  # a few seconds of typing while the sync step 2 is on its way
MAX_BYTES = 256 * 1024
MAX_SECONDS = 10.0


class Held:
    """What one connection sent that waits for what it builds on: one merged update."""

    __slots__ = ("frames", "since", "update")

    def __init__(self) -> None:
        self.update: bytes | None = None
        self.frames = 0
        self.since = 0.0

    def apply(self, update: bytes, apply: Callable[[bytes], None]) -> None:
        """``apply`` (the room's, through the gate) ``update`` merged with what is held. Raises
        ``UpdateWaits`` when the merge still waits and is now held, ``UpdateRefused`` when
        holding it would pass the bounds."""
        merged = update if self.update is None else merge_updates(self.update, update)
        try:
            apply(merged)
        except UpdateWaits as exc:
            if not self._hold(merged):
                raise UpdateRefused(f"{exc}, for too long") from None
            raise
        self.update, self.frames = None, 0

    def _hold(self, merged: bytes) -> bool:
        now = time.monotonic()
        if self.update is None:
            self.since = now
        self.update, self.frames = merged, self.frames + 1
        return (
            self.frames <= MAX_FRAMES
            and len(merged) <= MAX_BYTES
            and now - self.since <= MAX_SECONDS
        )
