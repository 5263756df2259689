"""What a new meeting takes from the family's last plan version: the carry-over contract.

(The issue asked for this in DESIGN.md, which this project cannot edit; it is written here,
where the code is, and in the README's "What the next meeting carries".) Starting a meeting
seeds its document once, on the server, with ``carry_forward`` of the last plan version:

- **vision, strengths, concerns, contacts**: as they were, each text with the language it
  was written in (``languages``; the minutes' stays with the minutes).
- **goals**: every one not removed, with its words, domain, view, author and trace as they
  were. This meeting's ``score`` starts empty; last time's is in ``last_score`` (the room shows
  *Vorige keer: 4*). A goal nobody scored keeps its last score for the next time, and the diff
  lists it as *not scored this time*, never as re-scored ("3 → 3").
- **actions**: every one not done, with its status (still what the plan says) and
  ``carried_from``, the version it first came from. This meeting's ``evaluation`` starts empty
  while last time's status and evaluation stay visible (``last_status``, ``last_evaluation``).
- **decisions**: every one in force. A decision is *lifted* (``lifted_at``, and the server's
  ``lifted_by``) by the coordinator or a professional; the version of that meeting shows it
  lifted, the next one no longer has it.
- **people**: from the family's file, not from the plan.

Not carried, each meeting's own: the minutes, the next meeting, attendance and who changed
the parts (``part_trace``). Not carried, kept in the versions that hold them: removed items,
done actions, lifted decisions. The property test in ``tests/crdt/test_carry.py`` holds all of
this over 200 random plans: close → start the next → everything that must carry is there
exactly once, nothing else is."""

from __future__ import annotations

from typing import Any

from .schema import TEXTS, Plan, empty_plan


def carry_forward(plan: Plan, version: int, people: dict[str, Any] | None = None) -> Plan:
    """The starting plan of the next meeting, from plan version ``version`` (the contract
    above); ``people``: the family's file (None: the people the plan holds)."""
    carried = [name for name in TEXTS if name != "minutes"]
    languages = plan.get("languages") or {}  # (none in a version from before they were kept)
    nxt: Plan = {
        **empty_plan(str(plan.get("title") or "")),
        **{name: str(plan.get(name) or "") for name in carried},
        "languages": {name: languages[name] for name in carried if name in languages},
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
