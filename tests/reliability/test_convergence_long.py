"""Convergence, long run (``make reliability``): 1,000 seeds of five peers on a bad network."""

from __future__ import annotations

import pytest

from tests.reliability import convergence as sim

BLOCKS, PER_BLOCK, FIRST = 10, 100, 1000  # seeds 1000..1999; the short run uses 0..19


@pytest.mark.parametrize("block", range(BLOCKS))
def test_thousand_seeds_converge(block: int) -> None:
    seeds = range(FIRST + block * PER_BLOCK, FIRST + (block + 1) * PER_BLOCK)
    problems: list[str] = []
    fifo = resynced = edits = partitions = 0
    for seed in seeds:
        outcome = sim.run(seed, steps=120)
        problems += sim.verify(outcome)
        fifo += outcome.fifo
        resynced += sim.needed_resync(outcome)
        edits += outcome.stats["edits"]
        partitions += outcome.stats["partitions"]
    print(
        f"FIGURE convergence seeds {seeds.start}-{seeds.stop - 1}: {len(problems)} problems, "
        f"{fifo} FIFO / {PER_BLOCK - fifo} reordering networks, {edits} edits, "
        f"{partitions} partitions, {resynced} needed the final state-vector exchange"
    )
    assert problems == []
