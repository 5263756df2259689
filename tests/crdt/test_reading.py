"""Reading never trusts the shape (issue 14, item 5): ``schema.extract`` reads the schema's
keys at the schema's depth and skips the rest, whatever a client wrote."""

from __future__ import annotations

import logging

import pytest
from pycrdt import Array, Doc, Map, Text

from server.crdt import schema
from tests.test_schema import sample_plan


def nested_goal(doc: Doc, depth: int, container: type[Map] | type[Array] = Map) -> None:
    """A goal whose ``text`` is a Map (or Array) in a Map … ``depth`` deep, built level by
    level as Yrs integrates it."""
    goals = doc.get("goals", type=Array)
    with doc.transaction():
        goals.append(Map({"id": "bomb", "text": Map({}), "score": 3}))
        level = goals[len(goals) - 1]["text"]
        for _ in range(depth):
            level["a"] = container([]) if container is Array else Map({})
            if container is Array:
                break
            level = level["a"]


@pytest.mark.parametrize("depth", [1_500, 30_000])
def test_a_deeply_nested_goal_is_skipped_and_the_rest_is_read(
    depth: int, caplog: pytest.LogCaptureFixture
) -> None:
    doc = Doc()
    schema.seed(doc, sample_plan())
    nested_goal(doc, depth)
    with caplog.at_level(logging.WARNING, "server.crdt.schema"):
        plan = schema.extract(doc)
    assert [g["id"] for g in plan["goals"]] == ["g1", "bomb"]
    assert plan["goals"][1]["text"] == "" and plan["goals"][1]["score"] == 3
    assert plan["goals"][0] == sample_plan()["goals"][0]
    assert "unexpected shape" in caplog.text and "goals" in caplog.text


def test_wrong_kinds_everywhere_read_as_empty_values() -> None:
    doc = Doc()
    schema.seed(doc, sample_plan())
    with doc.transaction():
        doc.get("meta", type=Map)["title"] = Map({"x": Map({})})
        doc.get("people", type=Map)["intruder"] = Array([1, 2])
        doc.get("people", type=Map)["p1"]["name"] = [[[["deep"]]]]
        doc.get("contacts", type=Map)["onderwijs"] = Map({})
        doc.get("actions", type=Array)[0]["status"] = {"a": {"b": 1}}
        doc.get("decisions", type=Array).append(Text("not a map"))
    plan = schema.extract(doc)
    assert plan["title"] == ""
    assert list(plan["people"]) == ["p1"] and plan["people"]["p1"]["name"] == ""
    assert plan["contacts"] == {}
    assert plan["actions"][0]["status"] == "open"
    assert [d["id"] for d in plan["decisions"]] == [d["id"] for d in sample_plan()["decisions"]]


def test_a_deep_value_held_as_json_is_not_serialised() -> None:
    doc = Doc()
    schema.seed(doc, sample_plan())
    deep: list[object] = []
    for _ in range(900):  # within what the decoder takes; str() of it would recurse in Python
        deep = [deep]
    doc.get("goals", type=Array)[0]["domain"] = deep
    plan = schema.extract(doc)
    assert plan["goals"][0]["domain"] is None and plan["goals"][0]["text"] == "Naar school"
