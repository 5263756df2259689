"""The shared screen (issue 18): read from across the room at 1920x1080 and 1280x720, every
step axe-clean with nothing to press, and a goal the mother just added brought into view by
itself within 2 s."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.async_api import Page

from tests.access.test_admission import coordinator_post, tablet_joins
from tests.browser.conftest import LAPTOP, TABLET, axe_violations, new_page, shot
from tests.browser.test_round_table import open_meeting, seat
from tests.conftest import Family, LiveServer, sign_in

STEPS = [
    "Welkom",
    "Wat gaat goed",
    "Terugblik",
    "Doelen",
    "Afspraken",
    "Contactpersonen",
    "Afsluiten",
]
# the elements people read on the screen, and what they are
MEASURED = {
    "step heading": "section.step:not([hidden]) > h2",
    "section heading": "section.step:not([hidden]) h3",
    "goal words": "section.step:not([hidden]) [data-field=goal-text]",
    "label": "section.step:not([hidden]) .goal label",
    "author line": "section.step:not([hidden]) .by",
}

FONT_SIZES = """(selectors) => Object.fromEntries(Object.entries(selectors).map(([k, sel]) => {
  const el = document.querySelector(sel)
  return [k, el ? parseFloat(getComputedStyle(el).fontSize) : null]
}))"""

# every control a person could press or type in, as far as it is shown at all
VISIBLE_CONTROLS = """() => [...document.querySelectorAll(
  'button, a[href], input, select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
  .filter(el => el.checkVisibility() && !el.disabled && !el.readOnly
    && !el.classList.contains('skip'))
  .map(el => el.outerHTML.slice(0, 80))"""

IN_VIEW = """(text) => {
  const view = document.querySelector('#steps').getBoundingClientRect()
  return [...document.querySelectorAll('section.step:not([hidden]) article.goal')].some(card => {
    const box = card.getBoundingClientRect()
    return card.querySelector('[data-field=goal-text]').value === text
      && box.top >= view.top - 1 && box.top < view.bottom - 40
  })
}"""


async def move_to(laptop: Page, screen: Page, step: int) -> None:
    await laptop.locator(f"button.step-button[data-step='{step}']").click()
    await screen.wait_for_function(
        "(t) => document.querySelector('section.step:not([hidden]) h2')?.textContent.includes(t)",
        arg=STEPS[step],
        timeout=10_000,
    )


async def no_sideways_scrolling(page: Page) -> None:
    width = await page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
    assert width <= 0, f"{width}px of sideways scrolling"


async def add_goal(tablet: Page, text: str) -> None:
    await tablet.locator("#new-goal").fill(text)
    await tablet.get_by_role("button", name="Doel toevoegen").click()


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)], ids=["1080p", "720p"])
async def test_the_shared_screen_reads_from_across_the_room(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family, size: tuple[int, int]
) -> None:
    width, height = size
    screen_size = {"viewport": {"width": width, "height": height}}
    laptop, tablet, screen = await seat(
        browser,
        server,
        family,
        ("Lotte Smit", LAPTOP),
        ("Sanne Bakker", TABLET),
        ("Gedeeld scherm", screen_size),
    )
    await screen.wait_for_selector("#table .join-code", timeout=10_000)

    # every step: axe-clean, nothing to press, no sideways scrolling, a screenshot to look at
    for step in range(len(STEPS)):
        await move_to(laptop, screen, step)
        if step == len(STEPS) - 1:  # the closing step shows what changed by itself
            await screen.locator(".changes h4, .changes p").first.wait_for(timeout=10_000)
        await shot(screen, f"screen-{height}p-step-{step + 1}", full_page=False)
        assert await screen.evaluate(VISIBLE_CONTROLS) == [], STEPS[step]
        await no_sideways_scrolling(screen)
        violations = await axe_violations(screen)
        assert violations == [], (STEPS[step], violations)

    # the goals: several, so that a new one lands far below the edge of the screen
    await move_to(laptop, screen, 3)
    await tablet.wait_for_selector("#new-goal")
    for n in range(3):
        await add_goal(tablet, f"Een doel om de lijst lang te maken, nummer {n + 1}")
    await screen.wait_for_function(
        "() => document.querySelectorAll('section.step:not([hidden]) article.goal').length >= 5"
    )
    sizes: dict[str, Any] = await screen.evaluate(FONT_SIZES, MEASURED)
    body = 44 * height / 1080  # 44 px at 1080p; the same picture, smaller, at 720p
    print(f"\nFIGURE shared screen {width}x{height} font sizes (px): {sizes}")
    for name in ("goal words", "label", "author line"):
        assert sizes[name] >= body - 0.5, (name, sizes)
    assert sizes["step heading"] > sizes["goal words"]
    assert sizes["section heading"] > sizes["goal words"]

    new_words = "Mama wil weer gaan werken"
    started = time.perf_counter()
    await add_goal(tablet, new_words)
    await screen.wait_for_function(IN_VIEW, arg=new_words, timeout=2_000, polling=50)
    seen = time.perf_counter() - started
    print(f"FIGURE new goal on the tablet to inside the screen's viewport: {seen * 1000:.0f} ms")
    await shot(screen, f"screen-{height}p-new-goal", full_page=False)
    assert screen.errors == [], screen.errors  # type: ignore[attr-defined]


async def test_the_code_is_large_while_someone_waits(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    screen_member = await sign_in(server.http, family, "Gedeeld scherm")
    screen = await new_page(
        browser, {"viewport": {"width": 1920, "height": 1080}}, screen_member.cookie, server.http
    )
    await open_meeting(screen, server, screen_member)
    code = screen.locator("#table .join-code")
    assert (
        await code.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") > 70
    )  # 1.76rem: 78 px at 1080p
    qr = screen.locator("#table .join-qr svg")
    assert await qr.is_visible()
    large = await qr.evaluate("el => el.getBoundingClientRect().height")
    # leave the welcome step: the code and its QR code shrink into the band
    coordinator = await sign_in(server.http, family, "Lotte Smit")
    laptop = await new_page(browser, LAPTOP, coordinator.cookie, server.http)
    await open_meeting(laptop, server, coordinator)
    await move_to(laptop, screen, 1)
    assert await code.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") < 40
    assert await qr.evaluate("el => el.getBoundingClientRect().height") < large / 2
    await shot(screen, "screen-code-small", full_page=False)
    joining = await code.inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", joining)
    # Mark asks to join with the code: the screen (polling every 3 s) shows it large again,
    # without a name (the screen learns only how many wait); admitted, it shrinks back
    tablet = await tablet_joins(server, joining, "Mark Bakker", coordinator.meeting_id)
    await screen.wait_for_selector("#table[data-waiting='true'] .join-qr svg", timeout=15_000)
    assert (
        await code.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") > 70
    )  # 1.76rem: 78 px at 1080p
    assert "Mark" not in await screen.locator("body").inner_text()
    await shot(screen, "screen-code-someone-waiting", full_page=False)
    admitted = await coordinator_post(server, coordinator, f"requests/{tablet.session_id}/admit")
    assert admitted.status_code == 200, admitted.text
    await screen.wait_for_selector("#table[data-waiting='false']", timeout=15_000)
    await tablet.http.aclose()
