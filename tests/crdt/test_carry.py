"""The carry-over contract as a property (issue 17): over random plans, closing a meeting and
starting the next carries every element that must carry exactly once, and nothing that must not.

The path is the real one minus the database: the closing document is seeded from the random
plan and read back with ``schema.extract`` (what ``close_meeting`` stores), the next meeting's
document is seeded from ``carry.carry_forward`` (what ``start_meeting`` stores) and read back.
Seeded ``random.Random`` generators (no extra dependency); 200 seeds run in about a second."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest
from pycrdt import Doc

from server.crdt import carry, part_trace, schema

SEEDS = 200
WORDS = ["Zoë", "naar school", "geëvalueerd 👍", "rust", "oma helpt", "schulden", "", "coördinator"]
PEOPLE = [f"p{i}" for i in range(6)]


def words(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 4))).strip()


def maybe(rng: random.Random, value: Any) -> Any:
    return value if rng.random() < 0.5 else None


def random_item(rng: random.Random, name: str, n: int) -> dict[str, Any]:
    item: dict[str, Any] = {"id": f"{name}-{n}"}
    for key, kind in schema.ITEM_FIELDS[name].items():
        if key == "id":
            continue
        item[key] = {
            "text": lambda: words(rng),
            "id": lambda: maybe(rng, rng.choice(PEOPLE)),
            "str": lambda: maybe(rng, rng.choice(["2026-12-02", "family", "partly"])),
            "score": lambda: maybe(rng, rng.randint(0, 10)),
            "int": lambda: maybe(rng, rng.randint(1, 9)),
            "status": lambda: rng.choice(schema.ACTION_STATUSES),
        }[kind]()
    item["removed_at"] = "2026-12-02" if rng.random() < 0.2 else None
    if name == "decisions":
        item["lifted_at"] = "2026-11-30" if rng.random() < 0.3 else None
    return item


def random_plan(rng: random.Random) -> schema.Plan:
    plan = schema.empty_plan(words(rng))
    for name in schema.TEXTS:
        plan[name] = words(rng)
    plan["next_meeting"] = maybe(rng, "2027-01-15")
    plan["people"] = {p: {k: words(rng) for k in schema.PERSON_FIELDS} for p in PEOPLE[:3]}
    domains = rng.sample(schema.LIFE_DOMAINS, rng.randint(0, 4))
    plan["contacts"] = {d: rng.choice(PEOPLE) for d in domains}
    plan["attendance"] = {p: rng.choice(schema.ATTENDANCE) for p in rng.sample(PEOPLE[:3], 2)}
    plan["changed_by"] = {p: sorted(rng.sample(PEOPLE, 2)) for p in rng.sample(part_trace.PARTS, 3)}
    texts = rng.sample(schema.TEXTS, rng.randint(0, len(schema.TEXTS)))
    plan["languages"] = {name: rng.choice(["nl", "ar", "pt-BR", "tr"]) for name in texts}
    for name in schema.LISTS:
        plan[name] = [random_item(rng, name, n) for n in range(rng.randint(0, 8))]
    return plan


def through(plan: schema.Plan) -> schema.Plan:
    """A plan as a meeting document holds it and as closing reads it back."""
    doc = Doc()
    schema.seed(doc, plan)
    return schema.extract(doc)


def ids(items: list[dict[str, Any]]) -> Counter[str]:
    return Counter(item["id"] for item in items)


@pytest.mark.parametrize("seed", range(SEEDS))
def test_closing_then_starting_the_next_carries_exactly_what_the_contract_says(seed: int) -> None:
    rng = random.Random(seed)
    closed = through(random_plan(rng))  # the plan version a close writes
    version = rng.randint(1, 40)
    family_file = {"p9": {k: "uit het dossier" for k in schema.PERSON_FIELDS}}
    nxt = through(carry.carry_forward(closed, version, family_file))  # the next meeting

    removed = {item["id"] for item in closed["removed"]}
    assert nxt["removed"] == []  # removed items stay in the version that removed them
    assert not removed & set(ids(nxt["goals"]) | ids(nxt["actions"]) | ids(nxt["decisions"]))

    assert ids(nxt["goals"]) == ids(closed["goals"])
    for before, after in zip(closed["goals"], nxt["goals"], strict=True):
        last = before["score"] if before["score"] is not None else before["last_score"]
        assert after == {**before, "score": None, "last_score": last}

    open_actions = [a for a in closed["actions"] if a["status"] != "done"]
    assert ids(nxt["actions"]) == ids(open_actions)
    for before, after in zip(open_actions, nxt["actions"], strict=True):
        assert after == {
            **before,
            "evaluation": "",
            "last_status": before["status"],
            "last_evaluation": before["evaluation"] or None,
            "carried_from": before["carried_from"] or version,
        }

    in_force = [d for d in closed["decisions"] if not d["lifted_at"]]
    assert nxt["decisions"] == in_force

    for name in ("vision", "strengths", "concerns", "contacts"):
        assert nxt[name] == closed[name]
    # each text with its language; the minutes' stays with the minutes
    assert nxt["languages"] == {k: v for k, v in closed["languages"].items() if k != "minutes"}
    assert nxt["people"] == family_file
    assert (nxt["minutes"], nxt["next_meeting"]) == ("", None)
    # each meeting marks who is there and knows who changed what in it: none of it carries
    assert closed["attendance"] and closed["changed_by"]
    assert (nxt["attendance"], nxt["changed_by"]) == ({}, {})
