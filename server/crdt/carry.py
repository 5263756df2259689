"""What a new meeting takes from the family's last plan version: the carry-over contract.

Written down in the README ("What a new meeting takes from the last plan"); the property test
in ``tests/crdt/test_carry.py`` holds it over random plans."""

from __future__ import annotations

from typing import Any

from .schema import TEXTS, Plan, empty_plan


def carry_forward(plan: Plan, version: int, people: dict[str, Any] | None = None) -> Plan:
    """The starting plan of the next meeting, from plan version ``version``: the carry-over
    contract of the README ("What a new meeting takes from the last plan").

    Carried: vision, strengths, concerns, contacts; every goal, with this meeting's score empty
    and the last score given in ``last_score``; every action not done, with its status, and
    last time's status and evaluation in ``last_status``/``last_evaluation`` while this
    meeting's evaluation starts empty (marked with the version it was first carried from);
    every decision in force (not lifted). Not carried: the minutes, the next meeting, lifted
    decisions, done actions and removed items (those stay in the version that removed them).
    The people come from the family's file (``people``), not from the plan."""
    nxt: Plan = {
        **empty_plan(str(plan.get("title") or "")),
        **{name: str(plan.get(name) or "") for name in TEXTS if name != "minutes"},
        "people": dict(people if people is not None else plan.get("people") or {}),
        "contacts": dict(plan.get("contacts") or {}),
    }
    nxt["goals"] = [
        {
            **goal,
            "score": None,
            "last_score": goal.get("last_score") if goal.get("score") is None else goal["score"],
        }
        for goal in plan.get("goals", [])
    ]
    nxt["actions"] = [
        {
            **action,
            "evaluation": "",
            "last_status": action.get("status"),
            "last_evaluation": action.get("evaluation") or None,
            "carried_from": action.get("carried_from") or version,
        }
        for action in plan.get("actions", [])
        if action.get("status") != "done"
    ]
    nxt["decisions"] = [{**d} for d in plan.get("decisions", []) if not d.get("lifted_at")]
    return nxt
