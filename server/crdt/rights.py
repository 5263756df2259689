"""Who may write what in the meeting document, and how much of it: the one table in code.

Mirrors "Who may write what" in DESIGN.md (and ``web/src/rights.js`` mirrors this module; a
test checks that both agree). The gate (``gate.py``) enforces it on every update a client
sends; the server's own edits (seeding, closing) do not pass the gate.

| part of the document                          | who may write it                                |
| --------------------------------------------- | ----------------------------------------------- |
| a goal's words (``text``), its domain, score  | its author, the family, the coordinator         |
| a goal's ``professional_view``                | professionals, the coordinator                  |
| actions (text, goal, owner, due, status,      | everyone at the table but the screen            |
| evaluation)                                   |                                                 |
| decisions (``text``, ``reason``, ``options``) | the coordinator and professionals               |
| an item's ``lang`` (its words' language),     | whoever may write (or add to) those words       |
| a text's language (``meta.vision_lang`` …)    |                                                 |
| vision, strengths                             | the family, the network, the coordinator        |
| concerns                                      | the same; professionals may add (not delete)    |
| minutes, contacts, next meeting, title,       | the coordinator                                 |
| the shared agenda step, attendance            |                                                 |
| adding a goal / an action                     | everyone at the table but the screen            |
| adding a decision                             | the coordinator and professionals               |
| removing a goal / action / decision           | the coordinator; a goal also the family         |
| (setting its ``removed_at``)                  |                                                 |
| lifting a decision (``lifted_at``)            | the coordinator and professionals               |
| deleting an item from its list outright       | nobody: removing leaves a trace                 |
| ``meta.status``, ``people``, ``author_id``,   | the server only                                 |
| ``author_role``, ``decided_by``,              |                                                 |
| ``changed_by``, ``removed_by``, ``lifted_by``,|                                                 |
| ``last_*``, ``carried_from``, an item's       |                                                 |
| ``id`` once set; the ``changed_by`` map       |                                                 |
| (who changed a part: ``part_trace.py``)       |                                                 |

Authorship is stamped by the server: whatever ``author_id`` / ``author_role`` /
``decided_by`` a client writes into an item it creates, the server overwrites them with the
session's person and role in the same relayed update (``STAMPS``); a client can never change
them afterwards. Who changed an item last (``changed_by``), removed it (``removed_by``) or
lifted a decision (``lifted_by``) is stamped the same way, in the update that did it
(``SET_STAMPS``, ``CHANGED_BY``). "What the family wanted or says about a decision" has no
field in the schema yet; when it gets one, its writers are the family and the coordinator.

Limits (enforced by the gate, shown by the page before they are reached): characters per text
field (``Field.limit``), items per list (``ListRule.max_items``), and the bytes a meeting's
document may take (``DOCUMENT_BYTES``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .schema import (
    ACTION_STATUSES,
    ATTENDANCE,
    ITEM_FIELDS,
    LANGUAGE_TAG,
    LIFE_DOMAINS,
    LISTS,
    TEXT_LANGS,
    TEXTS,
    Role,
)

C, F, N, P = Role.COORDINATOR, Role.FAMILY, Role.NETWORK, Role.PROFESSIONAL
AT_THE_TABLE = frozenset({C, F, N, P})  # everyone but the screen
SERVER_ONLY: frozenset[Role] = frozenset()

AGENDA_STEPS = 7  # the default agenda of DOMAIN.md; ``meta.agenda_step`` is 0 … 6
DOCUMENT_BYTES = 8 << 20  # per meeting: the snapshot plus every update stored since
SHORT = 200  # characters of a title, a domain, an id, a date


@dataclass(frozen=True, slots=True)
class Field:
    """One writable value: its kind, who may write it, and its length limit in characters.

    kinds: ``text`` (a collaborative Y.Text), ``str``, ``id``, ``date`` (ISO date or null),
    ``domain``, ``score`` (int 0–10 or null), ``status``, ``int`` (or null), ``step``,
    ``attendance`` (a mark of ``schema.ATTENDANCE``), ``lang`` (a language tag or null: the
    language of an item's or a text's words, written by whoever may write them)."""

    kind: str
    writers: frozenset[Role]
    limit: int = SHORT
    author_too: bool = False  # the item's author may write it as well
    appenders: frozenset[Role] = frozenset()  # may insert characters, never delete them


@dataclass(frozen=True, slots=True)
class ListRule:
    adders: frozenset[Role]
    max_items: int  # items not removed
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def removers(self) -> frozenset[Role]:
        """Who may set ``removed_at`` (nobody deletes an item outright): its writers."""
        return self.fields["removed_at"].writers


def _trace(removers: frozenset[Role]) -> dict[str, Field]:
    """The fields every list item has for its trace: who changed it, whether it was removed."""
    return {
        "changed_by": Field("id", SERVER_ONLY),
        "removed_at": Field("date", removers),
        "removed_by": Field("id", SERVER_ONLY),
    }


def _words(limit: int, *writers: Role, **kw: Any) -> Field:
    return Field("text", frozenset(writers), limit, **kw)


ROOT_TEXTS: dict[str, Field] = {
    "vision": _words(5_000, F, N, C),
    "strengths": _words(5_000, F, N, C),
    "concerns": _words(5_000, F, N, C, appenders=frozenset({P})),
    "minutes": _words(20_000, C),
}
META: dict[str, Field] = {
    "title": Field("str", frozenset({C})),
    "status": Field("str", SERVER_ONLY),
    "agenda_step": Field("step", frozenset({C})),
    "next_meeting": Field("date", frozenset({C})),
    # a text's language: the page of whoever gives the empty text its first words sets it,
    # and a professional's added concerns may be those first words
    **{
        key: Field("lang", ROOT_TEXTS[text].writers | ROOT_TEXTS[text].appenders)
        for text, key in TEXT_LANGS.items()
    },
}
CONTACT = Field("id", frozenset({C}))  # contacts: life domain → person id
CONTACT_KEYS = frozenset(LIFE_DOMAINS)
# attendance: person id (one of the document's people) → how they take part; unmarking deletes
ATTENDANCE_MARK = Field("attendance", frozenset({C}))
PEOPLE = SERVER_ONLY

_ITEM_ID = Field("id", SERVER_ONLY)  # written by whoever creates the item, then never again
LIST_RULES: dict[str, ListRule] = {
    "goals": ListRule(
        adders=AT_THE_TABLE,
        max_items=100,
        fields={
            "id": _ITEM_ID,
            "text": _words(500, F, C, author_too=True),
            "domain": Field("domain", frozenset({F, C}), author_too=True),
            "author_id": Field("id", SERVER_ONLY),
            "author_role": Field("str", SERVER_ONLY),
            "score": Field("score", frozenset({F, C}), author_too=True),
            "professional_view": _words(2_000, P, C),
            "last_score": Field("score", SERVER_ONLY),
            "lang": Field("lang", frozenset({F, C}), author_too=True),
            **_trace(frozenset({C, F})),
        },
    ),
    "actions": ListRule(
        adders=AT_THE_TABLE,
        max_items=300,
        fields={
            "id": _ITEM_ID,
            "goal_id": Field("id", AT_THE_TABLE),
            "text": _words(500, *AT_THE_TABLE),
            "owner_id": Field("id", AT_THE_TABLE),
            "due": Field("date", AT_THE_TABLE),
            "status": Field("status", AT_THE_TABLE),
            "evaluation": _words(2_000, *AT_THE_TABLE),
            "carried_from": Field("int", SERVER_ONLY),
            "author_id": Field("id", SERVER_ONLY),
            "author_role": Field("str", SERVER_ONLY),
            "last_status": Field("str", SERVER_ONLY),
            "last_evaluation": Field("str", SERVER_ONLY),
            "lang": Field("lang", AT_THE_TABLE),
            **_trace(frozenset({C})),
        },
    ),
    "decisions": ListRule(
        adders=frozenset({C, P}),
        max_items=50,
        fields={
            "id": _ITEM_ID,
            "text": _words(2_000, C, P),
            "reason": _words(2_000, C, P),
            "options": _words(2_000, C, P),
            "decided_by": Field("id", SERVER_ONLY),
            "lifted_at": Field("date", frozenset({C, P})),
            "lifted_by": Field("id", SERVER_ONLY),
            "lang": Field("lang", frozenset({C, P})),
            **_trace(frozenset({C})),
        },
    ),
}
# stamped by the server on every item a client creates: field → what of the sender's identity
STAMPS: dict[str, dict[str, str]] = {
    "goals": {"author_id": "person_id", "author_role": "role"},
    "actions": {"author_id": "person_id", "author_role": "role"},
    "decisions": {"decided_by": "person_id"},
}
# stamped when a client gives the first field a value: the second gets the sender's person id
SET_STAMPS: dict[str, dict[str, str]] = {
    "goals": {"removed_at": "removed_by"},
    "actions": {"removed_at": "removed_by"},
    "decisions": {"removed_at": "removed_by", "lifted_at": "lifted_by"},
}
CHANGED_BY = "changed_by"  # stamped on an existing item whenever someone else changes it
# what "changing it" means: its words and what was agreed, not scoring or evaluating it
TRACED: dict[str, frozenset[str]] = {
    "goals": frozenset({"text", "domain"}),
    "actions": frozenset({"text", "goal_id", "owner_id", "due"}),
    "decisions": frozenset({"text", "reason", "options"}),
}

assert set(ROOT_TEXTS) == set(TEXTS) and set(LIST_RULES) == set(LISTS)
assert all(set(LIST_RULES[k].fields) == set(ITEM_FIELDS[k]) for k in LISTS)


def _short_str(value: Any, nullable: bool = True) -> bool:
    if value is None:
        return nullable
    return isinstance(value, str) and len(value) <= SHORT


def _number_in(value: Any, low: int, high: int, nullable: bool) -> bool:
    if value is None:
        return nullable
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return bool(float(value).is_integer() and low <= value <= high)


def _date(value: Any) -> bool:
    if value is None or value == "":
        return True
    if not isinstance(value, str) or len(value) != 10:
        return False
    y, m, d = value[:4], value[5:7], value[8:]
    return value[4] == value[7] == "-" and (y + m + d).isdigit()


SCALAR_KINDS: dict[str, Callable[[Any], bool]] = {
    "str": _short_str,
    "id": _short_str,
    "domain": lambda v: v is None or v == "" or v in LIFE_DOMAINS,
    "date": _date,
    "score": lambda v: _number_in(v, 0, 10, nullable=True),
    "int": lambda v: _number_in(v, 0, 1 << 31, nullable=True),
    "step": lambda v: _number_in(v, 0, AGENDA_STEPS - 1, nullable=False),
    "status": lambda v: v in ACTION_STATUSES,
    "attendance": lambda v: v in ATTENDANCE,
    "lang": lambda v: v is None or (isinstance(v, str) and LANGUAGE_TAG.fullmatch(v) is not None),
}


def valid_scalar(kind: str, value: Any) -> bool:
    """Whether a plain value (a str, a number or None) is a valid value of ``kind``."""
    return SCALAR_KINDS[kind](value)


def table() -> dict[str, Any]:
    """The rights and limits as plain data, compared with ``web/src/rights.js`` by a test."""

    def one(spec: Field) -> dict[str, Any]:
        return {
            "kind": spec.kind,
            "writers": sorted(spec.writers),
            "limit": spec.limit,
            "author_too": spec.author_too,
            "appenders": sorted(spec.appenders),
        }

    return {
        "meta": {k: one(v) for k, v in META.items()},
        "texts": {k: one(v) for k, v in ROOT_TEXTS.items()},
        "contacts": one(CONTACT),
        "attendance": one(ATTENDANCE_MARK),
        "people": sorted(PEOPLE),
        "lists": {
            name: {
                "adders": sorted(rule.adders),
                "removers": sorted(rule.removers),
                "max_items": rule.max_items,
                "fields": {k: one(v) for k, v in rule.fields.items()},
            }
            for name, rule in LIST_RULES.items()
        },
        "stamps": STAMPS,
        "set_stamps": SET_STAMPS,
        "agenda_steps": AGENDA_STEPS,
        "document_bytes": DOCUMENT_BYTES,
    }
