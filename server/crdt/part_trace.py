"""Who changed the parts of the plan that are not items: vision, strengths, concerns, minutes,
contacts, the next meeting and attendance. (Goals, actions and decisions carry their own
trace: ``author_id``, ``changed_by``, ``removed_by``.)

The document's root Map ``changed_by`` holds one key per part and person, ``"vision:p1"`` →
True, from the session (clients never write it): the gate notes who changed a part the doc
does not name yet (``Gate.marks``) and the room writes that as its own edit right after the
client's update, so the client's bytes are relayed as sent (unlike an item's stamp, which
overwrites what the client claimed, nothing is claimed here). One key per person rather than
a list per part: two processes writing at once write different keys and never overwrite each
other. A plan holds it as ``changed_by``: part → the ids of everyone who changed it in that
meeting, sorted. It is each meeting's own: the next meeting starts with none (``carry.py``),
so the diff of two plans says who changed a part at the newer plan's meeting."""

from __future__ import annotations

from typing import Any

from pycrdt import Doc, Map

ROOT = "changed_by"
PARTS = ("vision", "strengths", "concerns", "minutes", "contacts", "next_meeting", "attendance")
_SEP = ":"  # a part's name has none; a person id may, so only the first one splits


def key(part: str, person_id: str) -> str:
    return f"{part}{_SEP}{person_id}"


def mark(doc: Doc, keys: list[str]) -> None:
    """Write the keys (``key``) of who changed which part (the server's edit)."""
    marks = doc.get(ROOT, type=Map)
    for name in keys:
        marks[name] = True


def seed(doc: Doc, plan: dict[str, Any]) -> None:
    """Write a plan's ``changed_by`` into the document (inside the caller's transaction)."""
    marks = doc.get(ROOT, type=Map)
    trace = plan.get(ROOT)
    for part, people in (trace if isinstance(trace, dict) else {}).items():
        if part in PARTS and isinstance(people, list):
            for person_id in people:
                if isinstance(person_id, str) and person_id:
                    marks[key(part, person_id)] = True


def read(keys: Any) -> dict[str, list[str]]:
    """The plan's ``changed_by`` from the keys of the root Map; keys of another shape (a
    client cannot write them, an older server did not) are left out."""
    found: dict[str, set[str]] = {}
    for name in keys:
        part, sep, person_id = str(name).partition(_SEP)
        if sep and part in PARTS and person_id:
            found.setdefault(part, set()).add(person_id)
    return {part: sorted(found[part]) for part in PARTS if part in found}
