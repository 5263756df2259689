"""The live-document core: protocol, rooms, the gate, the write path. No web or SQL imports.

Its public API (``__all__``): ``RoomManager`` (the rooms of a process: ``connect``, ``hold``,
``shut``), ``Room`` (``receive``, ``change``, ``wait_committed``, ``read_only``), ``Peer`` /
``Identity`` / ``Transport`` (a connection as the room sees it), ``Gate`` / ``UpdateRefused``
(the shape and rights check of every client update) behind ``check_update`` /
``UpdateFormatError`` (the strict decoder), ``CloseCode``, ``UpdateStore`` and
``GroupCommitWriter`` (the write path); and three modules used by name: ``schema`` (the
document's names, ``seed``, ``extract``), ``rights`` (who may write what, the limits) and
``protocol`` (the y-websocket frames).
"""

from . import protocol, rights, schema
from .close_codes import CloseCode
from .gate import Gate, UpdateRefused
from .manager import RoomManager, RoomShut
from .peer import Identity, Peer, Transport
from .room import Room, RoomState
from .store import UpdateStore
from .update_format import UpdateFormatError, check_update
from .writer import GroupCommitWriter

__all__ = [
    "CloseCode",
    "Gate",
    "GroupCommitWriter",
    "Identity",
    "Peer",
    "Room",
    "RoomManager",
    "RoomShut",
    "RoomState",
    "Transport",
    "UpdateFormatError",
    "UpdateRefused",
    "UpdateStore",
    "check_update",
    "protocol",
    "rights",
    "schema",
]
