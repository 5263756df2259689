"""Coming back in Chromium: a family member joins with her link on a phone, presses Back,
closes the tab and opens the link again, then opens the app's home: each time she is back in
the meeting or sees her family's plan and the live meeting, never "Deze link is al
gebruikt". axe and screenshots at phone, tablet and laptop."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser

from tests.browser.conftest import LAPTOP, TABLET, axe_violations, new_page, shot
from tests.browser.test_joining import READY
from tests.browser.test_plan_pages import PHONE, small_targets
from tests.browser.test_table_edges import SIDEWAYS
from tests.conftest import LiveServer, make_family

pytestmark = pytest.mark.browser


async def test_back_reopening_and_home_bring_her_back(browser: Browser, server: LiveServer) -> None:
    family = await make_family(server.settings)  # links to this server's port
    link = family.links["Sanne Bakker"]["url"]
    phone = await new_page(browser, PHONE)
    await phone.goto(link)
    await phone.get_by_role("button", name="Meedoen").click()
    await phone.wait_for_selector(READY)
    meeting_url = phone.url

    await phone.go_back()  # the confirm page again: straight back into the meeting
    await phone.wait_for_selector(READY)
    assert phone.url == meeting_url
    await phone.close()  # the tab is closed; the link is opened again in a new one
    again = await phone.context.new_page()
    errors: list[str] = []
    again.on("pageerror", lambda exc: errors.append(str(exc)))
    await again.goto(link)
    await again.wait_for_selector(READY)
    assert again.url == meeting_url
    assert await again.get_by_text("al gebruikt").count() == 0

    await again.goto(server.http)  # the app's home
    await again.get_by_role("heading", name="Welkom terug").wait_for()
    await again.get_by_text("Het overleg is nu bezig.").wait_for()
    await shot(again, "coming-back-home-phone")
    assert await axe_violations(again) == []
    assert await small_targets(again) == []
    assert await again.evaluate(SIDEWAYS) <= 0
    cookies = await phone.context.cookies()
    for device, settings in {"tablet": TABLET, "laptop": LAPTOP}.items():
        page = await new_page(browser, settings)
        await page.context.add_cookies(cookies)
        await page.goto(server.http)
        await page.get_by_role("heading", name="Welkom terug").wait_for()
        await shot(page, f"coming-back-home-{device}")
        assert await axe_violations(page) == [], device
        await page.get_by_role("link", name="Ons gezinsplan").click()
        await page.wait_for_url("**/plan?as=*")
        await page.context.close()
    await again.get_by_role("link", name="Naar het overleg").click()
    await again.wait_for_selector(READY)
    assert again.url == meeting_url
    assert errors == []
