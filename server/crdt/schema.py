"""The meeting document's shape: the one place on the server that knows its names.

Top-level shared types (mirrored by ``web/src/schema.js``; a test checks that both agree):

    meta       Map   title, status (live|closed, server only), agenda_step, next_meeting,
                     vision_lang, strengths_lang, concerns_lang, minutes_lang
    people     Map   person_id → Map {name, role, relation, organisation, offers}
    vision, strengths, concerns, minutes   Text
    goals      Array of Map {id, text: Text, domain, author_id, author_role, score,
                             professional_view: Text, last_score, …every item's}
    actions    Array of Map {id, goal_id, text: Text, owner_id, due, status, evaluation: Text,
                             carried_from, author_id, author_role, last_status,
                             last_evaluation, …every item's}
    contacts   Map   domain → person_id
    attendance Map   person_id → at_table | absent | sent_word (the coordinator marks it)
    changed_by Map   "part:person_id" → True: who changed vision … attendance (server only;
                     ``part_trace.py``)
    decisions  Array of Map {id, text: Text, reason: Text, options: Text, decided_by,
                             lifted_at, lifted_by, …every item's}
               every item's: lang, changed_by, removed_at, removed_by (``EVERY_ITEM``)

Every item says who wrote it (``author_id``/``decided_by``) and who changed it last
(``changed_by``), both stamped by the server. Removing an item leaves it in the document with
``removed_at`` (and the server's ``removed_by``): the plan keeps a trace of what was removed and
by whom (``Plan["removed"]``), and no client may delete an item outright. ``last_*`` hold what
the previous plan version said (a score, an action's status and evaluation) while this
meeting's are filled in; see ``carry.py`` and the README. ``lang`` is the language of the
item's words (the writer's page language, a BCP 47 tag; none: Dutch): read-aloud speaks it. A
root text's is ``meta.<text>_lang``, set by the page that gave it its first words; a plan holds
those set as ``languages``: text → tag (a version from before has none: Dutch).

A *plan* is the plain JSON form of that content (what a plan version stores); removed items are
in its ``removed`` list (each with ``list``: the list it was in), not in their lists. ``seed``
writes a plan into an empty document, ``extract`` reads it back; ``extract(seed(p)) == p``.
Clients can write anything, so ``extract`` is forgiving: wrong types become empty values (a
language that is no tag: none) and an action whose goal was removed keeps its text with
``goal_id`` None (nothing that was arranged disappears from the plan).
"""

from __future__ import annotations

import logging
import math
import re
from enum import StrEnum
from typing import Any

from pycrdt import Array, Doc, Map, Text
from pycrdt._pycrdt import Map as _RawMap
from pycrdt._pycrdt import Text as _RawText

from . import part_trace

log = logging.getLogger(__name__)

Plan = dict[str, Any]

TEXTS = ("vision", "strengths", "concerns", "minutes")
LISTS = ("goals", "actions", "decisions")
MAPS = ("meta", "people", "contacts", "attendance", part_trace.ROOT)
TEXT_LANGS = {name: f"{name}_lang" for name in TEXTS}  # meta key of each text's language
# a language: a BCP 47 tag as the browser's UI gives it (``nl``, ``ar``, ``pt-BR``)
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}")


class Role(StrEnum):
    """Who someone is at a family's table; ``SCREEN`` is the shared screen, never a person."""

    COORDINATOR = "coordinator"
    FAMILY = "family"
    NETWORK = "network"
    PROFESSIONAL = "professional"
    SCREEN = "screen"


class DocStatus(StrEnum):
    """``meta.status``: written by the server only."""

    LIVE = "live"
    CLOSED = "closed"
    ERASED = "erased"  # the family's data is being erased: screens show nothing of it


class Attendance(StrEnum):
    """``attendance[person_id]``: how someone takes part who has no device of their own in
    the meeting (people with a device show by their presence). Marked by the coordinator."""

    AT_TABLE = "at_table"  # at the table without a device
    ABSENT = "absent"
    SENT_WORD = "sent_word"  # absent, and let the table know beforehand
    DEVICE = "device"  # connected with a device when the meeting closed (the server writes it)


