"""update_format: every update the real clients make passes; hostile ones are refused, fast.

Legitimate updates come from the stock Node Yjs client driving the page's own bindings
(tests/crdt/yjs_updates.mjs) and from pycrdt doing the server's seed and the edit vocabulary
of tests/reliability/convergence.py. Hostile ones are built by hand, byte by byte."""

from __future__ import annotations

import base64
import json
import random
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable

import pytest
from pycrdt import Array, Doc, Map, Text, merge_updates

from server.crdt import carry, schema
from server.crdt.protocol import ProtocolError
from server.crdt.update_format import (
    MAX_CLOCK,
    MAX_SAFE_INTEGER,
    UpdateFormatError,
    UpdateLimits,
    UpdateShape,
    check_update,
)
from tests.conftest import ROOT
from tests.reliability import convergence as sim

SCRIPT = ROOT / "tests" / "crdt" / "yjs_updates.mjs"
CLIENT = 1_234_567_890  # a Yjs client id (uint32)


# --- building updates by hand -----------------------------------------------------------------


def vu(n: int) -> bytes:
    """lib0 varUint."""
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        if not n:
            return bytes(out + bytes([byte]))
        out.append(byte | 0x80)


def vs(s: str | bytes) -> bytes:
    raw = s.encode() if isinstance(s, str) else s
    return vu(len(raw)) + raw


def root_item(kind: int, content: bytes, root: str = "meta", key: str | None = "k") -> bytes:
    """An item straight in a root type (no origins), with ``content`` of ``kind``."""
    info = kind | (0x20 if key is not None else 0)
    return bytes([info]) + vu(1) + vs(root) + (vs(key) if key is not None else b"") + content


def update(*structs: bytes, client: int = CLIENT, clock: int = 0, ds: bytes = b"\x00") -> bytes:
    """One client's structs, then a delete set (empty by default)."""
    return vu(1) + vu(len(structs)) + vu(client) + vu(clock) + b"".join(structs) + ds


def text(s: str, root: str = "minutes", clock: int = 0) -> bytes:
    return update(root_item(4, vs(s), root, None), clock=clock)


def keystroke() -> bytes:
    """What a browser sends for one typed character: an item after its origin, and nothing else."""
    return vu(1) + vu(1) + vu(CLIENT) + vu(41) + b"\x84" + vu(CLIENT) + vu(40) + vs("ë") + b"\x00"


def deep_any(depth: int) -> bytes:
    """A value nested ``depth`` arrays deep: pycrdt's decoder recurses into it and dies."""
    return update(root_item(8, b"\x01" + b"\x75\x01" * depth + b"\x7e"))


def deep_maps(depth: int, children_first: bool = False) -> bytes:
    """A Map in a Map ``depth`` deep, each one the parent of the next by id. Yrs takes it;
    turning it into JSON later overflows the stack. ``children_first`` numbers them the other
    way round, so each child comes before its parent."""
    top = depth - 1 if children_first else 0
    structs = [root_item(7, b"\x01", key="a")]
    for level in range(1, depth):
        parent = top - level + 1 if children_first else level - 1
        structs.append(b"\x27\x00" + vu(CLIENT) + vu(parent) + vs("a") + b"\x01")
    if children_first:
        structs.reverse()
    return update(*structs)


# --- the legitimate updates -------------------------------------------------------------------


@pytest.fixture(scope="module")
def yjs_updates() -> dict[str, list[bytes]]:
    base = base64.b64encode(sim.base_update())
    result = subprocess.run(
        ["node", str(SCRIPT)], input=base, capture_output=True, timeout=60, check=True
    )
    return {k: [base64.b64decode(u) for u in v] for k, v in json.loads(result.stdout).items()}


def recorded(doc: Doc, edit: Callable[[], object]) -> list[bytes]:
    updates: list[bytes] = []
    subscription = doc.observe(lambda event: updates.append(event.update))
    edit()
    doc.unobserve(subscription)
    return updates


