"""Convergence simulation: pycrdt peers editing the real meeting schema over a bad network.

* ``apply_edit`` is the edit vocabulary, shared with ``tests/node/crossimpl.mjs`` (Yjs). Text
  positions in an edit are UTF-16 code units, the browser's unit. pycrdt 0.14 counts Text
  positions in UTF-8 bytes, so ``apply_edit`` converts (UTF-16 → code point → UTF-8 byte).
* ``random_edit`` picks an edit from a peer's own view of its document (``view``: the plan's
  shape read as JSON; ``schema.extract`` is much slower and is what the checks use).
* ``Network`` delivers each peer's updates to the others in random order, late, sometimes
  twice, and splits the peers into groups for a while: messages between groups are either held
  until the split heals or dropped, and then repaired on healing by a state-vector exchange
  (what a y-websocket client does when it reconnects).
* ``run(seed)`` plays one game; ``verify`` lists what went wrong (empty: all good).
"""

from __future__ import annotations

import functools
import json
import random
from dataclasses import dataclass, field
from typing import Any

from pycrdt import Array, Doc, Map, Text, TransactionEvent

from server.cli.demo import PEOPLE, _first_plan
from server.crdt import schema

Edit = dict[str, Any]
SAMPLES = (
    "Zoë",
    "coördinator",
    "geëvalueerd",
    "👨‍👩‍👧",
    "🏠",
    "e\u0301",  # e + combining acute
    "ü\u0308",
    "会议",
    "naïef",
    "😀👍",
    " ",
    "ĳs",
)
DECOR = "Zoë, coördinator, geëvalueerd 👨‍👩‍👧 🏠 cafe\u0301 会议"
SEED_CLIENT = 1


# --- text positions -------------------------------------------------------------------------


def u16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def cp_index(s: str, u16: int) -> int:
    """The code-point index of UTF-16 position ``u16`` in ``s`` (never inside a pair)."""
    count = 0
    for i, ch in enumerate(s):
        if count == u16:
            return i
        count += 1 if ord(ch) < 0x10000 else 2
        if count > u16:
            raise ValueError(f"UTF-16 position {u16} splits a surrogate pair in {s!r}")
    if count == u16:
        return len(s)
    raise IndexError(f"UTF-16 position {u16} beyond {s!r}")


def pycrdt_offset(s: str, cp: int) -> int:
    """pycrdt 0.14's Text position for code point ``cp``: a UTF-8 byte offset."""
    return len(s[:cp].encode())


# --- the realistic plan ---------------------------------------------------------------------


def realistic_plan() -> schema.Plan:
    """The demo's first plan, with people, minutes and a decision, and diacritics + emoji in
    every text field (people names included)."""
    ids = {name: f"p{i + 1}" for i, (name, *_) in enumerate(PEOPLE)}
    plan = _first_plan(ids)
    plan["people"] = {
        ids[name]: dict(zip(schema.PERSON_FIELDS, (f"{name} {DECOR}", *rest), strict=True))
        for name, *rest in PEOPLE
    }
    plan["next_meeting"] = "2027-01-15"
    plan["minutes"] = "Iedereen is er."
    plan["decisions"] = [
        {
            "id": "besluit-toezicht",
            "text": "Oma Ria houdt toezicht op woensdag.",
            "reason": "Veiligheid van Daan.",
            "options": "Als dit niet lukt, dan Fatima.",
            "decided_by": ids["Lotte Smit"],
        }
    ]
    for name in schema.TEXTS:
        plan[name] = f"{plan[name]} {DECOR}"
    for kind in schema.LISTS:
        for item in plan[kind]:
            for key, field_kind in schema.ITEM_FIELDS[kind].items():
                if field_kind == "text":
                    item[key] = f"{item[key]} {DECOR}".lstrip()
                else:
                    item.setdefault(key, None)  # as extract reads a field nobody wrote
    return plan


@functools.cache
def base_update() -> bytes:
    """The seeded meeting document every peer starts from (seeded once, like the server)."""
    doc: Doc = Doc(client_id=SEED_CLIENT)
    schema.seed(doc, realistic_plan())
    return doc.get_update()


def doc_from(updates: list[bytes], client_id: int) -> Doc:
    doc: Doc = Doc(client_id=client_id)
    for update in updates:
        doc.apply_update(update)
    return doc


