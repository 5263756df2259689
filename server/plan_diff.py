"""The one diff of two plans: what changed between two plan versions, or between the last
version and the live document. Every part of the plan, with who changed it: an item's
``changed_by``, ``removed_by``, ``lifted_by``; for vision, strengths, concerns, minutes,
contacts, the next meeting and attendance, everyone who changed it at the newer plan's meeting
(``changed_by`` of the diff, from the plan's ``part_trace``). People's records come from the
family's file, which says nothing of who changed them here (its audit log does).

``plan_words`` puts it into Dutch for people; the closing review, the compare page, the shared
screen's closing step and the print all show that one wording. Plans are read tolerantly (a
version written by an older release lacks fields: they count as empty).

What is *not* a change, by the carry-over contract (``carry.py``; the README's "What the next
meeting carries"):
- a goal nobody scored this time (score empty, last time's kept in ``last_score``): it is
  listed as ``not_scored``, not as "3 → niets";
- the minutes and the next date start empty at every meeting: only what the newer plan says
  counts (``minutes``, ``next_meeting``: the new value, or None); attendance is each
  meeting's own too: all the newer plan's marks (with last time's);
- a carried action nobody evaluated this time (evaluation empty): not "evaluation removed";
- an action done in ``old`` and gone from ``new`` is *finished*, a decision lifted in ``old``
  and gone is *ended*: neither was removed;
- the bookkeeping fields (``carried_from``, ``last_*``, the trace fields)."""

from __future__ import annotations

from typing import Any

from .crdt import part_trace, schema

Item = dict[str, Any]
PER_ITEM_EXCLUDED = frozenset(
    {"id", "carried_from", "last_score", "last_status", "last_evaluation", "changed_by"}
    | {"removed_at", "removed_by", "lifted_at", "lifted_by", "score", "author_role"}
)


def diff(old: schema.Plan, new: schema.Plan) -> dict[str, Any]:
    """What changed from ``old`` to ``new``; every list is empty when nothing did."""
    removed = {(r.get("list"), r.get("id")): r for r in _items(new, "removed")}
    goals = _items_diff(old, new, "goals", removed)
    goals["removed"] += goals.pop("gone")
    actions = _items_diff(old, new, "actions", removed)
    gone = actions.pop("gone")
    actions["finished"] = [a for a in gone if a.get("status") == "done"]
    actions["removed"] += [a for a in gone if a.get("status") != "done"]
    decisions = _items_diff(old, new, "decisions", removed)
    gone = decisions.pop("gone")
    decisions["ended"] = [d for d in gone if d.get("lifted_at")]  # lifted before, not carried
    decisions["removed"] += [d for d in gone if not d.get("lifted_at")]
    earlier = _by_id(old, "decisions")
    decisions["lifted"] = [
        d
        for d in _items(new, "decisions")
        if d.get("lifted_at") and not earlier.get(d["id"], {}).get("lifted_at")
    ]
    scores, not_scored = _scores(old, new)
    return {
        "texts": [
            {"field": name, "before": _text(old, name), "after": _text(new, name)}
            for name in schema.TEXTS
            if name != "minutes" and _text(old, name) != _text(new, name)
        ],
        # the minutes and the next date are each meeting's own: what this one says, if anything
        "minutes": _own(_text(old, "minutes"), _text(new, "minutes")),
        "next_meeting": _own(old.get("next_meeting"), new.get("next_meeting")),
        "goals": goals,
        "scores": scores,
        "not_scored": not_scored,
        "actions": actions,
        "decisions": decisions,
        "contacts": _mapping_diff(_mapping(old, "contacts"), _mapping(new, "contacts")),
        "attendance": _attendance(old, new),
        "people": _people_diff(_mapping(old, "people"), _mapping(new, "people")),
        # who changed each part above at the newer plan's meeting (``part_trace``)
        "changed_by": _part_trace(new),
    }


