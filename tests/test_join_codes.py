"""Join codes and the attempt limiter, pure: shape, typing tolerance, budgets and memory."""

from __future__ import annotations

import math

from server.join_codes import ALPHABET, LENGTH, display, new_join_code, normalise
from server.limits import AttemptLimiter


def test_codes_avoid_look_alikes_and_carry_enough_entropy() -> None:
    assert not set("01OILUV") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET)
    assert LENGTH * math.log2(len(ALPHABET)) > 38  # 29**8 ≈ 5.0e11
    codes = {new_join_code() for _ in range(200)}
    assert len(codes) == 200 and all(len(c) == LENGTH and set(c) <= set(ALPHABET) for c in codes)


def test_typed_codes_are_forgiving_about_case_spaces_and_dashes() -> None:
    assert normalise(" abcd-2345 ") == "ABCD2345"
    assert normalise("ab cd 23 45") == "ABCD2345"
    assert display("ABCD2345") == "ABCD-2345"
    for junk in ("", "ab", "ABCD2345ABCD2345", "ABCD'; --", "ÄBCD2345"):
        assert normalise(junk) is None, junk


async def test_limiter_refuses_over_budget_per_key_and_refills(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    now = [1000.0]
    monkeypatch.setattr("server.limits.time.monotonic", lambda: now[0])
    limiter = AttemptLimiter(per_minute=3)
    assert [await limiter.take("a") for _ in range(4)] == [True, True, True, False]
    assert await limiter.take("b")  # another client has its own budget
    now[0] += 20  # a minute refills 3 attempts: 20 s gives one back
    assert await limiter.take("a") and not await limiter.take("a")


async def test_limiter_forgets_idle_keys_instead_of_growing(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    now = [0.0]
    monkeypatch.setattr("server.limits.time.monotonic", lambda: now[0])
    limiter = AttemptLimiter(per_minute=2, max_keys=100)
    for n in range(100):
        await limiter.take(f"10.0.0.{n}")
    now[0] += 120  # everyone's bucket is full again
    await limiter.take("10.0.1.1")
    assert len(limiter._buckets) == 1