# --- the edit vocabulary (mirrored in tests/node/crossimpl.mjs) -----------------------------


def _item(doc: Doc, kind: str, item_id: str) -> Map:
    for item in doc.get(kind, type=Array):
        if isinstance(item, Map) and item.get("id") == item_id:
            return item
    raise KeyError(f"no {kind} item {item_id!r}")


def _text(doc: Doc, path: list[str]) -> Text:
    root = len(path) == 1
    text = doc.get(path[0], type=Text) if root else _item(doc, path[0], path[1])[path[2]]
    if not isinstance(text, Text):
        raise TypeError(f"{path} is not a Text")
    return text


def _map_key(doc: Doc, path: list[str]) -> tuple[Map, str]:
    if path[0] in ("meta", "contacts"):
        return doc.get(path[0], type=Map), path[1]
    if path[0] == "people":
        return doc.get("people", type=Map)[path[1]], path[2]
    return _item(doc, path[0], path[1]), path[2]


def apply_edit(doc: Doc, edit: Edit) -> None:
    """Perform one edit in its own transaction; text edits are checked against plain str."""
    with doc.transaction(origin="edit"):
        op = edit["op"]
        if op == "add":
            fields = schema.ITEM_FIELDS[edit["list"]].items()
            item = edit["item"]
            values = {k: Text(item.get(k) or "") if t == "text" else item.get(k) for k, t in fields}
            doc.get(edit["list"], type=Array).append(Map(values))
        elif op == "remove":
            array = doc.get(edit["list"], type=Array)
            del array[
                [m.get("id") if isinstance(m, Map) else None for m in array].index(edit["id"])
            ]
        elif op == "set":
            target, key = _map_key(doc, edit["path"])
            target[key] = edit["value"]
        elif op == "unset":
            target, key = _map_key(doc, edit["path"])
            del target[key]
        elif op == "add_person":
            person = {k: edit["person"].get(k) or "" for k in schema.PERSON_FIELDS}
            doc.get("people", type=Map)[edit["id"]] = Map(person)
        elif op in ("insert", "delete"):
            text = _text(doc, edit["path"])
            before = str(text)
            start = cp_index(before, edit["index"])
            if op == "insert":
                text.insert(pycrdt_offset(before, start), edit["text"])
                expected = before[:start] + edit["text"] + before[start:]
            else:
                end = cp_index(before, edit["index"] + edit["length"])
                del text[pycrdt_offset(before, start) : pycrdt_offset(before, end)]
                expected = before[:start] + before[end:]
            if str(text) != expected:
                raise AssertionError(f"{edit}: pycrdt gave {str(text)!r}, wanted {expected!r}")
        else:
            raise ValueError(f"unknown edit {edit}")


# --- random edits ---------------------------------------------------------------------------


@dataclass
class Ids:
    """Fresh ids for one author: unique per add."""

    author: str
    count: int = 0

    def next(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}-{self.author}-{self.count}"


def _phrase(rng: random.Random) -> str:
    return " ".join(rng.choice(SAMPLES) for _ in range(rng.randint(1, 3)))


def _date(rng: random.Random) -> str | None:
    return None if rng.random() < 0.2 else f"2027-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def view(doc: Doc) -> schema.Plan:
    """What a participant sees: the plan's shape, items as plain dicts (no casting). Read as
    JSON (``str`` of a shared type), which is ~10× faster than ``to_py``."""
    with doc.transaction():
        plan: schema.Plan = {name: str(doc.get(name, type=Text)) for name in schema.TEXTS}
        for kind in schema.LISTS:
            items = json.loads(str(doc.get(kind, type=Array)))
            plan[kind] = [item for item in items if isinstance(item, dict)]
        for name in ("people", "contacts"):
            plan[name] = json.loads(str(doc.get(name, type=Map)))
    return plan


def text_fields(plan: schema.Plan) -> list[tuple[list[str], str]]:
    """Every collaborative text in the plan: (path, current value)."""
    fields: list[tuple[list[str], str]] = [([name], plan[name]) for name in schema.TEXTS]
    for kind in schema.LISTS:
        for item in plan[kind]:
            for key, field_kind in schema.ITEM_FIELDS[kind].items():
                if field_kind == "text" and item.get("id") and isinstance(item.get(key), str):
                    fields.append(([kind, item["id"], key], item[key]))
    return fields


