"""Updates that are well-formed Yjs but hostile to the meeting (issue 14), for the fuzzer.

Four generators: deep nesting and huge counts (the strict decoder refuses them before pycrdt
sees them: 1007), wrong kinds and forbidden paths (pycrdt applies them; the gate refuses them
whole: 4422). The last two are built on the target meeting's real state, so they land on its
real items, as a participant's edits would; the fuzzer sends them as a family member."""

from __future__ import annotations

import functools
import random
from collections.abc import Callable

from pycrdt import Array, Doc, Map, Text

from tests.crdt.test_update_format import CLIENT, deep_any, deep_maps, root_item, update, vs, vu

Edit = Callable[[Doc], object]


DEPTHS = (17, 100, 1_500, 5_000, 20_000, 60_000)


def deep_nesting(rnd: random.Random) -> bytes:
    """A value or a type nested deeper than the schema, up to where pycrdt's stack ends."""
    depth = rnd.choice(DEPTHS)
    return _deep(depth, rnd.random() >= 0.5)


@functools.cache
def _deep(depth: int, maps: bool) -> bytes:
    """Built once each: the deepest take ~130 ms of Python, which inside the fuzzer's event
    loop would count as the server's latency in the meeting beside it."""
    return deep_maps(min(depth, 30_000)) if maps else deep_any(depth)


def build_deep_nestings() -> None:
    """All twelve, before anything is measured."""
    for depth in DEPTHS:
        for maps in (False, True):
            _deep(depth, maps)


def huge_counts(rnd: random.Random) -> bytes:
    """Counts that claim far more than the bytes hold: Yrs would reserve memory for them."""
    huge = rnd.choice((400_000_000, 2**31, 2**53 - 1, 10**12))
    return rnd.choice(
        (
            vu(huge) + b"\x00",  # clients
            vu(1) + vu(huge) + vu(CLIENT) + vu(0),  # structs of one client
            vu(0) + vu(huge),  # delete set clients
            vu(0) + vu(1) + vu(CLIENT) + vu(huge),  # delete ranges
            update(root_item(4, vu(huge) + b"x", "minutes", None)),  # a string's length
            update(root_item(8, vu(huge) + b"\x7e")),  # Any values in one item
            update(b"\x00" + vu(huge)),  # a GC struct's length
        )
    )


def _goal(doc: Doc) -> Map:
    goals = doc.get("goals", type=Array)
    if len(goals) == 0:
        goals.append(Map({"id": "fuzz", "text": Text("")}))
    return goals[0]


WRONG_KINDS: list[Edit] = [
    lambda d: _goal(d).__setitem__("score", 11),
    lambda d: _goal(d).__setitem__("score", "zeven"),
    lambda d: _goal(d).__setitem__("score", [7]),
    lambda d: _goal(d).__setitem__("text", "een string waar een Text hoort"),
    lambda d: _goal(d).__setitem__("domain", Map({"a": 1})),
    lambda d: _goal(d).__setitem__("onbekend", 1),
    lambda d: d.get("meta", type=Map).__setitem__("agenda_step", "drie"),
    lambda d: d.get("meta", type=Map).__setitem__("agenda_step", 99),
    lambda d: d.get("meta", type=Map).__setitem__("next_meeting", "volgende week"),
    lambda d: d.get("goals", type=Array).append("geen map"),
    lambda d: d.get("goals", type=Array).append(Map({"id": "x", "text": Map({"a": Map({})})})),
    lambda d: d.get("goals", type=Array).append(Map({"id": "x", "text": Text("x" * 501)})),
    lambda d: d.get("actions", type=Array).append(Map({"id": "x", "status": "klaar"})),
    lambda d: d.get("vision", type=Text).insert(0, "x" * 5_001),
]

FORBIDDEN_PATHS: list[Edit] = [  # for a family member
    lambda d: d.get("meta", type=Map).__setitem__("status", "closed"),
    lambda d: d.get("meta", type=Map).__setitem__("title", "Anders"),
    lambda d: d.get("people", type=Map).__setitem__("nep", Map({"name": "Nep"})),
    lambda d: d.get("minutes", type=Text).insert(0, "Verslag door de familie. "),
    lambda d: _goal(d).__setitem__("professional_view", Text("Mening.")),
    lambda d: _goal(d).__setitem__("author_id", "iemand-anders"),
    lambda d: _goal(d).__setitem__("author_role", "coordinator"),
    lambda d: d.get("contacts", type=Map).__setitem__("onderwijs", "iemand"),
    lambda d: d.get("decisions", type=Array).append(Map({"id": "d", "text": Text("Besluit")})),
    lambda d: d.get("elders", type=Map).__setitem__("x", 1),
    lambda d: d.apply_update(_other_part("goals")),
    lambda d: d.apply_update(_other_part("meta")),
    lambda d: d.apply_update(update(root_item(4, vs("x"), "vision", "attribuut"))),
]


def _other_part(root: str) -> bytes:
    """``root`` written as the kind the schema does not give it."""
    doc = Doc()
    if root == "meta":
        doc.get(root, type=Array).append(1)
    else:
        doc.get(root, type=Map)["x"] = 1
    return doc.get_update()


def on_state(base: bytes, edit: Edit) -> bytes:
    """``edit`` made on a copy of the meeting's state ``base``, as one update."""
    doc = Doc()
    doc.apply_update(base)
    before = doc.get_state()
    with doc.transaction():
        edit(doc)
    return doc.get_update(before)


def schema_attacks(base: bytes) -> tuple[list[bytes], list[bytes]]:
    """(wrong kinds, forbidden paths), built on the meeting's state ``base``."""
    return [on_state(base, e) for e in WRONG_KINDS], [on_state(base, e) for e in FORBIDDEN_PATHS]
