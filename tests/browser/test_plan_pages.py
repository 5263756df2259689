"""The family plan pages in Chromium: phone and laptop, the print view and a PDF, axe-core on
every page, touch targets, the print button and the compare form."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import Browser, Page

from tests.browser.conftest import LAPTOP, SHOTS, axe_violations, new_page, shot
from tests.conftest import Family, LiveServer, Member, make_family, sign_in
from tests.pages.test_plan import XSS, family_without_plan, make_history

pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "has_touch": True,
    "is_mobile": True,
    "device_scale_factor": 1,
}
SMALL_PHONE = {**PHONE, "viewport": {"width": 360, "height": 740}}
DEVICES = {"phone": PHONE, "laptop": LAPTOP}
PDF_DIR = SHOTS.parent / "pdf"


async def setup(server: LiveServer) -> tuple[Family, Member]:
    family = await make_family(server.settings)
    await make_history(server.settings, family)
    return family, await sign_in(server.http, family, "Sanne Bakker")


def urls(server: LiveServer, family: Family, member: Member) -> dict[str, str]:
    base = f"{server.http}/families/{family.family_id}/plan"
    return {
        "plan": f"{base}?as={member.session_id}",
        "plan-v2": f"{base}/versions/2?as={member.session_id}",
        "plan-compare": f"{base}/compare?from=1&to=3&as={member.session_id}",
    }


async def open_page(
    browser: Browser, device: dict[str, Any], server: LiveServer, member: Member
) -> Page:
    page = await new_page(browser, device, member.cookie, server.http)
    dialogs: list[str] = []
    page.on("dialog", lambda d: dialogs.append(d.message))
    page.dialogs = dialogs  # type: ignore[attr-defined]
    return page


async def small_targets(page: Page) -> list[str]:
    """Links, buttons and fields people tap that are lower than 44 px."""
    found: list[str] = await page.evaluate(
        """() => [...document.querySelectorAll('a, button, select, input:not([type=hidden])')]
             .filter(el => el.offsetParent !== null && !el.classList.contains('skip'))
             .filter(el => el.getBoundingClientRect().height < 44)
             .map(el => el.outerHTML.slice(0, 80))"""
    )
    return found


async def test_every_plan_page_on_phone_and_laptop(browser: Browser, server: LiveServer) -> None:
    family, member = await setup(server)
    for device_name, device in DEVICES.items():
        page = await open_page(browser, device, server, member)
        for name, url in urls(server, family, member).items():
            response = await page.goto(url)
            assert response is not None and response.status == 200, (name, device_name)
            await shot(page, f"{name}-{device_name}")
            assert await axe_violations(page) == [], (name, device_name)
            assert await small_targets(page) == [], (name, device_name)
            overflow = await page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 0, (name, device_name)
            await page.emulate_media(media="print")
            await shot(page, f"{name}-{device_name}-print")
            hidden = await page.evaluate(
                """() => ['header.top', 'form', '[data-print-view]', '.plan-history']
                     .filter(s => document.querySelector(s))
                     .filter(s => document.querySelector(s).offsetParent !== null)"""
            )
            assert hidden == [], (name, device_name)
            await page.emulate_media(media="screen")
        assert page.errors == [] and page.dialogs == []  # type: ignore[attr-defined]
        await page.context.close()


async def test_plan_fits_a_small_phone(browser: Browser, server: LiveServer) -> None:
    family, member = await setup(server)
    page = await open_page(browser, SMALL_PHONE, server, member)
    for name, url in urls(server, family, member).items():
        await page.goto(url)
        overflow = await page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, name
    await shot(page, "plan-compare-phone-360")
    await page.goto(urls(server, family, member)["plan"])
    await shot(page, "plan-phone-360")
    await page.context.close()


async def test_print_to_a4_pdf(browser: Browser, server: LiveServer) -> None:
    family, member = await setup(server)
    page = await open_page(browser, LAPTOP, server, member)
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    for name, url in urls(server, family, member).items():
        await page.goto(url)
        # what the sheet looks like: A4 minus 15 mm margins is about 680 px wide
        await page.set_viewport_size({"width": 680, "height": 962})
        await page.emulate_media(media="print")
        await shot(page, f"{name}-a4-print")
        await page.emulate_media(media="screen")
        await page.set_viewport_size(LAPTOP["viewport"])
        path = PDF_DIR / f"{name}.pdf"
        await page.pdf(path=str(path), prefer_css_page_size=True, print_background=True)
        data = path.read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 5_000, name
        assert (
            data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type/Page")
            >= 1
        )
    await page.context.close()


async def test_print_button_opens_the_print_dialog(browser: Browser, server: LiveServer) -> None:
    family, member = await setup(server)
    page = await open_page(browser, PHONE, server, member)
    await page.add_init_script(
        "window.print = () => { window.printed = (window.printed || 0) + 1 }"
    )
    await page.goto(urls(server, family, member)["plan"])
    # the button opens the print view (audited on the server), which opens the dialog itself
    await page.get_by_role("link", name="Afdrukken").click()
    await page.wait_for_url("**/plan/print?**")
    await page.wait_for_function("() => window.printed === 1", timeout=5000)
    await shot(page, "plan-print-view")
    assert await axe_violations(page) == []
    # and its own button prints again
    await page.get_by_role("button", name="Afdrukken").click()
    assert await page.evaluate("() => window.printed") == 2
    await page.context.close()


async def test_compare_form_and_version_links(browser: Browser, server: LiveServer) -> None:
    family, member = await setup(server)
    page = await open_page(browser, PHONE, server, member)
    await page.goto(urls(server, family, member)["plan"])
    await page.get_by_label("Eerste plan").select_option("1")
    await page.get_by_label("Tweede plan").select_option("2")
    await page.get_by_role("button", name="Laat zien wat anders is").click()
    await page.wait_for_url("**/plan/compare?**")
    assert f"as={member.session_id}" in page.url
    await page.get_by_role("heading", name="Wat is er veranderd?").wait_for()
    assert await page.get_by_text("van 4 naar 6").is_visible()
    await shot(page, "plan-compare-1-2-phone")
    # the history links open an older version, which says so and links back
    await page.get_by_role("link", name="Terug naar het plan").click()
    await page.get_by_role("link", name="Plan 1").click()
    await page.get_by_text("Let op: dit is een oud plan (plan 1).").wait_for()
    assert await axe_violations(page) == []
    await shot(page, "plan-v1-phone")
    await page.get_by_role("link", name="Naar het nieuwste plan").click()
    await page.get_by_text("Plan 3, gemaakt op").wait_for()
    assert f"as={member.session_id}" in page.url
    await page.context.close()


async def test_typed_html_is_shown_as_text(browser: Browser, server: LiveServer) -> None:
    family, member = await setup(server)
    page = await open_page(browser, LAPTOP, server, member)
    await page.goto(urls(server, family, member)["plan"])
    assert await page.get_by_text(XSS).count() >= 1
    assert await page.locator("main img").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]
    await page.context.close()


async def test_strict_csp_is_not_violated(browser: Browser, server: LiveServer) -> None:
    """The chart and the pages need no inline styles or scripts (CSP is enforced here)."""
    family, member = await setup(server)
    context = await browser.new_context(**PHONE, locale="nl-NL")
    name, value = member.cookie.split("=", 1)
    await context.add_cookies([{"name": name, "value": value, "url": server.http}])
    page = await context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text) if m.type == "error" else None)
    for url in urls(server, family, member).values():
        await page.goto(url)
        await page.wait_for_load_state("networkidle")
    assert [m for m in messages if "Content Security Policy" in m] == []
    await context.close()


async def test_no_plan_yet_page(browser: Browser, server: LiveServer) -> None:
    family = await family_without_plan(server.settings)
    member = await sign_in(server.http, family, "Ayla Nieuw")
    page = await open_page(browser, PHONE, server, member)
    await page.goto(f"{server.http}/families/{family.family_id}/plan?as={member.session_id}")
    await page.get_by_role("heading", name="Er is nog geen plan").wait_for()
    await shot(page, "plan-empty-phone")
    assert await axe_violations(page) == []
    await page.context.close()