def text_edit(path: list[str], s: str, rng: random.Random) -> Edit:
    if s and rng.random() < 0.35:
        start = rng.randrange(len(s))
        end = min(len(s), start + rng.randint(1, 6))
        index, length = u16_len(s[:start]), u16_len(s[start:end])
        return {"op": "delete", "path": path, "index": index, "length": length}
    at = u16_len(s[: rng.randint(0, len(s))])
    return {"op": "insert", "path": path, "index": at, "text": _phrase(rng)}


KINDS = {  # kind of edit → weight
    "text": 30,
    "goal": 5,
    "goal_field": 8,
    "action": 8,
    "action_field": 10,
    "remove_goal": 3,
    "remove_action": 3,
    "contact": 4,
    "decision": 3,
    "remove_decision": 1,
    "person": 3,
    "meta": 2,
}


def random_edit(plan: schema.Plan, rng: random.Random, ids: Ids) -> Edit:
    """One edit a participant could make, seen from ``plan`` (their own document)."""
    ids_of = {k: [item["id"] for item in plan[k] if item.get("id")] for k in schema.LISTS}
    goals, actions = ids_of["goals"], ids_of["actions"]
    people = sorted(plan["people"]) or ["p1"]
    kind = rng.choices(list(KINDS), list(KINDS.values()))[0]
    if kind == "goal":
        item = {
            "id": ids.next("doel"),
            "text": _phrase(rng),
            "domain": rng.choice(schema.LIFE_DOMAINS),
            "author_id": rng.choice(people),
            "author_role": rng.choice(schema.ROLES),
            "score": rng.choice((None, *range(11))),
            "professional_view": _phrase(rng) if rng.random() < 0.5 else "",
        }
        return {"op": "add", "list": "goals", "item": item}
    if kind == "action":
        item = {
            "id": ids.next("actie"),
            "goal_id": rng.choice(goals) if goals and rng.random() < 0.9 else None,
            "text": _phrase(rng),
            "owner_id": rng.choice(people),
            "due": _date(rng),
            "status": "open",
            "evaluation": "",
            "carried_from": rng.choice((None, None, 1, 2)),
        }
        return {"op": "add", "list": "actions", "item": item}
    if kind == "decision":
        texts = {k: _phrase(rng) for k in ("text", "reason", "options")}
        item = {"id": ids.next("besluit"), **texts, "decided_by": rng.choice(people)}
        return {"op": "add", "list": "decisions", "item": item}
    if kind == "goal_field" and goals:
        key = rng.choice(("score", "domain"))
        value = (
            rng.choice((None, *range(11))) if key == "score" else rng.choice(schema.LIFE_DOMAINS)
        )
        return {"op": "set", "path": ["goals", rng.choice(goals), key], "value": value}
    if kind == "action_field" and actions:
        key = rng.choice(("owner_id", "status", "due"))
        if key == "owner_id":
            value = rng.choice((None, *people))
        else:
            value = rng.choice(schema.ACTION_STATUSES) if key == "status" else _date(rng)
        return {"op": "set", "path": ["actions", rng.choice(actions), key], "value": value}
    if kind.startswith("remove_") and ids_of[kind[7:] + "s"]:
        return {"op": "remove", "list": kind[7:] + "s", "id": rng.choice(ids_of[kind[7:] + "s"])}
    if kind == "contact":
        if plan["contacts"] and rng.random() < 0.3:
            return {"op": "unset", "path": ["contacts", rng.choice(sorted(plan["contacts"]))]}
        path = ["contacts", rng.choice(schema.LIFE_DOMAINS)]
        return {"op": "set", "path": path, "value": rng.choice(people)}
    if kind == "person":
        if rng.random() < 0.2:
            person = {"name": _phrase(rng), "role": rng.choice(schema.ROLES), "offers": "🏠"}
            return {"op": "add_person", "id": ids.next("p"), "person": person}
        path = ["people", rng.choice(people), rng.choice(("name", "offers"))]
        return {"op": "set", "path": path, "value": _phrase(rng)}
    if kind == "meta":
        if rng.random() < 0.5:
            return {"op": "set", "path": ["meta", "agenda_step"], "value": rng.randint(0, 7)}
        return {"op": "set", "path": ["meta", "next_meeting"], "value": _date(rng)}
    path, s = rng.choice(text_fields(plan))
    return text_edit(path, s, rng)


