"""The privacy screens in Chromium: the coordinator's log, the family's "who looked at our
plan" page, and erasing with its confirm step; axe-core, touch targets, no sideways scroll."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page

from tests.browser.conftest import LAPTOP, axe_violations, new_page, shot
from tests.browser.test_plan_pages import PHONE, small_targets
from tests.conftest import LiveServer, make_family, sign_in
from tests.pages.test_plan import make_history

pytestmark = pytest.mark.browser


async def check(page: Page, name: str) -> None:
    await shot(page, name)
    assert await axe_violations(page) == [], name
    assert await small_targets(page) == [], name
    overflow = await page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0, name


async def test_log_and_family_view_on_laptop_and_phone(
    browser: Browser, server: LiveServer
) -> None:
    family = await make_family(server.settings)
    await make_history(server.settings, family)
    esther = await sign_in(server.http, family, "Esther de Wit")
    sanne = await sign_in(server.http, family, "Sanne Bakker")
    lotte = await sign_in(server.http, family, "Lotte Smit")
    base = f"{server.http}/families/{family.family_id}"
    for device_name, device in (("laptop", LAPTOP), ("phone", PHONE)):
        page = await new_page(browser, device, esther.cookie, server.http)
        await page.goto(f"{base}/plan?as={esther.session_id}")
        await page.context.close()
        coordinator = await new_page(browser, device, lotte.cookie, server.http)
        await coordinator.goto(f"{base}?as={lotte.session_id}")
        await coordinator.get_by_role("link", name="Logboek bekijken").click()
        await coordinator.wait_for_url("**/log?**")
        assert await coordinator.get_by_role("cell", name="Esther de Wit").count() >= 1
        await check(coordinator, f"audit-log-{device_name}")
        await coordinator.context.close()
        mother = await new_page(browser, device, sanne.cookie, server.http)
        await mother.goto(f"{base}/plan?as={sanne.session_id}")
        await mother.get_by_role("link", name="Wie keek naar ons plan?").click()
        await mother.wait_for_url("**/plan/seen?**")
        await mother.get_by_text("heeft het plan bekeken.").first.wait_for()
        await check(mother, f"audit-seen-{device_name}")
        await mother.context.close()


async def test_erase_with_the_confirm_step(browser: Browser, server: LiveServer) -> None:
    family = await make_family(server.settings, "Familie Wissen")
    lotte = await sign_in(server.http, family, "Lotte Smit")
    page = await new_page(browser, LAPTOP, lotte.cookie, server.http)
    await page.goto(f"{server.http}/families/{family.family_id}?as={lotte.session_id}")
    await shot(page, "family-privacy-section")
    await page.get_by_role("link", name="Gezin wissen").click()
    await page.wait_for_url("**/erase?**")
    await check(page, "erase-confirm")
    await page.get_by_label("Typ de naam van het gezin om te bevestigen").fill("Familie Fout")
    await page.get_by_role("button", name="Alles van dit gezin wissen").click()
    await page.get_by_role("alert").wait_for()
    await check(page, "erase-wrong-name")
    await page.get_by_label("Typ de naam van het gezin om te bevestigen").fill("Familie Wissen")
    await page.get_by_role("button", name="Alles van dit gezin wissen").click()
    await page.get_by_role("heading", name="Het gezin is gewist").wait_for()
    await check(page, "erased")
    assert page.errors == []  # type: ignore[attr-defined]
    await page.context.close()
