"""Every websocket close code the server sends, by name.

They live in the core because the room sends some of them itself and ``crdt`` imports nothing
of the rest of the server. ``web/src/close-codes.js`` mirrors this table (tests check both
agree). 44xx: a stock y-websocket client stops reconnecting, and our page says why; 45xx: the
"try again later" range, where a tab that wakes up reconnects by itself.
"""

from __future__ import annotations

import enum


class CloseCode(enum.IntEnum):
    NORMAL = 1000  # the room unloaded; a reconnect loads it afresh
    GOING_AWAY = 1001  # the server is shutting down
    UNSUPPORTED = 1003  # an unknown message type, or a text frame
    INVALID = 1007  # a malformed frame or update
    TOO_BIG = 1009  # a message larger than the server takes
    BROKEN = 1011  # the room could not be rebuilt; a reconnect loads it afresh
    TOO_SLOW = 1013  # the peer does not read what we send
    NOT_SIGNED_IN = 4401  # no valid session, or it ended while connected
    NOT_ALLOWED = 4403  # not this person's meeting, unknown meeting, or not yet admitted
    REMOVED = 4410  # the coordinator removed this person from the meeting
    UPDATE_REFUSED = 4422  # an update outside the schema or the sender's rights
    TOO_MANY = 4429  # this session has its most sockets open already
    ERASED = 4451  # the family's data was erased: nothing of it is shown any more
    IDLE = 4508  # nothing received for the idle timeout
