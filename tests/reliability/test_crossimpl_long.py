"""Cross-implementation, long run (``make reliability``): many rounds of Yjs ↔ pycrdt."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.test_crossimpl import NodeYjs, concurrent, node_yjs, round_trip

SEEDS = range(1000, 1200)  # the short run uses 0..2


@pytest.fixture(scope="module")
def node() -> Iterator[NodeYjs]:
    with node_yjs() as node:
        yield node


@pytest.mark.parametrize("block", range(4))
def test_round_trips(node: NodeYjs, block: int) -> None:
    for seed in SEEDS[block::4]:
        round_trip(node, seed, edits=60)
    print(f"FIGURE crossimpl round trips: {len(SEEDS[block::4])} seeds × 60 + 60 edits")


@pytest.mark.parametrize("block", range(4))
def test_concurrent_merges(node: NodeYjs, block: int) -> None:
    for seed in SEEDS[block::4]:
        concurrent(node, seed, edits=40)
    print(f"FIGURE crossimpl concurrent merges: {len(SEEDS[block::4])} seeds × 2 × 40 edits")
