"""The meeting room for everyone: every step passes axe, works by keyboard alone, keeps
44 px touch targets, and survives 200 % text zoom without sideways scrolling."""

from __future__ import annotations

import re

from playwright.async_api import Page

from tests.browser.conftest import LAPTOP, TABLET, axe_violations, new_page, shot
from tests.conftest import Family, LiveServer, sign_in

SMALL_TARGETS = """() => [...document.querySelectorAll(
  'button, select, input:not([type=radio]), textarea, .score-choice label')]
  .filter(el => el.offsetParent !== null)
  .map(el => [el.textContent.trim().slice(0, 20) || el.id || el.tagName,
              el.getBoundingClientRect().height, el.getBoundingClientRect().width])
  .filter(([, h, w]) => h < 44 || w < 44)"""


async def open_room(browser, server: LiveServer, family: Family, name: str, device) -> Page:  # type: ignore[no-untyped-def]
    member = await sign_in(server.http, family, name)
    page = await new_page(browser, device, member.cookie, server.http)
    await page.goto(f"{server.http}/meetings/{member.meeting_id}?as={member.session_id}")
    await page.wait_for_selector("body[data-ready='true']")
    return page


async def test_every_step_passes_axe_with_big_targets(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    page = await open_room(browser, server, family, "Lotte Smit", TABLET)
    titles = await page.locator(".step-button .title").all_inner_texts()
    assert len(titles) == 7
    for n, title in enumerate(titles, 1):
        await page.get_by_role("button", name=re.compile(re.escape(title))).click()
        await page.wait_for_function(
            "t => document.querySelector('section.step:not([hidden]) h2').textContent.includes(t)",
            arg=title,
        )
        await shot(page, f"tablet-step-{n}")
        assert await axe_violations(page) == [], title
        assert await page.evaluate(SMALL_TARGETS) == [], title


async def test_a_goal_can_be_added_and_scored_by_keyboard_alone(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    page = await open_room(browser, server, family, "Sanne Bakker", LAPTOP)
    await page.locator(".step-button").nth(3).focus()  # reach the agenda, then only keys
    await page.keyboard.press("Enter")
    await page.wait_for_function(
        "() => document.querySelector('section.step:not([hidden]) h2').textContent"
        ".includes('Doelen')"
    )
    await page.locator("#new-goal").focus()
    await page.keyboard.type("Met het toetsenbord")
    await page.keyboard.press("Enter")
    card = page.locator("article.goal").last
    await card.locator("[data-field=goal-text]").wait_for()
    assert await card.locator("[data-field=goal-text]").input_value() == "Met het toetsenbord"
    await card.locator(".score input").first.focus()
    for _ in range(6):
        await page.keyboard.press("ArrowRight")  # radio group: arrows move and choose
    assert await card.locator(".score input:checked").get_attribute("value") == "6"
    focused = await page.evaluate(
        "() => getComputedStyle(document.activeElement.nextElementSibling).outlineStyle"
    )
    assert focused != "none"  # the focus is visible on the chosen score


async def test_text_zoom_200_percent_loses_nothing(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    page = await open_room(browser, server, family, "Sanne Bakker", TABLET)
    await page.get_by_role("button", name=re.compile("Afspraken")).click()
    # as a reader's browser setting would (through the CSSOM: the CSP allows no <style> of ours)
    await page.evaluate(
        "() => document.documentElement.style.setProperty('font-size', '200%', 'important')"
    )
    await shot(page, "tablet-zoom-200")
    overflow = await page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
