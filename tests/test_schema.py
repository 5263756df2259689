"""The meeting document's shape: seed ↔ extract, carrying forward, and the browser's copy."""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Doc, Map, Text

from server.crdt import carry, schema
from tests.browser_module import browser_export


def sample_plan() -> dict[str, Any]:
    plan = schema.empty_plan("Overleg")
    plan.update(
        {
            "vision": "Rust in huis 🏠",
            "strengths": "Oma helpt",
            "concerns": "Schulden",
            "minutes": "Zoë was er ook.",
            "next_meeting": "2027-01-15",
            "languages": {"vision": "ar", "minutes": "pt-BR"},
            "people": {
                "p1": {
                    "name": "Zoë",
                    "role": "family",
                    "relation": "dochter",
                    "organisation": "",
                    "offers": "",
                }
            },
            "goals": [
                {
                    "id": "g1",
                    "text": "Naar school",
                    "domain": "onderwijs",
                    "author_id": "p1",
                    "author_role": "family",
                    "score": 4,
                    "professional_view": "Goed plan",
                }
            ],
            "actions": [
                {
                    "id": "a1",
                    "goal_id": "g1",
                    "text": "Wekker",
                    "owner_id": "p1",
                    "due": None,
                    "status": "done",
                    "evaluation": "",
                    "carried_from": None,
                },
                {
                    "id": "a2",
                    "goal_id": "g1",
                    "text": "Gesprek",
                    "owner_id": "p1",
                    "due": "2026-12-01",
                    "status": "partly",
                    "evaluation": "half",
                    "carried_from": 1,
                },
            ],
            "contacts": {"onderwijs": "p1"},
            "decisions": [
                {
                    "id": "d1",
                    "text": "Toezicht",
                    "reason": "Veiligheid",
                    "options": "Als dit, dan dat",
                    "decided_by": "p1",
                }
            ],
        }
    )
    return complete(plan)


def complete(plan: dict[str, Any]) -> dict[str, Any]:
    """Every item with every field of the schema (the ones not given empty), as ``extract``
    gives them back."""
    for name in schema.LISTS:
        empty = {k: "" if kind == "text" else None for k, kind in schema.ITEM_FIELDS[name].items()}
        plan[name] = [{**empty, **item} for item in plan[name]]
    return plan


def test_seed_then_extract_gives_the_same_plan() -> None:
    plan = sample_plan()
    doc = Doc()
    schema.seed(doc, plan)
    assert schema.extract(doc) == plan
    remote = Doc()
    remote.apply_update(doc.get_update())
    assert schema.extract(remote) == plan


def test_carry_forward_keeps_open_actions_with_last_time_beside_this_time() -> None:
    nxt = carry.carry_forward(sample_plan(), version=3)
    assert [a["id"] for a in nxt["actions"]] == ["a2"]
    assert nxt["actions"][0] == {
        **sample_plan()["actions"][1],
        "status": "partly",  # still what the plan says until someone evaluates it
        "evaluation": "",  # this meeting's evaluation: empty until someone writes it
        "last_status": "partly",
        "last_evaluation": "half",
        "carried_from": 1,
    }
    # this time's score is empty until someone scores; last time's is beside it
    assert nxt["goals"][0]["score"] is None and nxt["goals"][0]["last_score"] == 4
    assert nxt["minutes"] == "" and nxt["next_meeting"] is None
    assert nxt["languages"] == {"vision": "ar"}  # the minutes' language stays with them
    assert [d["id"] for d in nxt["decisions"]] == ["d1"]  # a decision in force carries


def test_a_removed_item_is_in_the_plan_as_removed_and_back_in_the_document() -> None:
    doc = Doc()
    schema.seed(doc, sample_plan())
    goal = doc.get("goals", type=Array)[0]
    goal["removed_at"], goal["removed_by"] = "2026-12-02", "p1"
    plan = schema.extract(doc)
    assert plan["goals"] == [] and [r["id"] for r in plan["removed"]] == ["g1"]
    assert plan["removed"][0]["list"] == "goals" and plan["removed"][0]["removed_by"] == "p1"
    again = Doc()
    schema.seed(again, plan)
    assert schema.extract(again) == plan


def test_extract_tolerates_what_any_client_may_write() -> None:
    doc = Doc()
    schema.seed(doc, sample_plan())
    goals = doc.get("goals", type=Array)
    goals.append("not a map")
    goals.append(Map({"id": 5.0, "score": 42.0, "text": "plain string"}))
    goals[0]["score"] = 7.0  # JS numbers arrive as floats
    doc.get("actions", type=Array)[0]["status"] = "weird"
    doc.get("actions", type=Array)[1]["carried_from"] = float("inf")
    goals.append(Map({"id": "nan", "score": float("nan")}))
    plan = schema.extract(doc)
    assert plan["goals"][-1]["score"] is None and plan["actions"][1]["carried_from"] is None
    plan["goals"].pop()
    assert [g["id"] for g in plan["goals"]] == ["g1", "5"]
    assert plan["goals"][0]["score"] == 7
    assert plan["goals"][1]["score"] == 10 and plan["goals"][1]["text"] == "plain string"
    assert plan["actions"][0]["status"] == "open"


def test_a_language_that_is_no_tag_reads_as_none() -> None:
    doc = Doc()
    schema.seed(doc, sample_plan())
    meta = doc.get("meta", type=Map)
    meta["strengths_lang"] = "Nederlands; DROP"
    meta["concerns_lang"] = 7.0
    meta["minutes_lang"] = Map({"a": "nl"})
    assert schema.extract(doc)["languages"] == {"vision": "ar"}


def test_a_plan_from_before_texts_kept_their_language_still_seeds() -> None:
    plan = sample_plan()
    del plan["languages"]
    doc = Doc()
    schema.seed(doc, plan)
    assert schema.extract(doc) == {**plan, "languages": {}}
    assert carry.carry_forward(plan, version=2)["languages"] == {}


def test_action_of_a_deleted_goal_stays_in_the_plan_without_goal() -> None:
    doc = Doc()
    schema.seed(doc, sample_plan())
    del doc.get("goals", type=Array)[0]
    plan = schema.extract(doc)
    assert [a["id"] for a in plan["actions"]] == ["a1", "a2"]
    assert {a["goal_id"] for a in plan["actions"]} == {None}


def test_text_fields_are_collaborative_text() -> None:
    doc = Doc()
    schema.seed(doc, sample_plan())
    goal = doc.get("goals", type=Array)[0]
    assert isinstance(goal["text"], Text) and isinstance(goal["professional_view"], Text)


def test_browser_schema_module_agrees_with_the_server() -> None:
    assert browser_export("schema.js", "m.NAMES") == schema.names()