def random_edits(doc: Doc, rng: random.Random, ids: Ids, count: int) -> list[Edit]:
    """``count`` random edits, each applied to ``doc`` before the next one is chosen."""
    edits = []
    for _ in range(count):
        edit = random_edit(view(doc), rng, ids)
        apply_edit(doc, edit)
        edits.append(edit)
    return edits


def one_senders_updates() -> list[bytes]:
    """Three updates from one sender on the base document: goal doel-school's score 5, then 6,
    then doel-geld's 9. Received in the order 1, 2, 0, pycrdt 0.14 shows doel-school without
    any score until a state-vector exchange; Yjs shows 6 (tests/test_convergence.py)."""
    sender, updates = doc_from([base_update()], 7), []
    subscription = sender.observe(lambda event: updates.append(event.update))
    for goal, score in (("doel-school", 5), ("doel-school", 6), ("doel-geld", 9)):
        apply_edit(sender, {"op": "set", "path": ["goals", goal, "score"], "value": score})
    sender.unobserve(subscription)
    return updates


# --- what must hold -------------------------------------------------------------------------


@dataclass
class Ledger:
    """Every list item ever added or removed, and the goal each action was added under."""

    added: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in schema.LISTS})
    removed: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in schema.LISTS})
    goal_of: dict[str, str | None] = field(default_factory=dict)

    def record(self, edit: Edit) -> None:
        if edit["op"] == "add":
            self.added[edit["list"]].add(edit["item"]["id"])
            if edit["list"] == "actions":
                self.goal_of[edit["item"]["id"]] = edit["item"]["goal_id"]
        elif edit["op"] == "remove":
            self.removed[edit["list"]].add(edit["id"])

    @classmethod
    def of_plan(cls, plan: schema.Plan) -> Ledger:
        ledger = cls()
        for kind in schema.LISTS:
            for item in plan[kind]:
                ledger.record({"op": "add", "list": kind, "item": item})
        return ledger


def plan_problems(plan: schema.Plan, ledger: Ledger | None = None) -> list[str]:
    """Invariants of an extracted plan; with a ledger also: nothing lost, nothing revived."""
    problems = []
    for kind in schema.LISTS:
        ids = [item["id"] for item in plan[kind]]
        if len(ids) != len(set(ids)):
            problems.append(f"duplicate {kind} ids: {sorted(i for i in ids if ids.count(i) > 1)}")
        if ledger and set(ids) != ledger.added[kind] - ledger.removed[kind]:
            expected = ledger.added[kind] - ledger.removed[kind]
            problems.append(f"{kind}: lost {expected - set(ids)}, extra {set(ids) - expected}")
    goal_ids = {goal["id"] for goal in plan["goals"]}
    for action in plan["actions"]:
        if action["goal_id"] is not None and action["goal_id"] not in goal_ids:
            problems.append(f"action {action['id']} points at missing goal {action['goal_id']}")
        if ledger and action["id"] in ledger.goal_of:
            goal = ledger.goal_of[action["id"]]
            want = None if goal in ledger.removed["goals"] else goal
            if action["goal_id"] != want:
                problems.append(f"action {action['id']}: goal {action['goal_id']}, not {want}")
        if action["status"] not in schema.ACTION_STATUSES:
            problems.append(f"action {action['id']} has status {action['status']!r}")
    for goal in plan["goals"]:
        if goal["score"] is not None and not (
            isinstance(goal["score"], int) and 0 <= goal["score"] <= 10
        ):
            problems.append(f"goal {goal['id']} has score {goal['score']!r}")
    return problems


def state_vector(data: bytes) -> dict[int, int]:
    """Decode an encoded state vector (client → clock), independent of the encoder's order."""
    pos = 0

    def uint() -> int:
        nonlocal pos
        value, shift = 0, 0
        while True:
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    vector = {}
    for _ in range(uint()):
        client = uint()
        vector[client] = uint()
    if pos != len(data):
        raise ValueError("trailing bytes in state vector")
    return vector


# --- peers and the network ------------------------------------------------------------------


