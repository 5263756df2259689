"""Attendance (issue 18): who is at the table without a device, absent or sent word. Only the
coordinator marks it, only for the document's people, only in the attendance words; it goes
into the plan, with ``device`` for whoever joined with one."""

from __future__ import annotations

from typing import Any

import pytest
from pycrdt import Doc, Map

from server import plans
from server.crdt import carry, schema
from server.crdt.manager import RoomManager
from tests.crdt.test_gate import Edit, outcome
from tests.test_schema import sample_plan


def mark(person_id: str, value: Any) -> Edit:
    return lambda doc: doc.get("attendance", type=Map).__setitem__(person_id, value)


def unmark(person_id: str) -> Edit:
    return lambda doc: doc.get("attendance", type=Map).__delitem__(person_id)


@pytest.mark.parametrize("role", ["family", "network", "professional", "coordinator"])
async def test_only_the_coordinator_marks_attendance(manager: RoomManager, role: str) -> None:
    expected = "saved" if role == "coordinator" else "refused"
    assert await outcome(manager, role, mark("p1", "at_table")) == expected


@pytest.mark.parametrize(
    "edit",
    [
        mark("p1", "present"),  # not an attendance word
        mark("p1", "device"),  # the server's own word, written at closing
        mark("p1", 1),
        mark("p1", None),
        mark("p1", Map({"x": "at_table"})),
        mark("stranger", "absent"),  # not one of the people: a key is never free text
        mark("Mijn geheime notitie", "absent"),
    ],
)
async def test_a_wrong_mark_is_refused(manager: RoomManager, edit: Edit) -> None:
    assert await outcome(manager, "coordinator", edit) in ("refused", "malformed")


async def test_the_coordinator_may_unmark_and_others_may_not(manager: RoomManager) -> None:
    assert await outcome(manager, "coordinator", mark("p1", "sent_word")) == "saved"
    assert await outcome(manager, "family", unmark("p1")) == "refused"
    assert await outcome(manager, "coordinator", unmark("p1")) == "saved"


def test_attendance_goes_into_the_plan_and_back() -> None:
    plan = sample_plan()
    plan["attendance"] = {"p1": "at_table"}
    doc = Doc()
    schema.seed(doc, plan)
    assert schema.extract(doc)["attendance"] == {"p1": "at_table"}


def test_marks_of_unknown_people_or_words_are_not_read() -> None:
    doc = Doc()
    schema.seed(doc, sample_plan())
    doc.get("attendance", type=Map)["ghost"] = "absent"
    doc.get("attendance", type=Map)["p1"] = "somewhere"
    assert schema.extract(doc)["attendance"] == {}


def test_the_version_adds_who_joined_with_a_device_unless_marked() -> None:
    plan = sample_plan()
    plan["people"]["p2"] = {**plan["people"]["p1"], "name": "Mark"}
    plan["people"]["p3"] = {**plan["people"]["p1"], "name": "Oma"}
    plan["attendance"] = {"p2": "at_table", "p3": "sent_word"}
    joined = {"p1", "p3", "screen-abc", "someone-of-another-family"}
    assert plans.with_devices(plan, joined) == {
        "p1": "device",
        "p2": "at_table",
        "p3": "sent_word",  # the coordinator's word stands
    }


def test_the_next_meeting_starts_without_attendance() -> None:
    plan = sample_plan()
    plan["attendance"] = {"p1": "absent"}
    assert carry.carry_forward(plan, 3)["attendance"] == {}
