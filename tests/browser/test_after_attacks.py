"""Issue 14, item 6: after the attacks, the meeting still loads in Chromium with all its goals.

The attacks of tests/live/test_attacks.py that once emptied or froze the meeting for every
browser (a goal nested 5,000 deep that Yjs 13 cannot decode, a stored crash bomb, the goals
written as a map, ``meta.status = closed``, every goal deleted) are sent one after another
by participants of the family; then the coordinator opens the meeting in Chromium: both seeded
goals are there, the page raised no error, and the meeting is live (not shown closed)."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser

from server.crdt.protocol import sync_update
from tests.browser.conftest import LAPTOP, new_page, shot
from tests.browser.test_round_table import open_meeting
from tests.conftest import Family, LiveServer
from tests.live.test_attacks import ATTACKS, SEEDED_GOALS, Table
from tests.test_server import connect

pytestmark = pytest.mark.browser

SENT = (
    "json nesting 5,000 deep (empty meeting in browsers)",
    "map nesting 30,000 deep (stored crash bomb)",
    "the goals written as a map",
    "meta.status closed (frozen meeting)",
    "deleting every goal",
    "json nesting 60,000 deep (SIGSEGV)",
)


async def test_chromium_shows_every_goal_after_the_attacks(
    browser: Browser, server: LiveServer, family: Family
) -> None:
    table = Table(server, family)
    # the same people attack again and again: the pause a session waits after a refusal
    # (tests/live/test_cool_down.py) is not what this test is about
    server.app.state.services.cool_down.first = 0.0
    for name in SENT:
        who, attack, layer = ATTACKS[name]
        attacker = await connect(server, await table.member(who))
        frame = attack(attacker.doc)
        if frame is not None:
            await attacker.send(sync_update(frame))
        await attacker.wait_for(lambda a=attacker: a.close_code is not None, timeout=30)
        assert attacker.close_code == layer, name

    coordinator = await table.member("Lotte Smit")
    page = await new_page(browser, LAPTOP, coordinator.cookie, server.http)
    await open_meeting(page, server, coordinator)
    await page.get_by_role("button", name=re.compile("Doelen")).click()
    await page.wait_for_function(
        "(ids) => ids.every((id) => document.querySelector(`article.goal[data-id='${id}']`))",
        arg=list(SEEDED_GOALS),
        timeout=10_000,
    )
    shown = await page.eval_on_selector_all("article.goal", "els => els.map(e => e.dataset.id)")
    assert shown == list(SEEDED_GOALS)
    assert await page.locator("#closed").is_hidden()  # live: nothing froze it
    await shot(page, "after-attacks-goals")
    assert page.errors == []  # type: ignore[attr-defined]
    await page.context.close()