ATTENDANCE = (Attendance.AT_TABLE, Attendance.ABSENT, Attendance.SENT_WORD)  # a client's marks
ROLES = (Role.COORDINATOR, Role.FAMILY, Role.NETWORK, Role.PROFESSIONAL)  # roles of people
ACTION_STATUSES = ("open", "done", "partly", "not_done")
PERSON_FIELDS = ("name", "role", "relation", "organisation", "offers")
# on every list item: its words' language, who changed it last, whether (when, by whom) removed
EVERY_ITEM = {"lang": "str", "changed_by": "id", "removed_at": "str", "removed_by": "id"}
# field → kind, per list item; "text" fields are collaborative Y.Text
ITEM_FIELDS: dict[str, dict[str, str]] = {
    "goals": {
        "id": "id",
        "text": "text",
        "domain": "str",
        "author_id": "id",
        "author_role": "str",
        "score": "score",
        "professional_view": "text",
        "last_score": "score",
        **EVERY_ITEM,
    },
    "actions": {
        "id": "id",
        "goal_id": "id",
        "text": "text",
        "owner_id": "id",
        "due": "str",
        "status": "status",
        "evaluation": "text",
        "carried_from": "int",
        "author_id": "id",
        "author_role": "str",
        "last_status": "str",
        "last_evaluation": "str",
        **EVERY_ITEM,
    },
    "decisions": {
        "id": "id",
        "text": "text",
        "reason": "text",
        "options": "text",
        "decided_by": "id",
        "lifted_at": "str",
        "lifted_by": "id",
        **EVERY_ITEM,
    },
}
LIFE_DOMAINS = (
    "opvoeding_ontwikkeling",
    "veiligheid",
    "gezondheid_lichamelijk",
    "gezondheid_psychisch",
    "financien",
    "werk_dagbesteding",
    "huisvesting",
    "onderwijs",
    "relaties_netwerk",
    "vrije_tijd",
)


def empty_plan(title: str = "") -> Plan:
    return {
        "title": title,
        "next_meeting": None,
        **{name: "" for name in TEXTS},
        "people": {},
        "contacts": {},
        "attendance": {},
        part_trace.ROOT: {},
        "languages": {},
        "goals": [],
        "actions": [],
        "decisions": [],
        "removed": [],
    }


def seed(doc: Doc, plan: Plan, status: DocStatus = DocStatus.LIVE) -> None:
    """Write ``plan`` into an empty meeting document, in one transaction."""
    with doc.transaction(origin="seed"):
        meta = doc.get("meta", type=Map)
        meta.update({"title": plan.get("title", ""), "status": status, "agenda_step": 0})
        meta["next_meeting"] = plan.get("next_meeting")
        languages = plan.get("languages") or {}
        meta.update({TEXT_LANGS[n]: languages[n] for n in TEXTS if _lang(languages.get(n))})
        people = doc.get("people", type=Map)
        for person_id, person in plan.get("people", {}).items():
            people[str(person_id)] = Map({k: person.get(k) or "" for k in PERSON_FIELDS})
        for name in TEXTS:
            doc.get(name, type=Text).insert(0, plan.get(name) or "")
        doc.get("contacts", type=Map).update(dict(plan.get("contacts", {})))
        marks = plan.get("attendance", {}).items()
        doc.get("attendance", type=Map).update({p: m for p, m in marks if m in ATTENDANCE})
        part_trace.seed(doc, plan)
        for name in LISTS:
            items = doc.get(name, type=Array)
            for item in plan.get(name, []):
                items.append(_item_prelim(name, item))
        for item in plan.get("removed", []):  # back into their lists, still marked removed
            if item.get("list") in LISTS:
                doc.get(item["list"], type=Array).append(_item_prelim(item["list"], item))


def mark_closed(doc: Doc) -> None:
    """The server-side edit that turns every client of a meeting read-only."""
    doc.get("meta", type=Map)["status"] = DocStatus.CLOSED.value


def mark_erased(doc: Doc) -> None:
    """The server-side edit erasure makes before it disconnects everyone: every screen of
    the meeting stops showing the family's plan (not "the plan is saved")."""
    doc.get("meta", type=Map)["status"] = DocStatus.ERASED.value


def mark_live(doc: Doc) -> None:
    """Undo a ``closed`` the document says while its meeting is live (written before the gate
    kept clients from it): clients would show a live meeting read-only."""
    doc.get("meta", type=Map)["status"] = DocStatus.LIVE.value


def put_person(doc: Doc, person_id: str, fields: dict[str, str] | None) -> None:
    """The server-side edit that tells a running meeting about a person added or changed in
    the family's file (``fields``), or removed (None)."""
    people = doc.get("people", type=Map)
    if fields is not None:
        people[person_id] = Map({k: fields.get(k) or "" for k in PERSON_FIELDS})
    elif person_id in people:
        del people[person_id]


def is_closed(doc: Doc) -> bool:
    return bool(doc.get("meta", type=Map).get("status") == DocStatus.CLOSED)


def _item_prelim(kind: str, item: dict[str, Any]) -> Map:
    fields = ITEM_FIELDS[kind].items()
    return Map({k: Text(item.get(k) or "") if f == "text" else item.get(k) for k, f in fields})


