"""The tablet always tells the truth about saving: saved, not saved while the disk fails,
saved again when it recovers."""

from __future__ import annotations

import re

from tests.browser.conftest import TABLET, new_page, shot
from tests.conftest import Family, LiveServer, sign_in
from tests.storage.test_disk_trouble import FlakyDisk


async def test_tablet_shows_not_saved_while_the_disk_fails(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    mother = await sign_in(server.http, family, "Sanne Bakker")
    tablet = await new_page(browser, TABLET, mother.cookie, server.http)
    await tablet.goto(f"{server.http}/meetings/{mother.meeting_id}?as={mother.session_id}")
    await tablet.wait_for_selector("body[data-ready='true']")
    await tablet.wait_for_selector("#save-state[data-state='saved']")
    disk = FlakyDisk(server.rooms.store)
    disk.broken = True
    strengths = tablet.locator("[data-field=strengths]")
    await tablet.get_by_role("button", name=re.compile("Wat gaat goed")).click()
    await strengths.click()
    await tablet.keyboard.type("Daan lacht weer.")
    await tablet.wait_for_selector("#save-state[data-state='stuck']", timeout=15_000)
    assert "Nog niet opgeslagen" in await tablet.locator("#save-state").inner_text()
    await shot(tablet, "tablet-not-saved")
    disk.broken = False
    await tablet.wait_for_selector("#save-state[data-state='saved']", timeout=15_000)


async def test_a_closed_meeting_says_closed_not_saved(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    pages = []
    for name in ("Lotte Smit", "Sanne Bakker"):
        member = await sign_in(server.http, family, name)
        page = await new_page(browser, TABLET, member.cookie, server.http)
        await page.goto(f"{server.http}/meetings/{member.meeting_id}?as={member.session_id}")
        await page.wait_for_selector("#save-state[data-state='saved']")
        pages.append(page)
    laptop, tablet = pages
    await laptop.locator("button.step-button[data-step='6']").click()
    await laptop.locator("button[data-action=close]").click()
    await laptop.get_by_role("button", name="Ja, afsluiten").click()
    for page in (laptop, tablet):
        await page.wait_for_selector("#save-state[data-state='closed']", timeout=10_000)
        assert await page.locator("#save-state").inner_text() == "Afgesloten"
    await tablet.reload()  # a closed meeting opened again: closed from the start
    await tablet.wait_for_selector("body[data-ready='true']")
    await tablet.wait_for_selector("#save-state[data-state='closed']")
    assert await tablet.locator("#save-state").inner_text() == "Afgesloten"
    await shot(tablet, "tablet-closed-meeting-badge", full_page=False)
    assert laptop.errors == tablet.errors == []  # type: ignore[attr-defined]
