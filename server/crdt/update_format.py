"""A strict, bounded check of a Yjs update (format v1), run before pycrdt ever sees it.

One hostile update can take the whole process down: pycrdt's decoder recurses into nested
``Any`` values until the stack overflows (SIGSEGV at ~60,000 arrays deep), Yrs reserves memory
for whatever count a frame claims (5 bytes claiming 400,000,000 clients cost ~0.5 GB), and Yrs
silently truncates clocks to 32 bits, so it would apply an update at other ids than the
browsers we relay it to. ``check_update`` walks the binary structure without recursion, checks
every count against the bytes left, and accepts only what the meeting document (``schema.py``)
is made of. A refused update closes its sender with 1007. It builds nothing: it only reads.

Update v1 (Yjs 13 ``readClientsStructRefs``, ``readItemContent``, ``readDeleteSet``; lib0
``readVarUint``, ``readVarInt``, ``readAny``)::

    varUint clients; per client: varUint structs, varUint client, varUint clock, structs
    struct: uint8 info; info & 0x1f: 0 GC(len), 10 Skip(len), else an Item:
        origin ID if info & 0x80, right origin ID if info & 0x40; with neither: varUint
        parentInfo (1: root type name string, 0: parent ID), and a key string if info & 0x20;
        then the content of kind info & 0x1f
    delete set: varUint clients; per client: client, varUint ranges, ranges × (clock, len)

Content kinds allowed (see tests/crdt/test_update_format.py for the updates that show it):
Deleted (1), String (4), Any (8), Type (7) of Array/Map/Text, and the GC (0) and Skip (10)
structs that stock Yjs clients write in a sync step 2 (gc'd content; pending updates merged
in). Refused: JSON (2: only read by Yjs 13, never written), Binary (3), Embed (5) and Format
(6) (rich text; our fields are plain Y.Text), Doc (9), the XML types, and Yrs' own kinds.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from .protocol import ProtocolError

# lib0's readVarUint throws above 2**53 - 1 (JS numbers), so no browser could read it.
MAX_SAFE_INTEGER = 2**53 - 1
# Yrs keeps clocks and lengths in 32 bits and truncates larger ones without a word.
MAX_CLOCK = 2**32 - 1
MAX_VAR_BYTES = 8  # 8 × 7 bits hold 2**53: a longer varint is overlong

# content kinds (info & 0x1f)
GC, DELETED, JSON, BINARY, STRING, EMBED, FORMAT, TYPE, ANY, DOC, SKIP = range(11)
ARRAY, MAP, TEXT = 0, 1, 2  # type refs of ContentType; 3-6 are the XML types
KIND_NAMES = ("gc", "skip", "deleted", "string", "any", "array", "map", "text")
_GC_BIT, _SKIP_BIT, _DELETED_BIT, _STRING_BIT, _ANY_BIT = 1, 2, 4, 8, 16
_TYPE_BITS = {ARRAY: 32, MAP: 64, TEXT: 128}
_REFUSED_KINDS = {
    JSON: "JSON content (Yjs 13 never writes it)",
    BINARY: "binary content",
    EMBED: "embedded content",
    FORMAT: "text formatting",
    DOC: "a subdocument",
}
# Any tags (lib0 readAny): 127 undefined, 126 null, 121 false, 120 true carry nothing more
_ANY_BARE = frozenset((127, 126, 121, 120))
_ANY_ARR, _ANY_OBJ, _ANY_STR, _ANY_INT, _ANY_F32 = 117, 118, 119, 125, 124
_ANY_8_BYTES = frozenset((123, 122))  # float64, bigint64
_ROOT, _PARENT, _NEIGHBOUR = 0, 1, 2  # how an item names its parent
_FIELDS = 7  # an item: client, clock, length, how it names its parent, its client, clock, is a type


class UpdateFormatError(ProtocolError):
    """An update this server will not hand to pycrdt; the room closes its sender (1007)."""


@dataclass(frozen=True, slots=True)
class UpdateLimits:
    """What one update may hold. Every count is also checked against the bytes left first."""

    # the schema stores flat values only; pycrdt's decoder overflows its stack at ~60,000
    max_any_depth: int = 16
    # Types nested in types *within one update*: the schema has two levels (a goal Map holding
    # a Text). Nesting built across updates needs the document: the schema gate checks that.
    max_type_depth: int = 8
    # One string: a pasted or seeded field arrives whole. Minutes, the longest field, are to
    # stay within 20,000 characters: 80,000 bytes at UTF-8's worst (4 bytes each), and 128 KiB
    # leaves margin. Too low refuses a real client each time it resends its state.
    max_string_bytes: int = 128 * 1024
    max_key_bytes: int = 1024  # root type names, map keys, object keys: schema names and ids
    # A full state after 10,000 scattered edits holds ~20,000 structs, and a client sends only
    # what the server lacks. Yrs takes time quadratic in a run of unmerged appended items
    # (which Yjs' mergeUpdates writes): 50,000 of them took 1.47 s to apply, 30,000 ~0.5 s.
    max_structs: int = 30_000
    max_clients: int = 10_000  # each page load is a client; a meeting sees hundreds at most
    max_delete_ranges: int = 100_000  # ~3,000 after 10,000 edits


DEFAULT_LIMITS = UpdateLimits()


class UpdateShape(NamedTuple):
    """What a checked update holds, for logs and tests. (A tuple: cheap on the hot path.)"""

    structs: int
    clients: int
    deleted_ranges: int
    any_depth: int  # deepest Any value (0: only scalars)
    type_depth: int  # deepest nesting of the update's own types (0: none)
    kind_bits: int

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(n for i, n in enumerate(KIND_NAMES) if self.kind_bits >> i & 1)


def check_update(data: bytes, limits: UpdateLimits = DEFAULT_LIMITS) -> UpdateShape:
    """Check one v1 update; raise ``UpdateFormatError`` with a short reason, or return its
    shape. Time and memory are linear in ``len(data)``, the stack is constant."""
    try:
        return _check(data, limits)
    except IndexError:  # every read indexes ``data``: reading past its end lands here
        raise UpdateFormatError("truncated update") from None
    except UnicodeDecodeError:  # Yrs refuses it; lib0 would read U+FFFD instead
        raise UpdateFormatError("string is not UTF-8") from None


# The readers below take and return a position in ``data`` (plain functions and locals: a
# keystroke is checked in a few microseconds). protocol.py's reader raises plain
# ProtocolError and lets values past 2**53 through, so it is not reused here.


def _uint(data: bytes, pos: int, limit: int = MAX_SAFE_INTEGER) -> tuple[int, int]:
    """A varUint at ``pos``: (value, next position)."""
    byte = data[pos]
    if byte < 0x80:  # one byte: most varUints
        return byte, pos + 1
    value, shift, end = byte & 0x7F, 7, pos + MAX_VAR_BYTES
    while True:
        pos += 1
        if pos == end:
            raise UpdateFormatError("overlong varUint")
        byte = data[pos]
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            break
        shift += 7
    if byte == 0:  # padded: lib0 and Yrs always write the shortest form
        raise UpdateFormatError("overlong varUint")
    if value > limit:
        raise UpdateFormatError("number out of range")
    return value, pos + 1


def _count(data: bytes, pos: int, limit: int, min_bytes: int, what: str) -> tuple[int, int]:
    """A count of things that take at least ``min_bytes`` each, refused before use when the
    bytes left cannot hold them (what makes Yrs reserve memory for nothing)."""
    n, pos = _uint(data, pos)
    if n * min_bytes > len(data) - pos:
        raise UpdateFormatError(f"more {what} than bytes left")
    if n > limit:
        raise UpdateFormatError(f"too many {what}")
    return n, pos


def _chunk(data: bytes, pos: int, limit: int) -> tuple[bytes, int]:
    """A length-prefixed run of bytes (a string's UTF-8)."""
    n = data[pos]
    if n < 0x80:
        pos += 1
    else:
        n, pos = _uint(data, pos)
    end = pos + n
    if end > len(data):
        raise UpdateFormatError("string beyond the end of the update")
    if n > limit:
        raise UpdateFormatError("string too long")
    return data[pos:end], end


def _key(data: bytes, pos: int, limit: int) -> int:
    raw, pos = _chunk(data, pos, limit)
    raw.decode()
    return pos


def _check(data: bytes, limits: UpdateLimits) -> UpdateShape:
    max_key, max_clock = limits.max_key_bytes, MAX_CLOCK
    n_clients, pos = _count(data, 0, limits.max_clients, 3, "clients")  # structs, id, clock
    seen_clients: set[int] = set()
    structs = kind_bits = any_depth = n_items = 0
    # every item, to follow the nesting of types once the walk is done (children may come
    # before their parents); ``nested`` catches the common order (parents first) on the way
    items = array("q")  # _FIELDS numbers an item: 56 bytes each, not ~250 in tuples
    spans: dict[int, tuple[int, int]] = {}  # client → its items (they come in a row)
    types: list[int] = []  # the items that are types
    nested: dict[tuple[int, int], int] = {}
    for _ in range(n_clients):
        n_structs, pos = _count(data, pos, limits.max_structs - structs, 2, "structs")
        structs += n_structs
        client, pos = _uint(data, pos)
        if client in seen_clients:  # Yjs keeps the last of them, Yrs all: they would differ
            raise UpdateFormatError("a client appears twice")
        seen_clients.add(client)
        clock, pos = _uint(data, pos, max_clock)
        first_item = n_items
        for _ in range(n_structs):
            info = data[pos]
            pos += 1
            kind = info & 0x1F
            if kind in (GC, SKIP):
                if info != kind:
                    raise UpdateFormatError("flags on a GC or Skip struct")
                kind_bits |= _GC_BIT if kind == GC else _SKIP_BIT
                length, pos = _uint(data, pos, max_clock)
            else:
                if info & 0xC0:  # an origin (or only a right one): the parent is theirs
                    how = _NEIGHBOUR
                    p_client, pos = _uint(data, pos)
                    p_clock, pos = _uint(data, pos, max_clock)
                    if info & 0xC0 == 0xC0:  # both: the right origin only needs reading
                        pos = _uint(data, _uint(data, pos)[1], max_clock)[1]
                else:
                    parent_info = data[pos]  # a varUint, but only 0 and 1 are allowed
                    pos += 1
                    if parent_info == 1:
                        how, p_client, p_clock = _ROOT, 0, 0
                        pos = _key(data, pos, max_key)
                    elif parent_info == 0:
                        how = _PARENT
                        p_client, pos = _uint(data, pos)
                        p_clock, pos = _uint(data, pos, max_clock)
                    else:
                        raise UpdateFormatError("unknown parent info")
                    if info & 0x20:
                        pos = _key(data, pos, max_key)
                if kind == STRING:
                    raw, pos = _chunk(data, pos, limits.max_string_bytes)
                    # clocks count UTF-16 code units, in Yjs and in Yrs
                    length = (
                        len(raw) if raw.isascii() else len(raw.decode().encode("utf-16-le")) // 2
                    )
                    kind_bits |= _STRING_BIT
                elif kind == ANY:
                    length, pos = _count(data, pos, max_clock, 1, "values")
                    for _ in range(length):
                        depth, pos = _any(data, pos, limits)
                        any_depth = max(any_depth, depth)
                    kind_bits |= _ANY_BIT
                elif kind == DELETED:
                    length, pos = _uint(data, pos, max_clock)
                    kind_bits |= _DELETED_BIT
                elif kind == TYPE:
                    ref = data[pos]  # a varUint, but only 0, 1 and 2 are allowed
                    pos += 1
                    if ref not in _TYPE_BITS:
                        raise UpdateFormatError("a shared type the document does not use")
                    kind_bits |= _TYPE_BITS[ref]
                    length = 1
                    types.append(n_items)
                    if how == _PARENT and len(nested) < 1024:  # a shortcut, kept small
                        depth = nested.get((p_client, p_clock), 0) + 1
                        if depth > limits.max_type_depth:
                            raise UpdateFormatError("types nested too deep")
                        nested[client, clock] = depth
                elif kind in _REFUSED_KINDS:
                    raise UpdateFormatError(f"{_REFUSED_KINDS[kind]} is not allowed")
                else:
                    raise UpdateFormatError(f"unknown content kind {kind}")
                items.extend((client, clock, length, how, p_client, p_clock, kind == TYPE))
                n_items += 1
            if length == 0:  # no encoder writes an empty struct; Yrs would store one
                raise UpdateFormatError("an empty struct")
            clock += length
            if clock > max_clock:
                raise UpdateFormatError("clock out of range")
        spans[client] = (first_item, n_items)
    type_depth = _type_depth(items, spans, types, limits) if len(types) > 1 else len(types)
    ranges, pos = _delete_set(data, pos, limits)
    if pos != len(data):
        raise UpdateFormatError("trailing bytes after the update")
    return UpdateShape(structs, n_clients, ranges, any_depth, type_depth, kind_bits)


def _any(data: bytes, pos: int, limits: UpdateLimits) -> tuple[int, int]:
    """One lib0 Any value, read with an explicit stack: (its depth, next position)."""
    # entries left in each open container: n for an array, -n for an object (keys first)
    stack: list[int] = []
    depth = 0
    while True:
        tag = data[pos]
        pos += 1
        if tag in _ANY_BARE:
            pass
        elif tag == _ANY_STR:
            pos = _key(data, pos, limits.max_string_bytes)
        elif tag == _ANY_INT:  # lib0 varInt: continuation, sign and 6 bits, then 7 bits a byte
            if data[pos] & 0x80:
                rest, pos = _uint(data, pos + 1, MAX_SAFE_INTEGER >> 6)
                if rest == 0:
                    raise UpdateFormatError("overlong varInt")
            else:
                pos += 1
        elif tag in _ANY_8_BYTES:
            pos += 8
        elif tag == _ANY_F32:
            pos += 4
        elif tag in (_ANY_ARR, _ANY_OBJ):
            if len(stack) >= limits.max_any_depth:
                raise UpdateFormatError("value nested too deep")
            depth = max(depth, len(stack) + 1)
            is_object = tag == _ANY_OBJ
            # an array entry takes at least a tag, an object entry a key length and a tag
            n, pos = _count(data, pos, MAX_CLOCK, 2 if is_object else 1, "entries")
            if n:
                stack.append(-n if is_object else n)
        else:  # 116 is a Uint8Array: the document stores no bytes
            raise UpdateFormatError(f"value of type {tag} is not allowed")
        while stack:  # move to the next entry to read, closing finished containers
            left = stack[-1]
            if left > 0:
                stack[-1] = left - 1
                break
            if left < 0:
                stack[-1] = left + 1
                pos = _key(data, pos, limits.max_key_bytes)
                break
            stack.pop()
        else:
            if pos > len(data):  # fixed-size numbers are skipped, not read
                raise UpdateFormatError("truncated update")
            return depth, pos


def _type_depth(
    items: array[int], spans: dict[int, tuple[int, int]], types: list[int], limits: UpdateLimits
) -> int:
    """How deep the update's own types nest, following parent ids and origins (an item with
    an origin has its origin's parent) among its own items; ids outside the update end it.
    Work goes into the types and what names their parents, not into every item."""

    clocks: dict[int, array[int]] = {}  # per client looked up: its items' clocks

    def find(client: int, clock: int) -> int:
        lo, hi = spans.get(client, (0, 0))
        if client not in clocks:
            clocks[client] = items[lo * _FIELDS + 1 : hi * _FIELDS : _FIELDS]
        i = lo + bisect_right(clocks[client], clock) - 1
        return i if lo <= i and clock < items[i * _FIELDS + 1] + items[i * _FIELDS + 2] else -1

    busy = -2
    owners: dict[int, int] = {}  # item → the type item holding it, or -1

    def owner(i: int) -> int:
        path = []
        while i not in owners:
            owners[i] = busy
            path.append(i)
            how, p_client, p_clock = items[i * _FIELDS + 3 : i * _FIELDS + 6]
            k = -1 if how == _ROOT else find(p_client, p_clock)
            if how == _NEIGHBOUR and k >= 0:
                i = k  # the same parent as the origin: follow it
                continue
            if how == _PARENT and k >= 0 and not items[k * _FIELDS + 6]:
                k = -1  # a parent id that names no type of ours: Yrs will refuse it
            owners[i] = k
        result = owners[i] if owners[i] != busy else -1  # busy: a cycle of origins
        for j in path:
            owners[j] = result
        return result

    depth: dict[int, int] = {}
    deepest = 0
    for t in types:
        chain = [t]
        while (up := owner(chain[-1])) >= 0 and up not in depth:
            if len(chain) > limits.max_type_depth:  # also ends a cycle of parents
                raise UpdateFormatError("types nested too deep")
            chain.append(up)
        level = depth[up] if up >= 0 else 0
        for j in reversed(chain):
            level += 1
            depth[j] = level
        deepest = max(deepest, level)
        if deepest > limits.max_type_depth:
            raise UpdateFormatError("types nested too deep")
    return deepest


def _delete_set(data: bytes, pos: int, limits: UpdateLimits) -> tuple[int, int]:
    """The delete set: (number of ranges, next position)."""
    ranges = 0
    n_clients, pos = _count(data, pos, limits.max_clients, 2, "deleting clients")
    for _ in range(n_clients):  # each: client, number of ranges
        pos = _uint(data, pos)[1]
        n, pos = _count(data, pos, limits.max_delete_ranges - ranges, 2, "deleted ranges")
        ranges += n
        for _ in range(n):  # each: clock, length
            clock, pos = _uint(data, pos, MAX_CLOCK)
            length, pos = _uint(data, pos, MAX_CLOCK)
            if length == 0:
                raise UpdateFormatError("an empty deleted range")
            if clock + length > MAX_CLOCK:
                raise UpdateFormatError("clock out of range")
    return ranges, pos