def extract(doc: Doc) -> Plan:
    """The plan as it stands in the document, as plain JSON.

    Reads only the schema's keys at the schema's depth, one value at a time: a client may have
    written anything (a goal that is a Map in a Map thousands deep, a list where a string
    belongs), and serialising a container whole (``str``, ``to_py``) recurses through it, in
    Rust or in Python, until the stack gives out. A value of the wrong shape is skipped (its
    cast gives the empty value) and counted in one log line, without content. It reads pycrdt's
    Rust objects in one transaction: the Python wrappers cost ~5x more per value."""
    with doc.transaction() as transaction:
        reader = _Reader(transaction._txn)
        meta = _root(doc, "meta", Map)
        plan = empty_plan(_str(reader.scalar(meta, "title", "meta")))
        plan["next_meeting"] = _str(reader.scalar(meta, "next_meeting", "meta")) or None
        for name, key in TEXT_LANGS.items():
            plan[name] = _root(doc, name, Text).get_string(reader.txn)
            if lang := _lang(reader.scalar(meta, key, "meta")):
                plan["languages"][name] = lang
        people = _root(doc, "people", Map)
        for pid in people.keys(reader.txn):
            person = reader.value(people, pid)
            if type(person) is _RawMap:
                plan["people"][pid] = {
                    k: _str(reader.scalar(person, k, "people")) for k in PERSON_FIELDS
                }
            else:
                reader.skip("people")
        contacts = _root(doc, "contacts", Map)
        for domain in contacts.keys(reader.txn):
            if person_id := _str(reader.scalar(contacts, domain, "contacts")):
                plan["contacts"][domain] = person_id
        attendance = _root(doc, "attendance", Map)
        for person_id in attendance.keys(reader.txn):
            mark = reader.scalar(attendance, person_id, "attendance")
            if mark in ATTENDANCE and person_id in plan["people"]:
                plan["attendance"][person_id] = mark
        plan[part_trace.ROOT] = part_trace.read(_root(doc, part_trace.ROOT, Map).keys(reader.txn))
        for name in LISTS:
            for item in reader.items(_root(doc, name, Array), name):
                if item["removed_at"]:
                    plan["removed"].append({"list": name, **item})
                else:
                    plan[name].append(item)
    goal_ids = {goal["id"] for goal in plan["goals"]}
    for action in plan["actions"]:  # kept, without a goal: nothing arranged disappears
        action["goal_id"] = action["goal_id"] if action["goal_id"] in goal_ids else None
    reader.report()
    return plan


def _root(doc: Doc, name: str, kind: type[Map] | type[Array] | type[Text]) -> Any:
    return doc.get(name, type=kind).integrated


class _Reader:
    """Reads values out of Rust shared types; counts what it skipped, for one log line."""

    def __init__(self, txn: Any) -> None:
        self.txn = txn
        self.skipped: dict[str, int] = {}

    def skip(self, where: str) -> None:
        self.skipped[where] = self.skipped.get(where, 0) + 1

    def value(self, container: Any, key: str) -> Any:
        try:
            return container.get(self.txn, key)
        except ValueError:  # pycrdt's "Key error": the key is not there
            return None

    def scalar(self, container: Any, key: str, where: str) -> Any:
        """A plain JSON scalar at ``key``, or None (a shared type or a list is skipped)."""
        value = self.value(container, key)
        if value is None or isinstance(value, str | int | float):
            return value
        self.skip(where)
        return None

    def text(self, container: Any, key: str, where: str) -> str:
        value = self.value(container, key)
        if type(value) is _RawText:
            return str(value.get_string(self.txn))
        return _str(self.scalar(container, key, where))  # a plain value, or skipped

    def items(self, array: Any, kind: str) -> list[dict[str, Any]]:
        out = []
        fields = ITEM_FIELDS[kind].items()
        for index in range(array.len(self.txn)):
            item = array.get(self.txn, index)
            if type(item) is not _RawMap:
                self.skip(kind)
                continue
            out.append(
                {
                    key: self.text(item, key, kind)
                    if field_kind == "text"
                    else _CAST[field_kind](self.scalar(item, key, kind))
                    for key, field_kind in fields
                }
            )
        return out

    def report(self) -> None:
        if self.skipped:
            log.warning("meeting document: skipped values of unexpected shape: %s", self.skipped)


def _str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JS numbers arrive as floats
    return str(value)


def _id(value: Any) -> str | None:  # (a ``str`` field too: a string or None)
    return _str(value) or None


def _number(value: Any) -> float | None:
    """A finite number, or None (a client can write NaN, Infinity, strings, booleans)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _score(value: Any) -> int | None:
    number = _number(value)
    return None if number is None else min(10, max(0, round(number)))


def _int(value: Any) -> int | None:
    number = _number(value)
    return None if number is None else int(number)


def _status(value: Any) -> str:
    return value if value in ACTION_STATUSES else "open"


def _lang(value: Any) -> str | None:
    """A language tag, or None: anything else a client wrote reads as no language (Dutch)."""
    return value if isinstance(value, str) and LANGUAGE_TAG.fullmatch(value) else None


_CAST = {
    "id": _id,
    "text": _str,
    "str": _id,
    "score": _score,
    "int": _int,
    "status": _status,
}


def names() -> dict[str, Any]:
    """The document's names, compared with ``web/src/schema.js`` by a test."""
    return {
        "texts": list(TEXTS),
        "lists": list(LISTS),
        "maps": list(MAPS),
        "text_langs": dict(TEXT_LANGS),
        "roles": list(ROLES),
        "action_statuses": list(ACTION_STATUSES),
        "attendance": list(ATTENDANCE),
        "person_fields": list(PERSON_FIELDS),
        "item_fields": {k: dict(v) for k, v in ITEM_FIELDS.items()},
        "life_domains": list(LIFE_DOMAINS),
    }