class Peer:
    """A participant's document; ``outbox`` collects the updates of its own edits."""

    def __init__(self, index: int, client_id: int, base: bytes) -> None:
        self.index = index
        self.doc: Doc = doc_from([base], client_id)
        self.ids = Ids(f"peer{index}")
        self.outbox: list[bytes] = []
        self._local = False
        self._subscription = self.doc.observe(self._on_update)

    def _on_update(self, event: TransactionEvent) -> None:
        if self._local and event.update != b"\x00\x00":
            self.outbox.append(event.update)

    def edit(self, edit: Edit) -> None:
        self._local = True
        try:
            apply_edit(self.doc, edit)
        finally:
            self._local = False

    def snapshot(self) -> tuple[str, list[tuple[int, int]]]:
        """The plan as canonical JSON, and the state vector as sorted (client, clock) pairs
        (pycrdt encodes a state vector's clients in no fixed order)."""
        plan = json.dumps(schema.extract(self.doc), sort_keys=True, ensure_ascii=False)
        return plan, sorted(state_vector(self.doc.get_state()).items())


@dataclass
class Message:
    src: int
    dst: int
    payload: bytes
    due: int


class Network:
    """Seeded, unreliable delivery between peers (see the module docstring).

    ``fifo``: each link (sender → receiver) keeps its order, like a WebSocket; otherwise any
    message may overtake any other. ``loss`` loses that share of messages for good, with no
    repair: a broken network that the checks must catch."""

    def __init__(
        self, rng: random.Random, peers: list[Peer], *, fifo: bool, loss: float = 0.0
    ) -> None:
        self.rng, self.peers, self.fifo, self.loss = rng, peers, fifo, loss
        self.now = 0
        self.inflight: list[Message] = []  # in sending order
        self.groups: list[set[int]] | None = None
        self.hold = True
        self.stats = {"sent": 0, "delivered": 0, "duplicates": 0, "dropped": 0, "partitions": 0}

    def connected(self, a: int, b: int) -> bool:
        return self.groups is None or any(a in g and b in g for g in self.groups)

    def send(self, src: int, dst: int, payload: bytes) -> None:
        self.stats["sent"] += 1
        if self.rng.random() < self.loss:
            return
        if not self.hold and not self.connected(src, dst):
            self.stats["dropped"] += 1
            return
        copies = 2 if self.rng.random() < 0.1 else 1
        self.stats["duplicates"] += copies - 1
        for _ in range(copies):
            self.inflight.append(Message(src, dst, payload, self.now + self.rng.randint(0, 6)))

    def broadcast(self, src: int, payload: bytes) -> None:
        for peer in self.peers:
            if peer.index != src:
                self.send(src, peer.index, payload)

    def partition(self) -> None:
        order = [p.index for p in self.peers]
        self.rng.shuffle(order)
        cuts = sorted(self.rng.sample(range(1, len(order)), self.rng.choice((1, 2))))
        bounds = zip([0, *cuts], [*cuts, len(order)], strict=True)
        self.groups = [set(order[a:b]) for a, b in bounds]
        self.hold = self.rng.random() < 0.5
        self.stats["partitions"] += 1
        if not self.hold:  # connections reset: what was on the wire between groups is gone
            kept = [m for m in self.inflight if self.connected(m.src, m.dst)]
            self.stats["dropped"] += len(self.inflight) - len(kept)
            self.inflight = kept

    def heal(self) -> None:
        groups, self.groups = self.groups, None
        if groups is None or self.hold:
            return
        for a in self.peers:  # reconnect: each side sends what the other's state vector lacks
            for b in self.peers:
                if a is not b and not any(a.index in g and b.index in g for g in groups):
                    self.send(b.index, a.index, b.doc.get_update(a.doc.get_state()))

    def _order(self, messages: list[Message]) -> list[Message]:
        """A random arrival order (keeping each link's order when ``fifo``)."""
        if not self.fifo:
            return self.rng.sample(messages, len(messages))
        queues: dict[tuple[int, int], list[Message]] = {}
        for m in messages:
            queues.setdefault((m.src, m.dst), []).append(m)
        turns = [link for link, queue in queues.items() for _ in queue]
        self.rng.shuffle(turns)
        return [queues[link].pop(0) for link in turns]

    def _deliver(self, messages: list[Message]) -> None:
        taken = {id(m) for m in messages}
        self.inflight = [m for m in self.inflight if id(m) not in taken]
        for message in self._order(messages):
            self.peers[message.dst].doc.apply_update(message.payload)
            self.stats["delivered"] += 1

    def step(self) -> None:
        """Time passes; some of the messages that are due arrive."""
        self.now += 1
        ready, blocked = [], set()
        for m in self.inflight:
            link = (m.src, m.dst)
            if m.due <= self.now and self.connected(*link) and link not in blocked:
                ready.append(m)
            elif self.fifo:
                blocked.add(link)  # nothing overtakes a message still on its way
        if self.fifo:
            links = sorted({(m.src, m.dst) for m in ready})
            chosen = set(self.rng.sample(links, self.rng.randint(0, len(links))))
            self._deliver([m for m in ready if (m.src, m.dst) in chosen])
        else:
            self._deliver(self.rng.sample(ready, self.rng.randint(0, len(ready))))

    def drain(self) -> None:
        """Heal, then deliver everything still on the wire."""
        self.heal()
        self._deliver(list(self.inflight))


