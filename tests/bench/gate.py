"""The gate's cost per update: what a room pays beside pycrdt's own ``apply_update``.

The updates are real: the stock Node Yjs client doing the page's edits on the seeded meeting
(tests/crdt/yjs_updates.mjs), replayed in order onto the room's doc, as the coordinator (who
may make all of them). Per kind of edit, µs per update (best of several rounds): the apply
alone (no gate), the strict decoder (``check_update``), and ``Gate.check`` (apply, deep events
judged, the pending check). The pending check reads the doc's state vector, which grows with
every client that ever wrote (each page load is one): the keystroke is also timed on a doc
that 200 earlier clients wrote to.

``python -m tests.bench --only gate`` (or ``python -m tests.bench.gate``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from pycrdt import Doc, Text

from server.crdt.gate import Gate, Sender, UpdateRefused
from server.crdt.update_format import check_update
from tests.bench.report import Table, ratio, write
from tests.bench.update_format import yjs_updates
from tests.reliability import convergence as sim

KINDS = ("typing", "backspace", "paste", "goal text", "score", "add goal", "add action")
SENDER = Sender("coordinator-1", "coordinator")
Step = Callable[[Doc, Gate, bytes, list[bytes]], None]


@dataclass
class GateConfig:
    rounds: int = 7
    clients: int = 200  # earlier writers, for the state-vector case

    def params(self) -> str:
        return f"--rounds {self.rounds}"


def _doc(earlier_clients: int = 0) -> Doc:
    doc = sim.doc_from([sim.base_update()], 99)
    for i in range(earlier_clients):
        other = Doc(client_id=10_000 + i)
        other.apply_update(doc.get_update())
        before = other.get_state()
        other.get("vision", type=Text).insert(0, "x")
        doc.apply_update(other.get_update(before))
    return doc


def _replay(session: list[tuple[str, bytes]], rounds: int, step: Step, n: int) -> list[float]:
    """Best µs per update of ``step`` over ``rounds`` replays onto a fresh doc, observed as a
    room observes its doc (what each apply changed)."""
    best = [float("inf")] * len(session)
    base = _doc(n)
    state = base.get_update()
    for _ in range(rounds):
        doc: Doc = Doc()
        doc.apply_update(state)
        gate = Gate(doc)
        effective: list[bytes] = []
        doc.observe(lambda event, into=effective: into.append(event.update))
        for i, (_, update) in enumerate(session):
            started = time.perf_counter_ns()
            step(doc, gate, update, effective)
            best[i] = min(best[i], (time.perf_counter_ns() - started) / 1000)
    return best


def _plain(doc: Doc, gate: Gate, update: bytes, effective: list[bytes]) -> None:
    doc.apply_update(update)


REFUSED: set[str] = set()


def _gated(doc: Doc, gate: Gate, update: bytes, effective: list[bytes]) -> None:
    effective.clear()
    try:
        gate.check(SENDER, update, effective)
    except UpdateRefused:  # the page's 20,000-emoji paste passes the concerns' limit
        REFUSED.add(update.hex())  # (applied all the same: the replay goes on as in a room)


def _decoder(doc: Doc, gate: Gate, update: bytes, effective: list[bytes]) -> None:
    check_update(update)
    doc.apply_update(update)  # (keeps the doc as the others see it; subtracted below)


async def run(cfg: GateConfig) -> None:
    updates = yjs_updates()
    names = list(updates)
    session = [(n, u) for n in names[: names.index("sync step 2")] for u in updates[n]]
    table = Table(
        "The gate beside pycrdt's apply (µs per update, best of rounds)",
        ["edit", "count", "earlier clients", "apply µs", "decoder µs", "gate µs", "added ÷ apply"],
    )
    for clients in (0, cfg.clients):
        plain = _replay(session, cfg.rounds, _plain, clients)
        gated = _replay(session, cfg.rounds, _gated, clients)
        decoded = _replay(session, cfg.rounds, _decoder, clients)
        for kind in KINDS if clients == 0 else ("typing",):
            rows = [i for i, (n, _) in enumerate(session) if n == kind]
            if not rows:
                continue
            apply = sum(plain[i] for i in rows) / len(rows)
            gate_check = sum(gated[i] for i in rows) / len(rows)  # includes its apply
            decoder = sum(decoded[i] - plain[i] for i in rows) / len(rows)
            added = decoder + gate_check - apply
            refused = sum(session[i][1].hex() in REFUSED for i in rows)
            table.add(
                f"{kind} (refused: over a limit)" if refused else kind,
                len(rows),
                clients,
                apply,
                decoder,
                gate_check - apply,
                ratio(added, apply),
            )
    table.notes.append(
        "gate µs: Gate.check less the apply it makes (deep events judged against the schema "
        "and the rights, the root count, the pending check); decoder µs: check_update alone"
    )
    write("gate", [table], cfg.params())


if __name__ == "__main__":
    import asyncio

    asyncio.run(run(GateConfig()))
