"""The one diff of two plans (issue 17): every part, with who changed it, and nothing that the
carry-over contract says is not a change."""

from __future__ import annotations

from typing import Any

from server.crdt import carry, schema
from server.plan_diff import diff
from server.plan_words import changes
from tests.test_schema import sample_plan

PEOPLE = {
    "p1": {"name": "Zoë", "role": "family"},
    "lotte": {"name": "Lotte Smit", "role": "coordinator"},
    "esther": {"name": "Esther de Vries", "role": "professional"},
}


def next_plan() -> tuple[schema.Plan, schema.Plan]:
    old = sample_plan()
    old["people"] = PEOPLE
    return old, carry.carry_forward(old, 1, PEOPLE)


def section(words: dict[str, Any], key: str) -> list[dict[str, Any]]:
    found = [s["items"] for s in words["sections"] if s["key"] == key]
    assert found, f"no section {key} in {[s['key'] for s in words['sections']]}"
    return found[0]


def test_a_meeting_nobody_touched_changes_nothing() -> None:
    old, new = next_plan()
    raw = diff(old, new)
    # the carried action was not evaluated, the goal not scored: neither is a change
    assert raw["actions"]["changed"] == [] and raw["scores"] == []
    assert [g["id"] for g in raw["not_scored"]] == ["g1"]
    assert [a["id"] for a in raw["actions"]["finished"]] == ["a1"]
    assert raw["decisions"]["removed"] == [] and raw["minutes"] is None
    keys = [s["key"] for s in changes(old, new, {})["sections"]]
    assert keys == ["not_scored", "actions_finished"]


def test_every_part_is_in_the_diff_with_who_did_it() -> None:
    old, new = next_plan()
    new["vision"] = "Anders"
    new["strengths"] = "Meer"
    new["concerns"] = "Minder"
    new["minutes"] = "Kort overleg"
    new["next_meeting"] = "2027-03-01"
    new["contacts"] = {"onderwijs": "esther"}
    new["people"] = {**PEOPLE, "oma": {"name": "Oma Ria", "role": "network"}}
    goal = new["goals"][0]
    goal.update(text="Elke dag naar school", score=4, changed_by="lotte")
    action = new["actions"][0]
    action.update(status="done", evaluation="Gelukt", changed_by="esther")
    new["decisions"][0].update(lifted_at="2026-12-02", lifted_by="esther")
    removed = {**goal, "id": "g-weg", "list": "goals", "removed_at": "2026-12-02"}
    old["goals"].append({**goal, "id": "g-weg", "score": 2})
    new["removed"] = [{**removed, "removed_by": "p1"}]
    raw = diff(old, new)
    assert {t["field"] for t in raw["texts"]} == {"vision", "strengths", "concerns"}
    assert raw["minutes"] == "Kort overleg" and raw["next_meeting"] == "2027-03-01"
    assert raw["scores"] == [{"id": "g1", "text": goal["text"], "from": 4, "to": 4}]
    assert raw["goals"]["removed"][0]["removed_by"] == "p1"
    assert raw["decisions"]["lifted"][0]["lifted_by"] == "esther"
    assert raw["contacts"] == [{"key": "onderwijs", "before": "p1", "after": "esther"}]
    assert [p["id"] for p in raw["people"]["added"]] == ["oma"]

    words = changes(old, new, {})
    (changed_goal,) = section(words, "goals_changed")
    assert changed_goal["by"] == "Door Lotte Smit (regisseur, namens het gezin)"
    assert changed_goal["fields"][0]["before"] == "Naar school"
    assert section(words, "scores")[0]["note"] == "Cijfer: van 4 naar 4 (gelijk)"
    (changed_action,) = section(words, "actions_changed")
    assert changed_action["by"] == "Door Esther de Vries (hulpverlener)"
    assert {f["after"] for f in changed_action["fields"]} == {"Gedaan", "Gelukt"}
    assert section(words, "goals_removed")[0]["by"] == "Door Zoë (gezin)"
    assert section(words, "decisions_lifted")[0]["note"] == "Opgeheven op 2 december 2026."
    for key in ("text_vision", "minutes", "next_meeting", "contacts", "people_added"):
        section(words, key)