def full_sync(peers: list[Peer]) -> None:
    """Every peer sends every other what that one's state vector lacks."""
    for a in peers:
        for b in peers:
            if a is not b:
                b.doc.apply_update(a.doc.get_update(b.doc.get_state()))


Snapshot = tuple[str, list[tuple[int, int]]]


@dataclass
class Outcome:
    seed: int
    fifo: bool
    ledger: Ledger
    drained: list[Snapshot]  # after every message arrived
    synced: list[Snapshot] | None  # after the final state-vector exchange
    stats: dict[str, int]


def run(
    seed: int,
    *,
    peers: int = 5,
    steps: int = 100,
    fifo: bool | None = None,
    loss: float = 0.0,
    final_sync: bool = True,
) -> Outcome:
    """One game: ``steps`` ticks of edits and deliveries, then drain (and a final exchange)."""
    rng = random.Random(seed)
    fifo = rng.random() < 0.5 if fifo is None else fifo
    client_ids = rng.sample(range(2, 2**32), peers)
    group = [Peer(i, client_id, base_update()) for i, client_id in enumerate(client_ids)]
    ledger = Ledger.of_plan(realistic_plan())
    net = Network(rng, group, fifo=fifo, loss=loss)
    edits = 0
    for _ in range(steps):
        if net.groups is None and rng.random() < 0.05:
            net.partition()
        elif net.groups is not None and rng.random() < 0.08:
            net.heal()
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            peer = rng.choice(group)
            edit = random_edit(view(peer.doc), rng, peer.ids)
            ledger.record(edit)
            peer.edit(edit)
            edits += 1
            for update in peer.outbox:
                net.broadcast(peer.index, update)
            peer.outbox.clear()
        net.step()
    net.drain()
    drained = [p.snapshot() for p in group]
    synced = None
    if final_sync:
        full_sync(group)
        synced = [p.snapshot() for p in group]
    return Outcome(seed, fifo, ledger, drained, synced, {**net.stats, "edits": edits})


def needed_resync(outcome: Outcome) -> bool:
    """Peers differed once every message had arrived (only the final exchange made them agree)."""
    return any(s != outcome.drained[0] for s in outcome.drained)


def verify(outcome: Outcome, *, strict: bool | None = None) -> list[str]:
    """What went wrong in one game, each line naming the seed to replay it with.

    ``strict`` (default: on FIFO links) also demands that delivering every message is enough,
    without the final state-vector exchange. pycrdt 0.14 fails that when one sender's updates
    arrive out of order (see tests/test_convergence.py), so it is off for reordering links."""
    strict = outcome.fifo if strict is None else strict
    final = outcome.synced or outcome.drained
    problems = []
    if strict and needed_resync(outcome):
        problems.append("peers differ after every message was delivered")
    plans, vectors = {s[0] for s in final}, [s[1] for s in final]
    if len(plans) != 1:
        problems.append(f"{len(plans)} different plans after the final exchange")
    if any(v != vectors[0] for v in vectors):
        problems.append(f"different state vectors: {vectors}")
    for plan in sorted(plans):
        problems += plan_problems(json.loads(plan), outcome.ledger)
    return [f"run(seed={outcome.seed}, fifo={outcome.fifo}): {p}" for p in problems]
