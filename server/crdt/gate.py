"""The gate in front of the document: no update stays unless its shape and its sender allow it.

``Gate.check`` applies a client's update inside the gate's watch: pycrdt's deep events on
every root of the schema say what changed (the path from the root, the changed type, the
delta or the changed keys), and each change is held against ``schema`` (the path exists, at
the schema's depth, with the schema's kind) and against ``rights`` (the sender's role may write
it, within the limits). The first problem is the verdict: ``UpdateRefused``. The update *was*
applied by then (pycrdt has no dry run that is cheap: a copy of a 300 KB doc costs ~5 ms per
update), so the room drops what it collected, never stores or relays it, and rebuilds its doc
from what is committed plus what is pending, as after a pycrdt panic.

Why the deep events are enough: Yrs reports every changed shared type that existed before the
transaction; content created in the same update (a new goal with its texts) arrives as the
inserted value of its parent's event, and is walked here, at most as deep as the schema. An
update that writes a root the schema lacks raises no event here: the number of roots is held
once per update. One that writes the other part of a root (``goals`` as a Map, ``meta`` as an
Array) raises an event without a delta: each root event checks that part did not grow.

The hot path is a keystroke: one Text event, checked by its path, its delta and a length bound
(UTF-8 bytes bound the characters from above, so the exact count is taken only near a limit).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pycrdt import Array, Doc, Map, Text
from pycrdt._pycrdt import ArrayEvent as _ArrayEvent
from pycrdt._pycrdt import Map as _RawMap
from pycrdt._pycrdt import MapEvent as _MapEvent
from pycrdt._pycrdt import TextEvent as _TextEvent

from . import part_trace, rights, schema
from .pending import waiting
from .protocol import ProtocolError
from .rights import Field
from .update_format import check_update
from .values import is_empty, kind_problem, length_problem, may_create, value_of

log = logging.getLogger(__name__)

ROOTS = (*schema.TEXTS, *schema.LISTS, *schema.MAPS)
_NAMES = frozenset(key for fields in schema.ITEM_FIELDS.values() for key in fields)


def check_format(update: bytes) -> None:
    """The strict decoder first (``update_format``): an update whose binary structure does not
    fit its bytes (counts, nesting, string sizes, content kinds) is refused before pycrdt
    decodes it, so it cannot cost stack or memory. Raises ``UpdateFormatError`` (1007)."""
    check_update(update)


class UpdateRefused(ProtocolError):
    """An update outside the schema or its sender's rights. The message names the place and
    the rule, never the content (it goes to the log)."""


class UpdateWaits(UpdateRefused):
    """An update that builds on what the document does not have yet: taken back like a
    refused one, and held for its sender (``held.py``) while within bounds."""


@dataclass(frozen=True, slots=True)
class Sender:
    person_id: str
    role: str


@dataclass(slots=True)
class Stamp:
    """Authorship the server writes into an item a client created (``rights.STAMPS``)."""

    item: Any  # pycrdt's Rust Map of the new item
    values: dict[str, str]


class Gate:
    """Watches one doc's roots; ``check`` applies one client update under the rules."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self._sender: Sender | None = None
        self._problem: str | None = None
        self._events = 0
        self.stamps: list[Stamp] = []
        self.marks: list[str] = []  # who changed a part: ``part_trace`` keys the doc lacks
        self._roots: dict[str, Any] = {}
        self._subscriptions: list[tuple[Any, Any]] = []
        for name in ROOTS:
            kind = _root_type(name)
            root = doc.get(name, type=kind).integrated
            self._roots[name] = root
            self._subscriptions.append((root, root.observe_deep(self._watcher(name))))
        # A root is one branch with a list part and a map part; the schema uses one of them.
        # Yrs reports a change to the other (``goals`` written as a Map, ``meta`` as an Array)
        # as an event without a delta, so the other part is watched through a view of it:
        # it may not grow. Nor may the roots: a root the schema lacks raises no event here.
        self._parts: dict[str, tuple[Any, int]] = {}
        with doc.transaction() as transaction:
            txn: Any = transaction._txn
            for name in ROOTS:
                part: Any
                if name in schema.MAPS:
                    part = doc._doc.get_or_insert_array(txn, name)
                else:
                    part = doc._doc.get_or_insert_map(txn, name)
                self._parts[name] = (part, part.len(txn))
            self._root_count = len(doc._doc.roots(txn))

    def close(self) -> None:
        # observers live in Rust, out of reach of Python's GC: unobserve on the way out
        for _, subscription in self._subscriptions:
            subscription.drop()
        self._subscriptions.clear()

    def check(self, sender: Sender, update: bytes, effective: list[bytes]) -> list[Stamp]:
        """Apply ``update`` under the rules; raise ``UpdateRefused`` if it broke one (it was
        applied all the same: the room rebuilds). Returns the authorship stamps to write.
        ``effective``: where the doc's observer puts what the apply changed (the room's)."""
        self._sender, self._problem, self._events, self.stamps = sender, None, 0, []
        self.marks = []
        try:
            self.doc.apply_update(update)
            if self._events == 0 and self._problem is None:  # nothing the roots reported
                with self.doc.transaction() as transaction:
                    self._problem = self._new_roots(transaction._txn)
        finally:
            self._sender = None
        # what changed is the update itself (a keystroke, nearly always): nothing waits
        whole = len(effective) == 1 and effective[0] == update
        if self._problem is None and not whole and waiting(update, self.doc):
            raise UpdateWaits("it builds on what the document does not have")
        if self._problem is not None:
            raise UpdateRefused(self._problem)
        return self.stamps

    def _new_roots(self, txn: Any) -> str | None:
        """Checked once per update, in its transaction (~1.5 µs: Yrs lists every root)."""
        if len(self.doc._doc.roots(txn)) > self._root_count:
            return "a root the schema does not have"
        return None

    def _other_part(self, root: str, txn: Any) -> str | None:
        part, size = self._parts[root]
        if part.len(txn) > size:
            return f"{root}: the part of the root the schema does not use"
        return None

    @property
    def events(self) -> int:
        """Deep events of the last ``check`` (0: the change was outside the watched roots)."""
        return self._events

    # -- the rules, per event ----------------------------------------------------------------

    def _watcher(self, root: str) -> Callable[[list[Any]], None]:
        def on_events(events: list[Any]) -> None:
            sender = self._sender
            if sender is None:  # the server's own edit
                return
            for event in events:
                if self._problem is not None:
                    return
                self._events += 1
                if self._events == 1:
                    self._problem = self._new_roots(event.transaction)
                    if self._problem is not None:
                        return
                try:
                    problem = _Change(self, sender, root, event).check()
                except Exception as exc:  # a shape the reading cannot follow is refused
                    problem = f"{root}: unreadable change ({type(exc).__name__})"
                if problem is not None:
                    self._problem = problem

        return on_events