def test_a_lifted_decision_not_carried_has_ended_and_was_not_removed() -> None:
    old, _ = next_plan()
    old["decisions"][0]["lifted_at"] = "2026-12-02"
    new = carry.carry_forward(old, 2, PEOPLE)
    raw = diff(old, new)
    assert [d["id"] for d in raw["decisions"]["ended"]] == ["d1"]
    assert raw["decisions"]["removed"] == []


def test_a_goal_scored_again_after_a_round_without_score_compares_with_the_last_one() -> None:
    old, new = next_plan()  # v2: not scored (last 4)
    v3 = carry.carry_forward(new, 2, PEOPLE)
    v3["goals"][0]["score"] = 7
    assert diff(new, v3)["scores"][0]["from"] == 4
    assert diff(old, v3)["scores"][0] == {"id": "g1", "text": "Naar school", "from": 4, "to": 7}


def test_who_changed_each_part_and_who_was_there() -> None:
    """Vision, strengths, concerns, minutes, contacts, the next meeting and attendance name
    everyone who changed them at the newer plan's meeting; attendance is that meeting's own."""
    old, new = next_plan()
    new["vision"] = "Anders"
    new["concerns"] = "Minder"
    new["minutes"] = "Kort overleg"
    new["next_meeting"] = "2027-03-01"
    new["contacts"] = {"onderwijs": "esther"}
    new["attendance"] = {"p1": "at_table", "lotte": "device", "esther": "sent_word"}
    new["changed_by"] = {
        "vision": ["lotte", "p1"],
        "concerns": ["esther"],
        "minutes": ["lotte"],
        "next_meeting": ["lotte"],
        "contacts": ["lotte"],
        "attendance": ["lotte"],
    }
    raw = diff(old, new)
    assert raw["changed_by"]["vision"] == ["lotte", "p1"]
    assert raw["attendance"] == [
        {"id": "esther", "mark": "sent_word", "last": None},
        {"id": "lotte", "mark": "device", "last": None},
        {"id": "p1", "mark": "at_table", "last": None},
    ]
    words = changes(old, new, {})
    assert section(words, "text_vision")[0]["by"] == (
        "Door Lotte Smit (regisseur, namens het gezin) en Zoë (gezin)"
    )
    assert section(words, "text_concerns")[0]["by"] == "Door Esther de Vries (hulpverlener)"
    for key in ("minutes", "next_meeting", "contacts", "attendance"):
        assert section(words, key)[0]["by"] == "Door Lotte Smit (regisseur)", key
    (there,) = section(words, "attendance")
    assert there["facts"] == [
        {"label": "Aan tafel, met een tablet of telefoon", "value": "Lotte Smit"},
        {"label": "Aan tafel, zonder tablet of telefoon", "value": "Zoë"},
        {"label": "Afgemeld", "value": "Esther de Vries"},
    ]
    # the next meeting starts knowing nobody's changes: they were the last meeting's
    assert carry.carry_forward(new, 2, PEOPLE)["changed_by"] == {}


def test_a_person_whose_record_changed_is_in_the_diff() -> None:
    old, new = next_plan()
    new["people"] = {
        **PEOPLE,
        "p1": {"name": "Zoë Bakker", "role": "family", "relation": "dochter"},
        "esther": {**PEOPLE["esther"], "organisation": "Schuldhulp"},
    }
    raw = diff(old, new)
    assert [(c["id"], c["fields"]) for c in raw["people"]["changed"]] == [
        ("esther", ["organisation"]),
        ("p1", ["name", "relation"]),
    ]
    esther, zoe = section(changes(old, new, {}), "people_changed")
    assert esther["fields"] == [
        {"label": "Gegevens", "before": "hulpverlener", "after": "hulpverlener, Schuldhulp"}
    ]
    assert [f["label"] for f in zoe["fields"]] == ["Naam", "Gegevens"]
    assert (zoe["fields"][0]["before"], zoe["fields"][0]["after"]) == ("Zoë", "Zoë Bakker")
