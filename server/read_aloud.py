"""What the server reads aloud for a family: words that are already there for it, nothing else.

The read-aloud button sends the text it shows (in a POST body: no text in a URL or a log
line). The server speaks it only if, with its white space folded, it is

- a whole text of the family's plan: any string of its live meeting's document or of one of
  its plan versions (a goal's words, an action, a decision and its reason, a name), or
- a text of the UI catalogue, in any language (a label, an agenda step's explanation); a
  placeholder there matches a number only, so ``"Stap {n}"`` cannot carry other words.

So it is no free speech service: a session of one family cannot have another family's words
spoken (nor learn whether they exist), nor words of its own choosing. The page reads a long
text (the plan page) as a row of such pieces, each in its own language.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from sqlalchemy import select

from . import messages
from .crdt import schema
from .services import Services
from .storage.models import Meeting, MeetingStatus, PlanVersion

MAX_CHARACTERS = 5_000  # the longest text a family writes (vision, strengths, concerns)
_PLACEHOLDER = re.compile(r"\\\{\w+\\\}")


def folded(text: str) -> str:
    """The text as compared: white space folded to single spaces (the page's layout and the
    document's line breaks differ)."""
    return " ".join(text.split())


@cache
def _catalogue() -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    exact: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for path in sorted(messages.MESSAGES.glob("*/*.json")):  # every language, lists too
        for text in set(_strings(json.loads(path.read_text(encoding="utf-8")))):
            if "{" not in text:
                exact.add(text)
            else:
                patterns.append(re.compile(_PLACEHOLDER.sub(r"\\d{1,4}", re.escape(text))))
    return frozenset(exact), tuple(patterns)


def in_catalogue(text: str) -> bool:
    exact, patterns = _catalogue()
    return text in exact or any(p.fullmatch(text) for p in patterns)


async def in_family(state: Services, family_id: str, text: str) -> bool:
    """Whether ``text`` (folded) is a whole text of the family's live meeting or plan versions.
    The live meeting first: that is where most is read, and words typed a moment ago are
    nowhere else yet."""
    async with state.sessions() as db:
        live = list(
            await db.scalars(
                select(Meeting.id).where(
                    Meeting.family_id == family_id, Meeting.status == MeetingStatus.LIVE
                )
            )
        )
    for meeting_id in live:
        async with state.rooms.hold(meeting_id) as room:
            if text in set(_strings(schema.extract(room.doc))):
                return True
    async with state.sessions() as db:
        plans = await db.scalars(
            select(PlanVersion.plan)
            .where(PlanVersion.family_id == family_id)
            .order_by(PlanVersion.number.desc())
        )
        return any(text in set(_strings(plan)) for plan in plans)


def _strings(node: Any) -> Iterator[str]:
    """Every string in a plan's JSON, folded."""
    if isinstance(node, str):
        yield folded(node)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
