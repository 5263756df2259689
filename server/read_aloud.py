"""What the server reads aloud for a family: words that are already there for it, nothing else.

The read-aloud button sends the text it shows (in a POST body: no text in a URL or a log
line). The server speaks it only if, with its white space folded, it is

- a whole text of the family's plan: any string of its live meeting's document or of one of
  its plan versions (a goal's words, an action, a decision and its reason, a name), or
- a text of the UI catalogue (``server/messages.py``, Fluent) in the language it is read in,
  in any of its plural variants (a label, an agenda step's explanation); a placeable there
  matches a number only, so ``"Doel { $n }"`` cannot carry other words.

So it is no free speech service: a session of one family cannot have another family's words
spoken (nor learn whether they exist), nor words of its own choosing. The page reads a long
text (the plan page) as a row of such pieces, each in its own language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from fluent.syntax import ast
from sqlalchemy import select

from . import messages
from .crdt import schema
from .services import Services
from .storage.models import Meeting, MeetingStatus, PlanVersion

MAX_CHARACTERS = 5_000  # the longest text a family writes (vision, strengths, concerns)
# a placeable matches a number only (so "Doel { $n }" cannot carry other words), with the
# isolation marks a right-to-left language puts around it, when it does
_NUMBER = "\u2068?\\d{1,4}\u2069?"


def folded(text: str) -> str:
    """The text as compared: white space folded to single spaces (the page's layout and the
    document's line breaks differ)."""
    return " ".join(text.split())


@cache
def _catalogue(code: str) -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    """Every message of one language (server/messages.py's Fluent catalogue): a text without
    placeables as it is, one with them as a pattern; a plural's every variant is in it."""
    exact: set[str] = set()
    patterns: set[str] = set()
    for section in messages.parsed(code).values():
        found = {m.id.name: m for m in section}
        for message in section:
            if message.value is None:
                continue
            plain = _plain(message.value)
            if plain is not None:
                exact.add(folded(plain))
            else:
                patterns.add(_pattern(message.value, found, set()))
    return frozenset(exact), tuple(re.compile(p) for p in sorted(patterns))


def in_catalogue(text: str, lang: str) -> bool:
    """Whether ``text`` is a message of the catalogue of ``lang`` (a BCP 47 tag): a label is
    read in the language it is shown in, so only that language is parsed (~0.3 s of Python the
    first time, where all six took 1.6 s)."""
    code = lang.strip().lower().split("-")[0]
    if code not in messages.language_codes():
        return False
    exact, patterns = _catalogue(code)
    return text in exact or any(p.fullmatch(text) for p in patterns)


def _plain(pattern: ast.Pattern) -> str | None:
    """A pattern of text only, as Fluent formats it; None when it has a placeable."""
    if all(isinstance(e, ast.TextElement) for e in pattern.elements):
        return "".join(e.value for e in pattern.elements if isinstance(e, ast.TextElement))
    return None


def _pattern(pattern: ast.Pattern, found: dict[str, ast.Message], seen: set[str]) -> str:
    """A regular expression for what ``pattern`` can be formatted to, white space folded."""
    out: list[str] = []
    for element in pattern.elements:
        if isinstance(element, ast.TextElement):
            out.append("\\s+".join(re.escape(word) for word in re.split(r"\s+", element.value)))
        elif isinstance(element, ast.Placeable):
            out.append(_placeable(element.expression, found, seen))
    return "".join(out)


def _placeable(expression: Any, found: dict[str, ast.Message], seen: set[str]) -> str:
    if isinstance(expression, ast.SelectExpression):
        variants = (_pattern(v.value, found, seen) for v in expression.variants)
        return "\u2068?(?:" + "|".join(variants) + ")\u2069?"
    if isinstance(expression, (ast.StringLiteral, ast.NumberLiteral)):
        return re.escape(str(expression.parse()["value"]))
    if isinstance(expression, ast.Placeable):
        return _placeable(expression.expression, found, seen)
    if (
        isinstance(expression, ast.MessageReference)
        and expression.id.name in found
        and expression.id.name not in seen
        and (value := found[expression.id.name].value) is not None
    ):
        return _pattern(value, found, seen | {expression.id.name})
    return _NUMBER  # a variable, a function of one (NUMBER, DATETIME): only digits


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
            if text in _strings(schema.extract(room.doc)):
                return True
    async with state.sessions() as db:
        plans = await db.scalars(
            select(PlanVersion.plan)
            .where(PlanVersion.family_id == family_id)
            .order_by(PlanVersion.number.desc())
        )
        return any(text in _strings(plan) for plan in plans)


def _strings(node: Any) -> Iterator[str]:
    """Every string in a plan's JSON, folded; lazily, so a match stops the walk."""
    if isinstance(node, str):
        yield folded(node)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
