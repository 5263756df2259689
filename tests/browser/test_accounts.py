"""Accounts and hardening in Chromium: logging in, the staff home, the warning before a session
ends, and an XSS payload that stays text on every screen (meeting room, shared screen,
family page, staff home, plan, print view, compare) and in JSON."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import BIG_SCREEN, LAPTOP, TABLET, axe_violations, new_page, shot
from tests.conftest import Family, LiveServer, make_family, sign_in
from tests.pages.test_plan import XSS
from tests.test_server import add_goal, connect

pytestmark = pytest.mark.browser


def watch_dialogs(page: Page) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda d: dialogs.append(d.message))
    return dialogs


async def log_in(page: Page, server: LiveServer, family: Family) -> str:
    """Log in as the coordinator through the form; returns the staff home's URL."""
    await page.goto(f"{server.http}/login")
    await page.get_by_label("Gebruikersnaam").fill(family.accounts["Lotte Smit"])
    await page.get_by_label("Wachtwoord").fill(family.password)
    await page.get_by_role("button", name="Aanmelden").click()
    await page.wait_for_url("**/home?as=*")
    return page.url


async def assert_inert(page: Page, dialogs: list[str], name: str) -> None:
    """No script ran, no element was made from the payload."""
    await shot(page, name)
    assert dialogs == [], name
    assert await page.locator('img[src="x"]').count() == 0, name
    assert page.errors == [], name  # type: ignore[attr-defined]


async def shows_payload_in_a_field(page: Page) -> None:
    await page.wait_for_function(
        "text => [...document.querySelectorAll('textarea, input')].some(e => e.value === text)",
        arg=XSS,
        timeout=10_000,
    )


async def test_login_home_and_logout(browser: Browser, server: LiveServer) -> None:
    family = await make_family(server.settings)
    page = await new_page(browser, LAPTOP)
    await page.goto(f"{server.http}/login")
    await shot(page, "accounts-login")
    assert await axe_violations(page) == []
    await page.get_by_label("Gebruikersnaam").fill(family.accounts["Lotte Smit"])
    await page.get_by_label("Wachtwoord").fill("helemaal-fout-123")
    await page.get_by_role("button", name="Aanmelden").click()
    await expect(page.get_by_role("alert")).to_contain_text("klopt niet")
    await shot(page, "accounts-login-wrong")
    assert await axe_violations(page) == []

    await log_in(page, server, family)
    await expect(page.get_by_role("heading", name="Familie Test")).to_be_visible()
    await shot(page, "accounts-staff-home")
    assert await axe_violations(page) == []
    await page.get_by_role("link", name="Gezin beheren Familie Test").click()
    await expect(page.get_by_role("heading", level=1, name="Familie Test")).to_be_visible()
    await page.get_by_role("button", name="Afmelden").click()
    await page.wait_for_url("**/login")
    await page.go_back()
    await page.reload()
    await expect(page.get_by_role("heading", name="Je bent niet aangemeld")).to_be_visible()


async def test_warning_before_the_session_ends(browser: Browser, settings: Any) -> None:
    """Idle timeout 30 s and a warning 1 minute ahead: the page warns at once, in a live
    region, with a button that keeps the session (a real request, CSRF token and all)."""
    brief = replace(settings, session_idle_minutes=0.5, session_warning_minutes=1)
    server = await LiveServer(brief).start()
    try:
        family = await make_family(brief)
        page = await new_page(browser, TABLET)
        await log_in(page, server, family)
        warning = page.locator("#session-warning[role=status]")
        await expect(warning).to_contain_text("afgemeld, omdat je niets meer doet")
        await shot(page, "accounts-session-warning")
        assert await axe_violations(page) == []
        button = warning.get_by_role("button", name="Aangemeld blijven")
        box = await button.bounding_box()
        assert box is not None and box["height"] >= 44
        async with page.expect_response("**/session/keepalive*") as answer:
            await button.click()
        assert (await answer.value).status == 200
    finally:
        await server.stop()


async def test_xss_payload_stays_text_everywhere(browser: Browser, server: LiveServer) -> None:
    family = await make_family(server.settings, f"Familie {XSS}")
    mother = await sign_in(server.http, family, "Sanne Bakker")
    tablet = await connect(server, mother)
    add_goal(tablet, "doel-xss", XSS)
    await tablet.wait_saved()
    await tablet.close()

    laptop = await new_page(browser, LAPTOP)
    dialogs = watch_dialogs(laptop)
    home = await log_in(laptop, server, family)
    await expect(laptop.get_by_role("heading", name=f"Familie {XSS}")).to_be_visible()
    await assert_inert(laptop, dialogs, "xss-staff-home")
    session_id = home.rsplit("as=", 1)[1]
    q = f"?as={session_id}"

    await laptop.goto(f"{server.http}/meetings/{family.meeting_id}{q}")
    await laptop.wait_for_selector("body[data-ready='true']", timeout=10_000)
    await laptop.get_by_role("button", name=re.compile("Doelen")).click()
    await shows_payload_in_a_field(laptop)
    await assert_inert(laptop, dialogs, "xss-meeting")

    screen_member = await sign_in(server.http, family, "Gedeeld scherm")
    big = await new_page(browser, BIG_SCREEN, screen_member.cookie, server.http)
    screen_dialogs = watch_dialogs(big)
    await big.goto(f"{server.http}/meetings/{family.meeting_id}?as={screen_member.session_id}")
    await big.wait_for_selector("body[data-ready='true']", timeout=10_000)
    await shows_payload_in_a_field(big)  # the screen follows the coordinator to the goals
    await assert_inert(big, screen_dialogs, "xss-shared-screen")

    await laptop.goto(f"{server.http}/families/{family.family_id}{q}")
    await expect(laptop.get_by_role("heading", level=1)).to_have_text(f"Familie {XSS}")
    await assert_inert(laptop, dialogs, "xss-family-page")

    async with httpx.AsyncClient(base_url=server.http) as http:
        closed = await http.post(
            f"/api/meetings/{family.meeting_id}/close?as={mother.session_id}",
            headers={"Cookie": mother.cookie, "X-CSRF-Token": mother.csrf},
        )
        assert closed.status_code == 403  # only the coordinator closes
        lotte = await sign_in(server.http, family, "Lotte Smit")
        closed = await http.post(
            f"/api/meetings/{family.meeting_id}/close?as={lotte.session_id}",
            headers={"Cookie": lotte.cookie, "X-CSRF-Token": lotte.csrf},
        )
        assert closed.status_code == 201
        plan = await http.get(
            f"/api/families/{family.family_id}/plan?as={lotte.session_id}",
            headers={"Cookie": lotte.cookie},
        )
    assert plan.headers["content-type"] == "application/json"
    assert XSS in [goal["text"] for goal in plan.json()["plan"]["goals"]]

    base = f"{server.http}/families/{family.family_id}/plan"
    for name, url in (("plan", f"{base}{q}"), ("compare", f"{base}/compare{q}&from=1&to=2")):
        await laptop.goto(url)
        await expect(laptop.get_by_text(XSS, exact=True).first).to_be_visible()
        await assert_inert(laptop, dialogs, f"xss-{name}")
    await laptop.goto(f"{base}{q}")
    await laptop.emulate_media(media="print")
    await expect(laptop.get_by_text(XSS, exact=True).first).to_be_visible()
    await assert_inert(laptop, dialogs, "xss-print")
