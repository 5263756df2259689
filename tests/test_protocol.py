"""Strict decoding and correct encoding of the y-websocket protocol."""

from __future__ import annotations

import pytest
from pycrdt import Doc, Text, write_var_uint

from server.crdt import protocol
from server.crdt.protocol import (
    AwarenessEntry,
    AwarenessMessage,
    ProtocolError,
    QueryAwareness,
    SyncMessage,
    SyncType,
    UnknownMessage,
)


def test_sync_messages_round_trip() -> None:
    doc = Doc()
    doc.get("vision", type=Text).insert(0, "Rust in huis")
    update = doc.get_update()
    assert protocol.decode(protocol.sync_update(update)) == SyncMessage(SyncType.UPDATE, update)
    assert protocol.decode(protocol.sync_step2(update)) == SyncMessage(SyncType.STEP2, update)
    step1 = protocol.decode(protocol.sync_step1(doc))
    assert isinstance(step1, SyncMessage) and step1.sync_type is SyncType.STEP1


def test_awareness_with_diacritics_and_emoji_round_trips() -> None:
    entries = (
        AwarenessEntry(2**40, 7, '{"name":"Zoë, coördinator 🎉"}'),
        AwarenessEntry(3, 1, "null"),
    )
    frame = protocol.encode_awareness(list(entries))
    assert protocol.decode(frame) == AwarenessMessage(entries)


def test_awareness_length_is_the_utf8_byte_count() -> None:
    frame = protocol.encode_awareness([AwarenessEntry(1, 1, '"ë"')])
    # 01 <len> 01 01 01 <string length> ; '"ë"' is 3 characters but 4 bytes
    assert frame[-5] == 4


def test_query_awareness_and_auth() -> None:
    assert protocol.decode(bytes([3])) == QueryAwareness()
    assert protocol.decode(bytes([2, 0, 3]) + b"xyz") == protocol.Auth()


def test_empty_awareness_is_the_three_byte_heartbeat() -> None:
    assert bytes([1, 1, 0]) == protocol.EMPTY_AWARENESS
    assert protocol.decode(protocol.EMPTY_AWARENESS) == AwarenessMessage(())


def test_saved_message() -> None:
    assert protocol.encode_saved(300) == bytes([100]) + write_var_uint(300)


@pytest.mark.parametrize(
    "frame",
    [
        b"",
        bytes([0]),
        bytes([0, 2, 0x80]),
        bytes([0, 2]) + b"\xff" * 9,
        bytes([0, 2, 10, 1, 2]),
        bytes([0, 2, 1, 0, 0]),  # trailing byte
        bytes([1, 3, 1, 1, 1]),  # awareness entry cut short
        bytes([1, 4, 1, 1, 1, 5]),
        bytes([1, 5, 1, 1, 1, 1, 0xFF]),  # state not UTF-8
        bytes([1, 2, 0x7F, 0]),  # more entries than bytes
    ],
)
def test_malformed_frames_raise_protocol_error(frame: bytes) -> None:
    with pytest.raises(ProtocolError):
        protocol.decode(frame)


@pytest.mark.parametrize("frame", [bytes([4]), bytes([100, 1]), bytes([0, 3, 0])])
def test_unknown_types_are_reported_as_such(frame: bytes) -> None:
    with pytest.raises(UnknownMessage):
        protocol.decode(frame)


def test_awareness_state_must_be_a_json_object_or_null() -> None:
    assert protocol.parse_state("null") is None
    assert protocol.parse_state('{"a": 1}') == {"a": 1}
    for bad in ("[1]", "3", "{", ""):
        with pytest.raises(ProtocolError):
            protocol.parse_state(bad)


def test_oversized_awareness_state_is_refused() -> None:
    state = '"' + "x" * protocol.MAX_AWARENESS_STATE + '"'
    with pytest.raises(ProtocolError):
        protocol.decode(protocol.encode_awareness([AwarenessEntry(1, 1, state)]))


def test_peek_awareness_reads_only_well_formed_single_entries() -> None:
    one = protocol.encode_awareness([protocol.AwarenessEntry(300, 7, '{"a":"é"}')])
    assert protocol.peek_awareness(one) == (300, 7)
    two = protocol.encode_awareness(
        [protocol.AwarenessEntry(1, 1, "{}"), protocol.AwarenessEntry(2, 1, "{}")]
    )
    assert protocol.peek_awareness(two) is None
    assert protocol.peek_awareness(one + b"\x00") is None  # trailing bytes
    assert protocol.peek_awareness(one[:-1]) is None  # truncated state
    assert protocol.peek_awareness(b"\x01\xff") is None  # truncated varUint
    assert protocol.peek_awareness(protocol.sync_update(b"\x00\x00")) is None