@pytest.fixture(scope="module")
def pycrdt_updates() -> dict[str, list[bytes]]:
    plan = sim.realistic_plan()
    empty: Doc = Doc()
    schema.seed(empty, schema.empty_plan("Overleg"))
    carried: Doc = Doc()
    schema.seed(carried, carry.carry_forward(plan, 3))
    doc = sim.doc_from([sim.base_update()], 7)
    start = doc.get_state()
    rng = random.Random(6)
    edits = recorded(doc, lambda: sim.random_edits(doc, rng, sim.Ids("py"), 400))
    closing = recorded(doc, lambda: schema.mark_closed(doc))
    return {
        "seed": [sim.base_update()],
        "seed of an empty plan": [empty.get_update()],
        "seed of a carried plan": [carried.get_update()],
        "edits": edits,
        "close": closing,
        "since the seed": [doc.get_update(start)],
        "full state": [doc.get_update()],
        "merged": [merge_updates(sim.base_update(), *edits)],
    }


def refusals(updates: dict[str, list[bytes]]) -> list[str]:
    found = []
    for name, items in updates.items():
        for i, data in enumerate(items):
            try:
                check_update(data)
            except UpdateFormatError as exc:
                found.append(f"{name}[{i}]: {exc} ({data[:24].hex()}…)")
    return found


def kinds(updates: dict[str, list[bytes]]) -> set[str]:
    return {k for items in updates.values() for data in items for k in check_update(data).kinds}


def test_every_update_the_stock_yjs_client_sends_passes(
    yjs_updates: dict[str, list[bytes]],
) -> None:
    assert sum(map(len, yjs_updates.values())) > 150
    assert refusals(yjs_updates) == []
    # GC and Deleted come with sync step 2 after a removal, Skip with a client that holds
    # pending updates: stock clients do send all three
    assert kinds(yjs_updates) == {"gc", "skip", "deleted", "string", "any", "map", "text"}


def test_every_update_pycrdt_makes_for_the_schema_passes(
    pycrdt_updates: dict[str, list[bytes]],
) -> None:
    assert len(pycrdt_updates["edits"]) > 300
    assert refusals(pycrdt_updates) == []
    assert kinds(pycrdt_updates) >= {"gc", "string", "any", "map", "text"}


def test_the_pasted_longest_field_fits_the_string_limit(
    yjs_updates: dict[str, list[bytes]],
) -> None:
    """20,000 characters of 4 bytes each (what a paste into minutes can be) in one string."""
    paste = max(yjs_updates["paste"], key=len)
    assert 80_000 < len(paste) < UpdateLimits().max_string_bytes
    check_update(paste)
    with pytest.raises(UpdateFormatError, match="string too long"):
        check_update(paste, UpdateLimits(max_string_bytes=64 * 1024))


def test_the_shape_says_what_the_update_holds(yjs_updates: dict[str, list[bytes]]) -> None:
    goal = check_update(yjs_updates["add goal"][0])
    assert goal.kinds == {"map", "text", "string", "any"}
    assert (goal.clients, goal.deleted_ranges, goal.type_depth, goal.any_depth) == (1, 0, 2, 0)
    assert check_update(b"\x00\x00") == UpdateShape(0, 0, 0, 0, 0, 0)
    shape = check_update(update(root_item(8, b"\x01\x75\x02\x7d\x05\x76\x01" + vs("a") + b"\x78")))
    assert (shape.structs, shape.any_depth, shape.kinds) == (1, 2, {"any"})


# --- hostile updates --------------------------------------------------------------------------