def _items_diff(
    old: schema.Plan, new: schema.Plan, name: str, removed: dict[tuple[Any, Any], Item]
) -> dict[str, Any]:
    before, after = _by_id(old, name), _by_id(new, name)
    changed = []
    for item_id, item in after.items():
        if item_id not in before:
            continue
        fields = sorted(
            k
            for k in (item.keys() | before[item_id].keys()) - PER_ITEM_EXCLUDED
            if _differs(name, k, before[item_id], item)
        )
        if fields:
            changed.append(
                {
                    "id": item_id,
                    "fields": fields,
                    "before": before[item_id],
                    "after": item,
                    "by": item.get("changed_by"),
                }
            )
    gone = [item for item_id, item in before.items() if item_id not in after]
    return {
        "added": [item for item_id, item in after.items() if item_id not in before],
        "changed": changed,
        # removed with a trace in ``new``: who removed it; gone without one: nobody knows
        "removed": [
            {**item, "removed_by": removed[(name, item["id"])].get("removed_by")}
            for item in gone
            if (name, item["id"]) in removed
        ],
        "gone": [
            {**item, "removed_by": None} for item in gone if (name, item["id"]) not in removed
        ],
    }


def _differs(name: str, key: str, before: Item, after: Item) -> bool:
    old, new = before.get(key), after.get(key)
    if key == "evaluation" and name == "actions" and not new and after.get("carried_from"):
        return False  # not evaluated this time: last time's evaluation is not taken back
    return bool(_blank(old) != _blank(new))


def _scores(old: schema.Plan, new: schema.Plan) -> tuple[list[Item], list[Item]]:
    """Goals scored this time (from the last score known to ``old``), and goals in both plans
    nobody scored this time."""
    before = _by_id(old, "goals")
    scored, not_scored = [], []
    for goal in _items(new, "goals"):
        earlier = before.get(goal["id"])
        if earlier is None:
            continue
        last = earlier.get("score")
        last = earlier.get("last_score") if last is None else last
        if goal.get("score") is None:
            if last is not None:
                not_scored.append({"id": goal["id"], "text": goal.get("text"), "last": last})
        # the same score again is a new score only where the plan says it started empty
        # (``last_score`` set by the carry-over); a version from before that pre-filled it
        elif goal["score"] != last or goal.get("last_score") is not None:
            scored.append(
                {"id": goal["id"], "text": goal.get("text"), "from": last, "to": goal["score"]}
            )
    return scored, not_scored


def _mapping_diff(old: dict[str, Any], new: dict[str, Any]) -> list[Item]:
    return [
        {"key": key, "before": old.get(key), "after": new.get(key)}
        for key in sorted(old.keys() | new.keys())
        if old.get(key) != new.get(key)
    ]


def _attendance(old: schema.Plan, new: schema.Plan) -> list[Item]:
    """Who took part in the newer plan's meeting, and how (each meeting marks its own: all of
    its marks, with last time's mark of that person)."""
    before = _mapping(old, "attendance")
    return [
        {"id": pid, "mark": mark, "last": before.get(pid)}
        for pid, mark in sorted(_mapping(new, "attendance").items())
    ]


def _people_diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Item]]:
    """People who came to or left the family's file between the two plans, by their record,
    and people whose record (name, role, relation, organisation, what they offer) changed."""
    changed = []
    for pid in sorted(old.keys() & new.keys()):
        before, after = old[pid], new[pid]
        if not (isinstance(before, dict) and isinstance(after, dict)):
            continue
        fields = [k for k in schema.PERSON_FIELDS if _blank(before.get(k)) != _blank(after.get(k))]
        if fields:
            changed.append({"id": pid, "fields": fields, "before": before, "after": after})
    return {
        "added": [{"id": pid, **person} for pid, person in new.items() if pid not in old],
        "removed": [{"id": pid, **person} for pid, person in old.items() if pid not in new],
        "changed": changed,
    }


def _part_trace(plan: schema.Plan) -> dict[str, list[str]]:
    trace = _mapping(plan, part_trace.ROOT)
    return {
        part: [str(p) for p in trace[part] if p]
        for part in part_trace.PARTS
        if isinstance(trace.get(part), list)
    }


def _own(before: Any, after: Any) -> Any:
    return None if _blank(after) is None or _blank(before) == _blank(after) else after


def _blank(value: Any) -> Any:
    """Empty in any form (None, "", spaces) is one value; text compares without edge spaces."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def _text(plan: schema.Plan, name: str) -> str:
    value = plan.get(name)
    return value.strip() if isinstance(value, str) else ""


def _items(plan: schema.Plan, name: str) -> list[Item]:
    items = plan.get(name)
    if not isinstance(items, list):
        return []
    return [i for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)]


def _by_id(plan: schema.Plan, name: str) -> dict[str, Item]:
    return {item["id"]: item for item in _items(plan, name)}


def _mapping(plan: schema.Plan, name: str) -> dict[str, Any]:
    value = plan.get(name)
    return value if isinstance(value, dict) else {}
