"""The y-websocket wire protocol: strict decoding, and encoding on pycrdt's helpers.

A frame holds exactly one message (y-websocket 3.x reads only the first message of a frame):

    SYNC (0)            varUint sync_type, varUint8Array payload
    AWARENESS (1)       varUint8Array of [varUint n,
                            n × (varUint client, varUint clock, varString state)]
    AUTH (2)            ignored (stock clients never send it)
    QUERY_AWARENESS (3) no payload
    SAVED (100)         ours, server → client only: varUint count of this connection's
                        document messages that are now on disk. Sent only to clients that ask.

pycrdt's ``Decoder`` does not bounds-check lengths and its ``Encoder.write_var_string`` writes the
character count instead of the UTF-8 byte count, so both directions of the awareness payload are
done here by hand. Every decoding error is a ``ProtocolError``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import IntEnum

from pycrdt import (
    Doc,
    create_awareness_message,
    create_sync_message,
    create_update_message,
    write_message,
    write_var_uint,
)

MAX_VAR_UINT_BYTES = 8  # 56 bits: more than any length or client id we accept
MAX_AWARENESS_STATE = 16 * 1024  # one person's cursor and name, not a document


class MessageType(IntEnum):
    SYNC = 0
    AWARENESS = 1
    AUTH = 2
    QUERY_AWARENESS = 3
    SAVED = 100


class SyncType(IntEnum):
    STEP1 = 0
    STEP2 = 1
    UPDATE = 2


class ProtocolError(ValueError):
    """A frame that does not follow the protocol. The connection that sent it is closed."""


class UnknownMessage(ProtocolError):
    """A well-formed frame of a type this server does not accept (close code 1003)."""


@dataclass(frozen=True, slots=True)
class SyncMessage:
    sync_type: SyncType
    payload: bytes


@dataclass(frozen=True, slots=True)
class AwarenessEntry:
    client_id: int
    clock: int
    state: str  # JSON text; "null" means the client left


@dataclass(frozen=True, slots=True)
class AwarenessMessage:
    entries: tuple[AwarenessEntry, ...]


@dataclass(frozen=True, slots=True)
class QueryAwareness:
    pass


@dataclass(frozen=True, slots=True)
class Auth:
    pass


Message = SyncMessage | AwarenessMessage | QueryAwareness | Auth


class _Reader:
    """A bounds-checked cursor over one frame."""

    __slots__ = ("data", "pos")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def var_uint(self) -> int:
        pos = self.pos
        if pos < len(self.data) and self.data[pos] < 0x80:  # one byte: nearly every varUint
            self.pos = pos + 1
            return self.data[pos]
        value = 0
        for shift in range(0, 7 * MAX_VAR_UINT_BYTES, 7):
            if self.pos >= len(self.data):
                raise ProtocolError("truncated varUint")
            byte = self.data[self.pos]
            self.pos += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
        raise ProtocolError("overlong varUint")

    def bytes_(self) -> bytes:
        length = self.var_uint()
        end = self.pos + length
        if end > len(self.data):
            raise ProtocolError("length prefix beyond end of frame")
        chunk = self.data[self.pos : end]
        self.pos = end
        return chunk

    def string(self, limit: int) -> str:
        raw = self.bytes_()
        if len(raw) > limit:
            raise ProtocolError("string too long")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProtocolError("string is not UTF-8") from exc

    def end(self) -> None:
        if self.pos != len(self.data):
            raise ProtocolError("trailing bytes after message")


def decode(frame: bytes) -> Message:
    """Decode one frame into a message, or raise ``ProtocolError``."""
    reader = _Reader(frame)
    kind = reader.var_uint()
    message: Message
    if kind == MessageType.SYNC:
        sync_type = reader.var_uint()
        if sync_type not in SyncType._value2member_map_:
            raise UnknownMessage(f"unknown sync type {sync_type}")
        message = SyncMessage(SyncType(sync_type), reader.bytes_())
    elif kind == MessageType.AWARENESS:
        message = AwarenessMessage(_decode_awareness(reader.bytes_()))
    elif kind == MessageType.QUERY_AWARENESS:
        message = QueryAwareness()
    elif kind == MessageType.AUTH:
        reader.pos = len(frame)  # y-protocols auth carries a reason string; we never use it
        message = Auth()
    else:
        raise UnknownMessage(f"unknown message type {kind}")
    reader.end()
    return message


def peek_awareness(frame: bytes) -> tuple[int, int] | None:
    """(client id, clock) of a well-formed AWARENESS frame with one entry, without decoding
    its state; None for anything else. Lets a room drop the stale echoes stock clients send
    (most awareness traffic) before paying for a full decode."""
    reader = _Reader(frame)
    try:
        if reader.var_uint() != MessageType.AWARENESS:
            return None
        payload_end = reader.var_uint() + reader.pos
        if payload_end != len(frame) or reader.var_uint() != 1:
            return None
        client_id, clock = reader.var_uint(), reader.var_uint()
        state_end = reader.var_uint() + reader.pos
    except ProtocolError:
        return None
    return (client_id, clock) if state_end == len(frame) else None


def _decode_awareness(payload: bytes) -> tuple[AwarenessEntry, ...]:
    reader = _Reader(payload)
    count = reader.var_uint()
    if count > len(payload):  # every entry takes at least three bytes
        raise ProtocolError("awareness entry count beyond payload")
    entries = tuple(
        AwarenessEntry(reader.var_uint(), reader.var_uint(), reader.string(MAX_AWARENESS_STATE))
        for _ in range(count)
    )
    reader.end()
    return entries


def encode_awareness(entries: list[AwarenessEntry] | tuple[AwarenessEntry, ...]) -> bytes:
    """An AWARENESS frame; strings are written with their UTF-8 byte length."""
    parts = [write_var_uint(len(entries))]
    for entry in entries:
        state = entry.state.encode("utf-8")
        parts += [
            write_var_uint(entry.client_id),
            write_var_uint(entry.clock),
            write_var_uint(len(state)),
            state,
        ]
    return create_awareness_message(b"".join(parts))


def encode_saved(count: int) -> bytes:
    return write_var_uint(MessageType.SAVED) + write_var_uint(count)


def parse_state(state: str) -> dict[str, object] | None:
    """The JSON object of an awareness state, None for ``null``; ProtocolError otherwise."""
    try:
        value = json.loads(state)
    except ValueError as exc:
        raise ProtocolError("awareness state is not JSON") from exc
    if value is None or isinstance(value, dict):
        return value
    raise ProtocolError("awareness state is not an object")


def sync_step1(doc: Doc) -> bytes:
    """SYNC STEP1 with the doc's state vector: "send me what I am missing"."""
    frame: bytes = create_sync_message(doc)
    return frame


def sync_step2(update: bytes) -> bytes:
    """SYNC STEP2: the answer to a peer's step 1 (everything it is missing)."""
    return bytes((MessageType.SYNC, SyncType.STEP2)) + write_message(update)


def sync_update(update: bytes) -> bytes:
    frame: bytes = create_update_message(update)
    return frame


EMPTY_AWARENESS = create_awareness_message(write_var_uint(0))  # 01 01 00: a heartbeat
