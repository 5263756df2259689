"""The live-document core: protocol, rooms, the gate, the write path. No web or SQL imports.

Its public API, by module: ``manager.RoomManager`` (rooms of a process: ``connect``, ``hold``,
``shut``), ``room.Room`` (``receive``, ``change``, ``wait_committed``, ``read_only``),
``peer.Peer`` / ``peer.Identity`` / ``peer.Transport`` (a connection as the room sees it),
``gate.Gate`` / ``gate.UpdateRefused`` (the shape and rights check of every client update),
``rights`` (who may write what, and the limits), ``schema`` (the document's names, ``seed``,
``extract``), ``protocol`` (the y-websocket frames), ``close_codes.CloseCode``,
``store.UpdateStore`` and ``writer.GroupCommitWriter`` (the write path).
"""

__all__ = [
    "close_codes",
    "gate",
    "manager",
    "peer",
    "presence",
    "protocol",
    "rights",
    "room",
    "schema",
    "store",
    "writer",
]
