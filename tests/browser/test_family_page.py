"""The coordinator's family page in real Chromium, on a tablet and a laptop: making a link
(with its QR code), copying it, starting a meeting, and what others of the family see."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import LAPTOP, TABLET, axe_violations, new_page, shot
from tests.conftest import LiveServer, Member, make_family, sign_in

pytestmark = pytest.mark.browser
DEVICES = {"tablet": TABLET, "laptop": LAPTOP}


async def assert_usable(page: Page) -> None:
    """No axe violations, no script errors, no sideways scrolling, big enough touch targets."""
    assert await axe_violations(page) == []
    assert page.errors == []  # type: ignore[attr-defined]
    overflow = await page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    small = await page.evaluate(
        """() => [...document.querySelectorAll(
              'main a, main button, main input:not([type=hidden])')]
            .map(el => [el.textContent.trim() || el.id, el.getBoundingClientRect()])
            .filter(([, box]) => box.height < 44 || box.width < 44)
            .map(([name, box]) => `${name}: ${box.width}x${box.height}`)"""
    )
    assert small == []


async def coordinator_page(
    browser: Browser, server: LiveServer, device: dict[str, Any]
) -> tuple[Page, str, Member]:
    """Lotte, the coordinator, signed in on a device of her own; and her family page's URL."""
    family = await make_family(server.settings, "Familie Bakker")
    lotte = await sign_in(server.http, family, "Lotte Smit")
    page = await new_page(browser, device, lotte.cookie, server.http)
    await page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.http)
    url = f"{server.http}/families/{family.family_id}?as={lotte.session_id}"
    return page, url, lotte


@pytest.mark.parametrize("name", DEVICES)
async def test_make_a_link_with_qr_code(browser: Browser, server: LiveServer, name: str) -> None:
    page, url, _ = await coordinator_page(browser, server, DEVICES[name])
    await page.goto(url)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Familie Bakker")
    await expect(page.get_by_role("link", name="Naar het overleg")).to_be_visible()
    await expect(page.get_by_role("link", name="Versie 1")).to_be_visible()
    await shot(page, f"family-{name}-before")
    await assert_usable(page)

    await page.get_by_role("button", name="Maak nieuwe link voor Oma Ria").click()
    link = page.get_by_role("textbox", name="Link voor Oma Ria")
    await expect(link).to_be_focused()  # the new link is where the coordinator is taken
    value = await link.input_value()
    assert value.startswith(f"{server.http}/join/")
    qr = page.get_by_role("img", name="QR-code met de link voor Oma Ria")
    await expect(qr).to_be_visible()
    box = await qr.bounding_box()
    assert box is not None and box["width"] >= 160  # big enough to scan from a phone
    await expect(qr).to_be_in_viewport()  # scrolled to, without the coordinator searching
    await shot(page, f"family-{name}-link", full_page=False)
    await shot(page, f"family-{name}-link-full")
    await assert_usable(page)

    copy = page.locator("button[data-copy]")  # by what it does: its name changes on a click
    await expect(copy).to_have_text("Kopiëren")
    await copy.click()
    await expect(copy).to_have_text("Gekopieerd")
    assert await page.evaluate("() => navigator.clipboard.readText()") == value

    async with httpx.AsyncClient(base_url=server.http) as tablet:
        joined = await tablet.post(value.removeprefix(server.http))
    assert joined.status_code == 303  # the link works for Oma Ria


async def test_start_a_meeting_by_keyboard(browser: Browser, server: LiveServer) -> None:
    page, url, lotte = await coordinator_page(browser, server, LAPTOP)
    async with httpx.AsyncClient(base_url=server.http, headers={"Cookie": lotte.cookie}) as http:
        closed = await http.post(
            f"/api/meetings/{lotte.meeting_id}/close", headers={"X-CSRF-Token": lotte.csrf}
        )
    assert closed.status_code == 201  # the demo's meeting is over: none is live now
    await page.goto(url)
    await expect(page.get_by_role("button", name="Nieuw overleg starten")).to_be_visible()
    await expect(page.get_by_role("link", name="Versie 2")).to_be_visible()
    await shot(page, "family-laptop-no-meeting")
    await assert_usable(page)

    await page.get_by_label("Naam van het overleg").fill("Overleg in januari")
    await page.keyboard.press("Tab")
    await expect(page.get_by_role("button", name="Nieuw overleg starten")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.get_by_text("Overleg in januari")).to_be_visible()
    code = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$")
    await expect(page.locator(".family-code")).to_have_text(code)
    await expect(page.get_by_role("button", name="Maak link voor Sanne Bakker")).to_be_visible()
    await shot(page, "family-laptop-new-meeting")
    await assert_usable(page)


async def test_a_parent_is_sent_to_the_plan(browser: Browser, server: LiveServer) -> None:
    family = await make_family(server.settings, "Familie Bakker")
    sanne = await sign_in(server.http, family, "Sanne Bakker")
    page = await new_page(browser, TABLET, sanne.cookie, server.http)
    response = await page.goto(f"{server.http}/families/{family.family_id}?as={sanne.session_id}")
    assert response is not None and response.status == 403
    link = page.get_by_role("link", name="Naar het gezinsplan")
    await expect(link).to_have_attribute(
        "href", f"/families/{family.family_id}/plan?as={sanne.session_id}"
    )
    await shot(page, "family-tablet-parent-refused")
    await assert_usable(page)