def _root_type(name: str) -> Any:
    if name in schema.TEXTS:
        return Text
    return Array if name in schema.LISTS else Map


class _Change:
    """One deep event, judged. ``check`` returns the problem, or None."""

    def __init__(self, gate: Gate, sender: Sender, root: str, event: Any):
        self.gate = gate
        self.sender = sender
        self.role = sender.role
        self.root = root
        self.event = event
        self.txn = event.transaction
        self.path: list[Any] = event.path

    def check(self) -> str | None:
        kind, depth = type(self.event), len(self.path)
        if depth == 0:
            problem = self.gate._other_part(self.root, self.txn)
            if problem is not None:
                return problem
        if self.root in schema.TEXTS:
            if depth == 0 and kind is _TextEvent:
                problem = self._text(self.root, rights.ROOT_TEXTS[self.root], self.event)
                return self._marked(self.root, problem)
        elif self.root in schema.LISTS:
            return self._list_change(kind, depth)
        elif self.root == "meta" and depth == 0 and kind is _MapEvent:
            problem = self._keys(self.root, rights.META, self.event.keys)
            if "next_meeting" not in self.event.keys:  # the title, the agenda step
                return problem
            return self._marked("next_meeting", problem)
        elif self.root == "contacts" and depth == 0 and kind is _MapEvent:
            return self._marked(self.root, self._contacts(self.event.keys))
        elif self.root == "attendance" and depth == 0 and kind is _MapEvent:
            return self._marked(self.root, self._attendance(self.event.keys))
        elif self.root in ("people", part_trace.ROOT):
            return f"{self.root}: written by the server only"
        return f"{self._where()}: not in the schema"

    def _marked(self, part: str, problem: str | None) -> str | None:
        """``problem``; without one, note that the sender changed this part of the plan
        (``part_trace``) if the doc does not say so yet: after that a keystroke costs a lookup.
        The room writes it as its own edit, after the client's update."""
        if problem is None:
            mark = part_trace.key(part, self.sender.person_id)
            if value_of(self.gate._roots[part_trace.ROOT], mark, self.txn) is None:
                self.gate.marks.append(mark)
        return problem

    def _where(self) -> str:
        """The path for the log: indexes and the schema's names; any other key (a client's
        own string, possibly content) shows as ``?``."""
        shown = [str(p) if isinstance(p, int) or p in _NAMES else "?" for p in self.path]
        return ".".join([self.root, *shown])

    # -- lists ---------------------------------------------------------------------------

    def _list_change(self, kind: type, depth: int) -> str | None:
        rule = rights.LIST_RULES[self.root]
        if depth == 0 and kind is _ArrayEvent:
            return self._items(rule)
        if depth == 1 and kind is _MapEvent and isinstance(self.path[0], int):
            item = self.gate._roots[self.root].get(self.txn, self.path[0])
            keys = self.event.keys
            problem = self._keys(self._where(), rule.fields, keys, item)
            if problem is None:
                self._trace(self.path[0], keys)
            return problem
        if depth == 2 and kind is _TextEvent and self.path[1] in rule.fields:
            spec = rule.fields[self.path[1]]
            if spec.kind == "text":
                problem = self._text(self._where(), spec, self.event)
                if problem is None:
                    self._trace(self.path[0], (self.path[1],))
                return problem
        return f"{self._where()}: not in the schema"

    def _items(self, rule: rights.ListRule) -> str | None:
        added = False
        for op in self.event.delta:
            if "delete" in op:  # removing is setting ``removed_at``: it leaves a trace
                return f"{self.root}: items are removed with removed_at, never deleted"
            for value in op.get("insert", ()):
                if self.role not in rule.adders:
                    return f"{self.root}: adding is not for {self.role}"
                problem = self._new_item(rule, value)
                if problem is not None:
                    return problem
                added = True
        # only an addition is held to the limit (a list seeded past it from an old plan may
        # still be edited); it counts the items not removed
        if added and self._kept() > rule.max_items:
            return f"{self.root}: more than {rule.max_items} items"
        return None

    def _kept(self) -> int:
        """How many items of the list are not removed (no ``removed_at``)."""
        array = self.gate._roots[self.root]
        return sum(
            1
            for i in range(array.len(self.txn))
            if not value_of(array.get(self.txn, i), "removed_at", self.txn)
        )

    def _new_item(self, rule: rights.ListRule, item: Any) -> str | None:
        if type(item) is not _RawMap:
            return f"{self.root}: an item that is not a map"
        where = f"{self.root}[new]"
        keys = item.keys(self.txn)  # type: ignore[attr-defined]  # (missing from the stub)
        for key in keys:
            spec = rule.fields.get(key)
            if spec is None:
                return f"{where}: unknown key"
            value = item.get(self.txn, key)
            problem = kind_problem(spec, value, self.txn, fresh=True)
            if problem is not None:
                return f"{where}.{key}: {problem}"
            if not is_empty(value, self.txn) and not may_create(self.root, key, spec, self.role):
                return f"{where}.{key}: not writable by {self.role}"
        stamps = rights.STAMPS.get(self.root, {})
        wanted = {k: getattr(self.sender, v) for k, v in stamps.items()}
        for source, target in rights.SET_STAMPS.get(self.root, {}).items():
            if value_of(item, source, self.txn):  # (created removed, or lifted: by the creator)
                wanted[target] = self.sender.person_id
        if any(value_of(item, k, self.txn) != v for k, v in wanted.items()):
            self.gate.stamps.append(Stamp(item, wanted))
        return None

    def _trace(self, index: int, keys: Any) -> None:
        """Stamp who changed the item at ``index`` (``rights.TRACED`` of ``keys``), and who
        removed or lifted it; only what the item does not say yet: a keystroke costs a lookup."""
        item = self.gate._roots[self.root].get(self.txn, index)
        wanted = {}
        traced = rights.TRACED[self.root].intersection(keys)
        if traced and value_of(item, rights.CHANGED_BY, self.txn) != self.sender.person_id:
            wanted[rights.CHANGED_BY] = self.sender.person_id
        for source, target in rights.SET_STAMPS.get(self.root, {}).items():
            if isinstance(keys, dict) and source in keys and keys[source].get("newValue"):
                wanted[target] = self.sender.person_id
        if wanted:
            self.gate.stamps.append(Stamp(item, wanted))

    # -- maps ------------------------------------------------------------------------------

    def _keys(
        self, where: str, fields: dict[str, Field], keys: dict[str, Any], item: Any = None
    ) -> str | None:
        for key, change in keys.items():
            spec = fields.get(key)
            if spec is None:
                return f"{where}: unknown key"
            if change.get("action") == "delete":
                return f"{where}.{key}: fields are not removed"
            if not may_write(spec, self.sender, item, self.txn):
                return f"{where}.{key}: not writable by {self.role}"
            problem = kind_problem(spec, change.get("newValue"), self.txn, fresh=True)
            if problem is not None:
                return f"{where}.{key}: {problem}"
        return None

    def _contacts(self, keys: dict[str, Any]) -> str | None:
        if self.role not in rights.CONTACT.writers:
            return f"contacts: not writable by {self.role}"
        for key, change in keys.items():
            if key not in rights.CONTACT_KEYS:
                return "contacts: not a life domain"
            if change.get("action") != "delete":
                problem = kind_problem(rights.CONTACT, change.get("newValue"), self.txn)
                if problem is not None:
                    return f"contacts.{key}: {problem}"
        return None

    def _attendance(self, keys: dict[str, Any]) -> str | None:
        """Marks for the document's people only (a key is a person id, never free text to
        store), in the attendance words; unmarking (a delete) is a change like any other."""
        spec = rights.ATTENDANCE_MARK
        if self.role not in spec.writers:
            return f"attendance: not writable by {self.role}"
        people = self.gate._roots["people"]
        for key, change in keys.items():
            if value_of(people, key, self.txn) is None:
                return "attendance: not one of the people"
            if change.get("action") != "delete":
                problem = kind_problem(spec, change.get("newValue"), self.txn)
                if problem is not None:
                    return f"attendance: {problem}"
        return None

    # -- texts -----------------------------------------------------------------------------

    def _text(self, where: str, spec: Field, event: Any) -> str | None:
        writer = self.role in spec.writers or (
            spec.author_too and bool(self.path) and self._is_author()
        )
        if not writer and self.role not in spec.appenders:
            return f"{where}: not writable by {self.role}"
        for op in event.delta:
            if "attributes" in op:
                return f"{where}: formatting is not in the schema"
            inserted = op.get("insert")
            if inserted is not None and not isinstance(inserted, str):
                return f"{where}: an embed is not in the schema"
            if "delete" in op and not writer:
                return f"{where}: deleting is not for {self.role}"
        return length_problem(spec, event.target, self.txn)

    def _is_author(self) -> bool:
        item = self.gate._roots[self.root].get(self.txn, self.path[0])
        return bool(value_of(item, "author_id", self.txn) == self.sender.person_id)


def may_write(spec: Field, sender: Sender, item: Any, txn: Any) -> bool:
    if sender.role in spec.writers:
        return True
    return spec.author_too and value_of(item, "author_id", txn) == sender.person_id
