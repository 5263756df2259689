"""Update format: what ``check_update`` costs beside pycrdt's ``apply_update`` of the same update.

The updates are real: the stock Node Yjs client doing the page's edits
(tests/crdt/yjs_updates.mjs) on the seeded meeting, replayed in the order they were sent onto
a pycrdt doc holding the seed, so each apply integrates new content (the cost a room pays).
Times are the best of several rounds, in µs per update. Then single big updates onto an empty
doc: a full state after thousands of scattered pycrdt edits, and the worst case the limits let
through: 50,000 one-character items, each after the previous one (unmerged, as Yjs'
mergeUpdates writes them), which Yrs integrates in quadratic time.

``python -m tests.bench --only update_format`` (or ``python -m tests.bench.update_format``).
"""

from __future__ import annotations

import base64
import json
import random
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass

from pycrdt import Doc

from server.crdt.update_format import DEFAULT_LIMITS, check_update
from tests.bench.peers import ROOT
from tests.bench.report import Table, ratio, write
from tests.reliability import convergence as sim

SCRIPT = ROOT / "tests" / "crdt" / "yjs_updates.mjs"


@dataclass
class UpdateFormatConfig:
    rounds: int = 7
    edits: int = 5_000

    def params(self) -> str:
        return f"--rounds {self.rounds}"


def yjs_updates() -> dict[str, list[bytes]]:
    base = base64.b64encode(sim.base_update())
    out = subprocess.run(["node", str(SCRIPT)], input=base, capture_output=True, check=True)
    return {k: [base64.b64decode(u) for u in v] for k, v in json.loads(out.stdout).items()}


def best(rounds: int, once: Callable[[], float]) -> float:
    return min(once() for _ in range(rounds))


def replay(session: list[tuple[str, bytes]], rounds: int) -> dict[str, tuple[float, float]]:
    """Per name: (µs to check, µs to apply) an update, averaged over the name's updates."""
    check = [best(rounds, lambda u=u: timed(lambda: check_update(u), 200)) for _, u in session]
    apply = [float("inf")] * len(session)
    for _ in range(rounds):
        doc = sim.doc_from([sim.base_update()], 99)
        for i, (_, u) in enumerate(session):
            apply[i] = min(apply[i], timed(lambda d=doc, u=u: d.apply_update(u), 1))
    result: dict[str, tuple[float, float]] = {}
    for name in dict.fromkeys(n for n, _ in session):
        picked = [i for i, (n, _) in enumerate(session) if n == name]
        result[name] = (
            sum(check[i] for i in picked) / len(picked),
            sum(apply[i] for i in picked) / len(picked),
        )
    return result


def timed(fn: Callable[[], object], number: int) -> float:
    started = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - started) / number * 1e6


def worst_case(structs: int = DEFAULT_LIMITS.max_structs) -> bytes:
    """One client's one-character items, each with the previous one as origin."""

    def vu(n: int) -> bytes:
        out = bytearray()
        while n > 0x7F:
            out.append(n & 0x7F | 0x80)
            n >>= 7
        return bytes(out + bytes([n]))

    client = vu(3_000_000_003)
    items = [b"\x04\x01\x07minutes\x01a"]
    items += [b"\x84" + client + vu(clock) + b"\x01a" for clock in range(structs - 1)]
    return b"\x01" + vu(len(items)) + client + b"\x00" + b"".join(items) + b"\x00"


def scattered(edits: int) -> bytes:
    """pycrdt's full state after ``edits`` random edits of the convergence simulation."""
    doc = sim.doc_from([sim.base_update()], 7)
    sim.random_edits(doc, random.Random(1), sim.Ids("bench"), edits)
    return doc.get_update()


def fresh_apply(update: bytes, rounds: int) -> float:
    def once() -> float:
        doc: Doc = Doc()
        return timed(lambda: doc.apply_update(update), 1)

    return best(rounds, once)


async def run(cfg: UpdateFormatConfig) -> None:
    updates = yjs_updates()
    names = list(updates)
    session = [(n, u) for n in names[: names.index("sync step 2")] for u in updates[n]]
    table = Table(
        "check_update beside apply_update (µs per update)",
        ["update", "count", "bytes (mean)", "check µs", "apply µs", "check ÷ apply"],
    )
    sizes = {n: sum(len(u) for u in updates[n]) / len(updates[n]) for n in updates}
    for name, (check, apply) in replay(session, cfg.rounds).items():
        table.add(name, len(updates[name]), round(sizes[name]), check, apply, ratio(check, apply))
    singles = [("full state (onto an empty doc)", updates["full state"][0])]
    singles.append(("pycrdt seed (onto an empty doc)", sim.base_update()))
    singles.append((f"full state after {cfg.edits:,} edits", scattered(cfg.edits)))
    singles.append(("worst case: 50,000 unmerged 1-char items", worst_case()))
    for label, update in singles:
        rounds = cfg.rounds if len(update) < 100_000 else 3
        check = best(rounds, lambda u=update: timed(lambda: check_update(u), 1))
        apply = fresh_apply(update, rounds)
        table.add(label, 1, len(update), check, apply, ratio(check, apply))
        table.notes.append(f"{label}: {check_update(update).structs:,} structs")
    keystrokes = updates["typing"]
    table.notes.append(
        f"typing: {len(keystrokes)} keystrokes through the page's bindText, "
        f"{min(map(len, keystrokes))}–{max(map(len, keystrokes))} bytes each"
    )
    write("update_format", [table], cfg.params())


if __name__ == "__main__":
    import asyncio

    asyncio.run(run(UpdateFormatConfig()))