HOSTILE: dict[str, tuple[bytes, str]] = {
    "60,000 arrays deep": (deep_any(60_000), "nested too deep"),
    "17 arrays deep": (deep_any(17), "nested too deep"),
    "an object in objects": (
        update(root_item(8, b"\x01" + (b"\x76\x01" + vs("k")) * 20 + b"\x7e")),
        "nested too deep",
    ),
    "30,000 maps deep": (deep_maps(30_000), "types nested too deep"),
    "30,000 maps deep, children first": (deep_maps(30_000, True), "types nested too deep"),
    "400,000,000 clients in 5 bytes": (vu(400_000_000) + b"\x00", "more clients than bytes"),
    "more structs than bytes": (vu(1) + vu(1000) + vu(5) + b"\x00\x00\x01\x00", "more structs"),
    "more deleted ranges than bytes": (b"\x00\x01\x05" + vu(10**6) + b"\x00\x01", "more deleted"),
    "more values than bytes": (update(root_item(8, vu(10**9) + b"\x7e")), "more values"),
    "a long array": (update(root_item(8, b"\x01\x75" + vu(2**31))), "more entries"),
    "a long string": (update(root_item(4, vu(10**6) + b"abc", key=None)), "beyond"),
    "a string over the limit": (text("x" * (128 * 1024 + 1)), "string too long"),
    "a key over the limit": (update(root_item(8, b"\x01\x7e", key="k" * 1025)), "string too long"),
    "not UTF-8": (update(root_item(4, vs(b"\xff\xfe"), key=None)), "not UTF-8"),
    "an overlong varUint": (b"\xff" * 9 + b"\x01", "overlong varUint"),
    "a padded varUint": (b"\x81\x00" + b"\x00\x00\x00" + b"\x00", "overlong varUint"),
    "a padded varInt": (update(root_item(8, b"\x01\x7d\x80\x00")), "overlong varInt"),
    "a varInt beyond 2**53": (update(root_item(8, b"\x01\x7d\xff" + vu(2**50))), "out of range"),
    "a client id beyond 2**53": (text("a").replace(vu(CLIENT), vu(2**53), 1), "out of range"),
    "a clock Yrs would truncate": (text("a", clock=2**32), "number out of range"),
    "a clock that overflows": (text("ab", clock=MAX_CLOCK - 1), "clock out of range"),
    "a deleted range that overflows": (b"\x00\x01\x05\x01" + vu(MAX_CLOCK) + b"\x01", "range"),
    "a client twice": (
        vu(2) + (vu(1) + vu(5) + b"\x00" + root_item(4, vs("a"), key=None)) * 2 + b"\x00",
        "client appears twice",
    ),
    "an empty GC": (update(b"\x00\x00"), "empty struct"),
    "an empty Skip": (update(b"\x0a\x00"), "empty struct"),
    "an empty string": (text(""), "empty struct"),
    "no values": (update(root_item(8, b"\x00")), "empty struct"),
    "an empty deleted range": (b"\x00\x01\x05\x01\x00\x00", "empty deleted range"),
    "flags on a GC": (update(b"\x80\x01"), "flags on a GC"),
    "unknown parent info": (update(b"\x04\x02" + vs("a")), "unknown parent info"),
    "JSON content": (update(root_item(2, b"\x01" + vs("[[[1]]]"))), "JSON content"),
    "binary content": (update(root_item(3, vs(b"\x00\x01"))), "binary content"),
    "an embed": (update(root_item(5, vs('{"image": "x"}'), "minutes", None)), "embedded"),
    "formatting": (update(root_item(6, vs("bold") + vs("true"), "minutes", None)), "formatting"),
    "a subdocument": (update(root_item(9, vs("guid") + b"\x76\x00")), "subdocument"),
    "bytes in a value": (update(root_item(8, b"\x01\x74" + vs(b"\x00"))), "type 116"),
    "an unknown value type": (update(root_item(8, b"\x01\x10")), "type 16"),
    "an XmlElement": (update(root_item(7, b"\x03" + vs("p"))), "shared type"),
    "an XmlFragment": (update(root_item(7, b"\x04")), "shared type"),
    "an XmlHook": (update(root_item(7, b"\x05" + vs("h"))), "shared type"),
    "an XmlText": (update(root_item(7, b"\x06")), "shared type"),
    "a Yrs weak link": (update(root_item(7, b"\x07")), "shared type"),
    "a Yrs move": (update(root_item(11, b"\x00")), "unknown content kind 11"),
    "truncated": (keystroke()[:-1], "truncated"),
    "trailing bytes": (keystroke() + b"\x00", "trailing bytes"),
    "empty": (b"", "truncated"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_update_is_refused_fast_and_small(name: str) -> None:
    data, reason = HOSTILE[name]
    started = time.perf_counter()
    with pytest.raises(UpdateFormatError, match=reason):
        check_update(data)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.05 + 2e-6 * len(data), f"{name}: {elapsed:.3f} s"  # linear, no hang
    tracemalloc.start()
    try:
        with pytest.raises(UpdateFormatError):
            check_update(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the children-first maps are only refused after the walk: 80 bytes an item (see
    # update_format._type_depth); everything else on the way, in a few KB
    limit = 100 * len(data) if "children first" in name else 64 * 1024
    assert peak < limit, f"{name}: {peak} bytes at peak"


def test_the_refusal_is_a_protocol_error() -> None:
    """The room closes the sender of a ProtocolError with 1007 (room.py)."""
    assert issubclass(UpdateFormatError, ProtocolError)
    assert issubclass(UpdateFormatError, ValueError)


def test_deep_maps_built_by_pycrdt_are_refused() -> None:
    doc: Doc = Doc()
    inner = Map({"a": 1})
    for _ in range(12):
        inner = Map({"a": inner})
    start = doc.get_state()
    doc.get("goals", type=Array).append(inner)
    with pytest.raises(UpdateFormatError, match="types nested too deep"):
        check_update(doc.get_update(start))


def test_nesting_is_followed_through_origins() -> None:
    """A child named by its origin has its origin's parent: nine Maps, each one's first entry
    by parent id and the next (the nested Map) after it."""
    structs = [root_item(7, b"\x01", "goals", None)]  # clock 0: an Array entry, a Map
    for level in range(9):
        parent = 2 * level  # the Map of the previous level
        structs.append(b"\x28\x00" + vu(CLIENT) + vu(parent) + vs("x") + b"\x01\x7e")
        structs.append(b"\x87" + vu(CLIENT) + vu(parent + 1) + b"\x01")  # after that entry
    assert check_update(update(*structs[:9])).type_depth == 5
    with pytest.raises(UpdateFormatError, match="types nested too deep"):
        check_update(update(*structs))


def test_every_prefix_of_a_real_update_is_refused(yjs_updates: dict[str, list[bytes]]) -> None:
    for data in (yjs_updates["add goal"][0], yjs_updates["sync step 2"][0], keystroke()):
        for end in range(len(data)):
            with pytest.raises(UpdateFormatError):
                check_update(data[:end])


def test_limits_on_counts_hold(yjs_updates: dict[str, list[bytes]]) -> None:
    full = yjs_updates["full state"][0]
    shape = check_update(full)
    for limits, reason in (
        (UpdateLimits(max_structs=shape.structs - 1), "too many structs"),
        (UpdateLimits(max_clients=shape.clients - 1), "too many clients"),
        (UpdateLimits(max_delete_ranges=shape.deleted_ranges - 1), "too many deleted ranges"),
        (UpdateLimits(max_type_depth=1), "types nested too deep"),
    ):
        with pytest.raises(UpdateFormatError, match=reason):
            check_update(full, limits)
    assert check_update(deep_any(16)).any_depth == 16  # 17 is refused (HOSTILE)
    scalar = update(root_item(8, b"\x01\x7d\x05"))
    assert check_update(scalar, UpdateLimits(max_any_depth=0)).any_depth == 0
    with pytest.raises(UpdateFormatError, match="nested too deep"):
        check_update(deep_any(1), UpdateLimits(max_any_depth=0))
    assert check_update(update(b"\x00" + vu(MAX_CLOCK)), UpdateLimits()).structs == 1
    assert check_update(text("a").replace(vu(CLIENT), vu(MAX_SAFE_INTEGER), 1)).clients == 1


def mutate(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(buf) + 1)
        op = rng.random()
        if op < 0.5 and at < len(buf):
            buf[at] = rng.choice((rng.randrange(256), buf[at] ^ (1 << rng.randrange(8))))
        elif op < 0.7:
            buf[at:at] = bytes([rng.randrange(256)])
        elif op < 0.9 and at < len(buf):
            del buf[at]
        else:
            del buf[at:]
    return bytes(buf)


def test_mutated_updates_are_refused_or_survivable(
    yjs_updates: dict[str, list[bytes]], pycrdt_updates: dict[str, list[bytes]]
) -> None:
    """Random byte changes of real updates: check_update raises nothing but UpdateFormatError,
    never takes long, and pycrdt takes (or refuses) whatever it lets through, on a fresh doc.
    (Run once with 200,000 mutations: about a fifth passed, pycrdt applied all but two of
    them, which raised RuntimeError; no panic, no crash.)"""
    rng = random.Random(13)
    base = sim.base_update()
    updates = [*yjs_updates.values(), *pycrdt_updates.values()]
    samples = [u for items in updates for u in items if len(u) < 5000]
    accepted, slowest = 0, 0.0
    for _ in range(4000):
        data = mutate(rng.choice(samples), rng)
        started = time.perf_counter()
        try:
            check_update(data)
        except UpdateFormatError:
            continue
        finally:
            slowest = max(slowest, time.perf_counter() - started)
        accepted += 1
        doc = sim.doc_from([base], 99)
        try:
            doc.apply_update(data)
        except BaseException as exc:  # pycrdt panics are BaseExceptions
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
    assert slowest < 0.1  # a few KB each: anything near this would be a loop gone wrong
    assert 0 < accepted < 4000  # some mutations keep a valid shape (a changed letter)


@pytest.mark.parametrize(
    ("data", "then"),
    [(deep_any(60_000), ""), (deep_maps(30_000), "str(doc.get('meta', type=Map))")],
    ids=["60,000 arrays deep", "30,000 maps deep"],
)
def test_the_hostile_updates_really_crash_pycrdt(data: bytes, then: str) -> None:
    """The reason for all this, shown in a child process: these kill it."""
    code = (
        "import sys\nfrom pycrdt import Doc, Map\n"
        f"doc = Doc()\ndoc.apply_update(sys.stdin.buffer.read())\n{then}\n"
    )
    child = subprocess.run(
        [sys.executable, "-c", code],
        input=data,
        capture_output=True,
        timeout=120,
        env={"RUST_BACKTRACE": "0", "PATH": "/usr/bin:/bin"},
    )
    assert child.returncode < 0, child.stderr.decode()[-500:]  # killed by a signal (SIGSEGV)


def test_a_keystroke_is_cheap_to_check() -> None:
    """Not a benchmark (that is tests/bench/update_format.py): a guard against a slow path."""
    data = keystroke()
    assert check_update(data).kinds == {"string"}
    started = time.perf_counter()
    for _ in range(1000):
        check_update(data)
    assert (time.perf_counter() - started) / 1000 < 100e-6


def test_text_typed_by_pycrdt_in_utf16_units_keeps_clocks_right() -> None:
    """Clocks count UTF-16 units: after an emoji the next item is two clocks on."""
    doc: Doc = Doc(client_id=5)
    field = doc.get("minutes", type=Text)
    field.insert(0, "😀é")
    field.insert(0, "a")
    assert check_update(doc.get_update()).structs == 2
    check_update(text("😀", clock=MAX_CLOCK - 2))  # ends at MAX_CLOCK
    with pytest.raises(UpdateFormatError, match="clock out of range"):
        check_update(text("😀", clock=MAX_CLOCK - 1))
