"""After an attack the gate refused, the meeting opens in Chromium with all its goals and no
script error (issue 14: nothing the gate lets through can make Yjs 13 throw in a browser)."""

from __future__ import annotations

import re

import pytest

from server.crdt.protocol import sync_update
from tests.browser.conftest import TABLET, new_page, shot
from tests.conftest import Family, LiveServer, sign_in
from tests.live.test_attacks import ATTACKS, SEEDED_GOALS
from tests.test_server import connect

SHAPES = [name for name in ATTACKS if "nesting" in name or "goal" in name.lower()]


@pytest.mark.parametrize("name", SHAPES)
async def test_an_attacked_meeting_opens_in_the_browser_with_its_goals(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family, name: str
) -> None:
    who, attack, layer = ATTACKS[name]
    attacker = await connect(server, await sign_in(server.http, family, who))
    frame = attack(attacker.doc)
    if frame is not None:  # raw bytes, not an edit of the doc
        await attacker.send(sync_update(frame))
    await attacker.wait_for(lambda: attacker.close_code is not None, timeout=30)
    assert attacker.close_code == layer
    mother = await sign_in(server.http, family, "Sanne Bakker")
    tablet = await new_page(browser, TABLET, mother.cookie, server.http)
    await tablet.goto(f"{server.http}/meetings/{mother.meeting_id}?as={mother.session_id}")
    await tablet.wait_for_selector("body[data-ready='true']")
    await tablet.get_by_role("button", name=re.compile("Doelen")).first.click()
    await tablet.wait_for_function(
        "n => document.querySelectorAll('section.step:not([hidden]) [data-field=goal-text]')"
        ".length === n",
        arg=len(SEEDED_GOALS),
        timeout=10_000,
    )
    assert tablet.errors == []  # type: ignore[attr-defined]
    await shot(tablet, "tablet-after-attack-" + name.split(" (")[0].replace(" ", "-"))
