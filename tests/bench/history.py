"""A family with five years of history, for the join and close benchmarks.

40 plan versions (the demo's first plan, then versions growing to 200 goals and 1,000 actions,
each with its plan JSON and Yjs snapshot), a live meeting started with ``plans.start_meeting``
(which carries every open action forward, so its document holds all 200 goals and 1,000
actions), and ``edits`` small edits in its update log, typed by ten participants.

Samples need fresh meetings (a cold join loads, and leaving compacts the log; a meeting closes
once), so the live meeting is copied: more live meetings of the same family with the same
stored log (``start_meeting`` allows one live meeting per family; the websocket and close
checks only look at the family). A copy is either uncompacted (seed + every edit as a log
row) or compacted by the server's own ``SqlUpdateStore.compact``.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

from pycrdt import Array, Doc, Map, Text
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from server import plans
from server.access.sessions import create_invite
from server.cli.demo import _create_family
from server.crdt import schema
from server.settings import DEFAULT_SECRET
from server.storage.db import create_engine, migrate, sessionmaker
from server.storage.models import DocumentUpdate, Family, Meeting, Person, PlanVersion, utcnow
from server.storage.update_store import SqlUpdateStore

VERSIONS = 40
GOALS = 200
ACTIONS = 1000
TEXT = (
    "Daan gaat elke dag naar school en oma Ria helpt met het huiswerk; de schuldhulp "
    "maakt een overzicht van alle post. We praten één keer per week over geld, werk, "
    "gezondheid en vrije tijd. Zoë en Fatima brengen hem naar voetbal."
)
WORDS = TEXT.split()


def sentence(rng: random.Random, words: int) -> str:
    start = rng.randrange(len(WORDS))
    return " ".join(WORDS[(start + i) % len(WORDS)] for i in range(words)).capitalize()


def plan_version(number: int, people: list[str], rng: random.Random) -> schema.Plan:
    """Version ``number`` of 40: goals and actions grow linearly to 200 and 1,000."""
    goals_n = max(2, GOALS * number // VERSIONS)
    actions_n = max(3, ACTIONS * number // VERSIONS)
    plan = schema.empty_plan(f"Rondetafeloverleg {number}")
    plan["vision"] = sentence(rng, 25)
    plan["strengths"] = sentence(rng, 15)
    plan["concerns"] = sentence(rng, 15)
    plan["minutes"] = sentence(rng, 60)
    plan["goals"] = [
        {
            "id": f"doel-{g}",
            "text": sentence(rng, 8),
            "domain": schema.LIFE_DOMAINS[g % len(schema.LIFE_DOMAINS)],
            "author_id": people[g % len(people)],
            "author_role": "family",
            "score": rng.randrange(11),
            "professional_view": sentence(rng, 10),
        }
        for g in range(goals_n)
    ]
    plan["actions"] = [
        {
            "id": f"actie-{a}",
            "goal_id": f"doel-{a % goals_n}",
            "text": sentence(rng, 6),
            "owner_id": people[a % len(people)],
            "due": "2026-12-15",
            "status": rng.choice(("open", "partly", "not_done")),  # all carried forward
            "evaluation": sentence(rng, 5),
            "carried_from": max(1, number - 1 - a % 5) if a < actions_n // 2 else None,
        }
        for a in range(actions_n)
    ]
    return plan


def type_edits(seed: bytes, count: int, rng: random.Random, typists: int = 10) -> list[bytes]:
    """``count`` keystroke updates by ``typists`` participants, each typing runs of characters
    into goal and action texts (every 50th edit sets a score or a status instead)."""
    docs = []
    for _ in range(typists):
        doc: Doc = Doc()
        doc.apply_update(seed)
        docs.append(doc)
    captured: list[bytes] = []
    for doc in docs:
        doc.observe(lambda event: captured.append(event.update))
    state: list[tuple[str, int, str, int]] = [("", 0, "", -1) for _ in docs]
    for i in range(count):  # state: (list, item index, text field, UTF-8 byte position)
        who = rng.randrange(typists)
        doc = docs[who]
        kind, index, key, pos = state[who]
        if i % 50 == 49:
            name = "goals" if rng.random() < 0.3 else "actions"
            items = doc.get(name, type=Array)
            item = items[rng.randrange(len(items))]
            assert isinstance(item, Map)
            if name == "goals":
                item["score"] = rng.randrange(11)
            else:
                item["status"] = rng.choice(schema.ACTION_STATUSES)
            continue
        if pos < 0 or rng.random() < 0.05:  # move to another field
            kind = "goals" if rng.random() < 0.3 else "actions"
            index = rng.randrange(len(doc.get(kind, type=Array)))
            key = "text" if rng.random() < 0.7 else _second_text(kind)
            pos = -1
        item = doc.get(kind, type=Array)[index]
        assert isinstance(item, Map)
        text = item[key]
        assert isinstance(text, Text)
        if pos < 0:
            pos = len(text)  # pycrdt indexes Text in UTF-8 bytes; the end is a boundary
        char = rng.choice("abcdefghijklmnopqrstuvwxyz  ë")
        text.insert(pos, char)
        state[who] = (kind, index, key, pos + len(char.encode()))
    return captured


def _second_text(kind: str) -> str:
    return "professional_view" if kind == "goals" else "evaluation"


@dataclass
class History:
    """The prepared family: where its meetings are and how to sign in."""

    database_url: str
    family_id: str
    seed: bytes
    edits: list[bytes]
    final_state: bytes  # state vector of seed + edits: a joiner is synced once it has this
    doc_bytes: int  # size of the whole document as one update
    coordinator_token: str
    member_tokens: list[str]
    uncompacted: list[str] = field(default_factory=list)  # meeting ids
    compacted: list[str] = field(default_factory=list)
    build_seconds: float = 0.0


async def build(
    database_url: str, edits: int, uncompacted: int, compacted: int, members: int = 10
) -> History:
    """Migrate, create the family and its history, and ``uncompacted`` + ``compacted`` live
    meetings holding the same document."""
    started = time.monotonic()
    rng = random.Random(5)
    await asyncio.to_thread(migrate, database_url)
    engine = create_engine(database_url)
    try:
        async with sessionmaker(engine).begin() as db:
            family = await _create_family(db, "Familie Vijf Jaar")
            people = list(
                await db.scalars(
                    select(Person).where(Person.family_id == family.id).order_by(Person.created_at)
                )
            )
            ids = [p.id for p in people]
            for number in range(2, VERSIONS + 1):
                await _add_version(db, family, number, ids, rng)
            first = await plans.start_meeting(db, family, "Rondetafeloverleg 41")
            seed = await db.scalar(
                select(DocumentUpdate.data).where(DocumentUpdate.meeting_id == first.id)
            )
            assert seed is not None
            coordinator = next(p for p in people if p.role == "coordinator")
            coordinator_token = await create_invite(
                db, DEFAULT_SECRET, first, coordinator, "coordinator", timedelta(hours=12)
            )
            member_tokens = [
                await create_invite(
                    db,
                    DEFAULT_SECRET,
                    first,
                    people[i % len(people)],
                    people[i % len(people)].role,
                    timedelta(hours=12),
                )
                for i in range(members)
            ]
        typed = await asyncio.to_thread(type_edits, seed, edits, rng)
        final: Doc = Doc()
        final.apply_update(seed)
        for update in typed:
            final.apply_update(update)
        history = History(
            database_url,
            family.id,
            seed,
            typed,
            final.get_state(),
            len(final.get_update()),
            coordinator_token,
            member_tokens,
        )
        # the first meeting gets the log too; then the copies
        await _append(engine, first.id, typed)
        history.uncompacted.append(first.id)
        for _ in range(uncompacted - 1):
            history.uncompacted.append(await _copy(engine, family.id, seed, typed))
        store = SqlUpdateStore(engine)
        for _ in range(compacted):
            meeting_id = await _copy(engine, family.id, seed, typed)
            await store.compact(meeting_id)
            history.compacted.append(meeting_id)
    finally:
        await engine.dispose()
    history.build_seconds = time.monotonic() - started
    return history


async def _add_version(
    db: AsyncSession, family: Family, number: int, people: list[str], rng: random.Random
) -> None:
    plan = plan_version(number, people, rng)
    plan["people"] = await plans.people_of(db, family.id)
    meeting = Meeting(
        family_id=family.id,
        title=plan["title"],
        status="closed",
        join_code=plans.new_join_code(),
        started_at=utcnow(),
        closed_at=utcnow(),
    )
    db.add(meeting)
    await db.flush()
    doc: Doc = Doc()
    schema.seed(doc, plan, status="closed")
    db.add(
        PlanVersion(
            family_id=family.id,
            number=number,
            meeting_id=meeting.id,
            plan=plan,
            snapshot=doc.get_update(),
        )
    )


async def _append(engine: AsyncEngine, meeting_id: str, updates: list[bytes]) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            insert(DocumentUpdate), [{"meeting_id": meeting_id, "data": u} for u in updates]
        )


async def _copy(engine: AsyncEngine, family_id: str, seed: bytes, updates: list[bytes]) -> str:
    async with sessionmaker(engine).begin() as db:
        meeting = Meeting(
            family_id=family_id,
            title="Rondetafeloverleg 41 (kopie)",
            status="live",
            join_code=plans.new_join_code(),
            started_at=utcnow(),
        )
        db.add(meeting)
        await db.flush()
        meeting_id = meeting.id
    await _append(engine, meeting_id, [seed, *updates])
    return meeting_id
