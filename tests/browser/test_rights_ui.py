"""The page offers each field only to who may write it (web/src/rights.js, the server's
rights.py): read-only for everyone else, never hidden; limits shown before they are reached;
and trying what is not yours never costs you the connection (no 4422)."""

from __future__ import annotations

import re

from playwright.async_api import Page

from tests.browser.conftest import LAPTOP, TABLET, axe_violations, new_page, shot
from tests.conftest import Family, LiveServer, sign_in

READY = "body[data-ready='true']"
STEP = "section.step:not([hidden])"


async def open_room(browser, server: LiveServer, family: Family, name: str, device) -> Page:  # type: ignore[no-untyped-def]
    member = await sign_in(server.http, family, name)
    page = await new_page(browser, device, member.cookie, server.http)
    await page.goto(f"{server.http}/meetings/{member.meeting_id}?as={member.session_id}")
    await page.wait_for_selector(READY, timeout=10_000)
    return page


async def go_to(page: Page, title: str) -> None:
    await page.get_by_role("button", name=re.compile(title)).click()
    await page.wait_for_function(
        "t => document.querySelector('section.step:not([hidden]) h2')?.textContent.includes(t)",
        arg=title,
    )


async def readonly(page: Page, selector: str) -> bool:
    return bool(
        await page.locator(f"{STEP} {selector}").first.evaluate("el => el.readOnly || el.disabled")
    )


async def try_typing(page: Page, selector: str, words: str) -> str:
    """Click into the field, type, and return what it holds afterwards."""
    field = page.locator(f"{STEP} {selector}").first
    await field.click()
    await page.keyboard.press("Control+End")
    await page.keyboard.type(words)
    return await field.input_value()


async def wait_value(page: Page, selector: str, pattern: str) -> None:
    await page.wait_for_function(
        "([sel, pat]) => [...document.querySelectorAll(sel)]"
        ".some(el => new RegExp(pat).test(el.value))",
        arg=[f"{STEP} {selector}", pattern],
        timeout=10_000,
    )


async def still_connected(*pages: Page) -> None:
    """Nobody was refused: the refusal notice stays hidden and everything is saved."""
    for page in pages:
        await page.wait_for_selector("#save-state[data-state='saved']", timeout=10_000)
        assert await page.locator("#refused").is_hidden()
        assert page.errors == [], page.errors  # type: ignore[attr-defined]


async def test_each_field_is_writable_only_by_who_may_write_it(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    laptop = await open_room(browser, server, family, "Lotte Smit", LAPTOP)  # coordinator
    oma = await open_room(browser, server, family, "Oma Ria", TABLET)  # network
    mother = await open_room(browser, server, family, "Sanne Bakker", TABLET)  # family
    esther = await open_room(browser, server, family, "Esther de Wit", LAPTOP)  # professional

    # the minutes: the coordinator's; the others read along
    for page in (laptop, oma, mother, esther):
        await go_to(page, "Afsluiten")
    assert not await readonly(laptop, "[data-field=minutes]")
    for page in (oma, mother, esther):
        assert await readonly(page, "[data-field=minutes]")
        assert await readonly(page, "[data-field=next_meeting]")
        assert await page.locator(f"{STEP} .note").first.is_visible()
    assert await try_typing(oma, "[data-field=minutes]", "Oma typt mee") == ""
    await try_typing(laptop, "[data-field=minutes]", "Iedereen is er.")
    for page in (oma, mother, esther):
        await wait_value(page, "[data-field=minutes]", "^Iedereen is er\\.$")
    await shot(oma, "rights-tablet-network-minutes")
    await shot(laptop, "rights-laptop-coordinator-minutes")

    # the goals: words for the author, the family and the coordinator; the view for professionals
    for page in (laptop, oma, mother, esther):
        await go_to(page, "Doelen")
    money = "article.goal[data-id=doel-geld]"  # Sanne wrote it
    assert await readonly(oma, f"{money} [data-field=goal-view]")
    assert await readonly(oma, f"{money} [data-field=goal-text]")
    assert await readonly(oma, f"{money} [data-field=domain]")
    assert await oma.locator(f"{STEP} {money} .score input").first.is_disabled()
    assert not await readonly(oma, "[data-field=vision]")  # the network helps with the vision
    before = await oma.locator(f"{STEP} {money} [data-field=goal-view]").input_value()
    assert await try_typing(oma, f"{money} [data-field=goal-view]", " oma") == before
    assert not await readonly(mother, f"{money} [data-field=goal-text]")
    assert await readonly(mother, f"{money} [data-field=goal-view]")
    assert await readonly(esther, f"{money} [data-field=goal-text]")
    assert await readonly(esther, "[data-field=vision]")
    assert not await readonly(esther, f"{money} [data-field=goal-view]")
    assert not await readonly(laptop, f"{money} [data-field=goal-view]")
    await try_typing(esther, f"{money} [data-field=goal-view]", " Esther helpt mee.")
    await wait_value(laptop, f"{money} [data-field=goal-view]", "Esther helpt mee\\.$")
    await wait_value(oma, f"{money} [data-field=goal-view]", "Esther helpt mee\\.$")

    # a goal the network member adds is hers to word, not to give a professional view
    await oma.locator("#new-goal").fill("Oma kookt op woensdag")
    await oma.get_by_role("button", name="Doel toevoegen").click()
    mine = oma.locator(f"{STEP} article.goal").last
    await mine.locator("[data-field=goal-text]").wait_for()
    assert await mine.locator("[data-field=goal-text]").evaluate("el => !el.readOnly")
    assert await mine.locator("[data-field=goal-view]").evaluate("el => el.readOnly")
    await mine.locator("[data-field=goal-text]").click()
    await oma.keyboard.press("End")
    await oma.keyboard.type(" en past op")
    await wait_value(laptop, "[data-field=goal-text]", "^Oma kookt op woensdag en past op$")
    await shot(oma, "rights-tablet-network-goals")
    assert await axe_violations(oma) == []

    # concerns: professionals add theirs in a box of its own, nothing of the rest can go
    for page in (laptop, esther):
        await go_to(page, "Wat gaat goed")
    assert await readonly(esther, "[data-field=concerns]")
    assert not await readonly(laptop, "[data-field=concerns]")
    await esther.locator("#add-concern").fill("Op school gaat het nog niet goed.")
    await esther.get_by_role("button", name="Zorg toevoegen").click()
    await wait_value(laptop, "[data-field=concerns]", "\\nOp school gaat het nog niet goed\\.$")
    await wait_value(esther, "[data-field=concerns]", "^Er zijn schulden.*\\nOp school")
    await shot(esther, "rights-laptop-professional-concerns")
    assert await axe_violations(esther) == []

    await still_connected(laptop, oma, mother, esther)


async def test_limits_show_before_they_are_reached(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    mother = await open_room(browser, server, family, "Sanne Bakker", TABLET)
    laptop = await open_room(browser, server, family, "Lotte Smit", LAPTOP)
    for page in (mother, laptop):
        await go_to(page, "Doelen")
    words = f"{STEP} article.goal[data-id=doel-geld] [data-field=goal-text]"  # 500 characters
    counter = mother.locator(f"{STEP} article.goal[data-id=doel-geld] .counter")
    area = mother.locator(words)
    assert await area.get_attribute("maxlength") == "500"

    text = ("Wij sparen elke week. " * 30)[:460]  # words, as a mother types them
    await area.fill(text[:390])  # under 80 %: no counter yet
    assert await counter.is_hidden()
    await area.fill(text)
    await counter.wait_for(state="visible")
    assert await counter.inner_text() == "Nog 40 tekens"
    assert await counter.get_attribute("aria-live") == "polite"
    await shot(mother, "rights-tablet-counter")

    # typing stops at the limit
    await area.click()
    await mother.keyboard.press("Control+End")
    await mother.keyboard.type("b" * 60)
    assert await area.input_value() == text + "b" * 40
    assert "vol" in await counter.inner_text()
    # and a paste that gets past maxlength is cut before it reaches the document
    await area.evaluate(
        "el => { el.value = el.value.slice(0, 450) + 'c'.repeat(80);"
        " el.dispatchEvent(new Event('input', {bubbles: true})) }"
    )
    assert await area.input_value() == text[:450] + "c" * 50
    await laptop.wait_for_function(
        "([sel, want]) => document.querySelector(sel)?.value === want",
        arg=[words, text[:450] + "c" * 50],
        timeout=10_000,
    )
    await shot(mother, "rights-tablet-limit-reached")

    # decisions: at 50 the add button stops, with a short note why
    await go_to(laptop, "Contactpersonen")
    add = laptop.get_by_role("button", name="Besluit toevoegen")
    while await laptop.locator(f"{STEP} article.decision").count() < 50:
        assert await add.is_enabled()
        await add.click()
    await laptop.wait_for_function(
        "() => document.querySelectorAll('article.decision').length === 50"
    )
    assert await add.is_disabled()
    await laptop.get_by_text("De lijst is vol").wait_for()
    await add.scroll_into_view_if_needed()
    await shot(laptop, "rights-laptop-list-full", full_page=False)

    await still_connected(mother, laptop)


LOOK = """el => { const s = getComputedStyle(el);
  return {cursor: s.cursor, background: s.backgroundColor, color: s.color,
          border: s.borderTopColor} }"""


def contrast(one: str, other: str) -> float:
    """WCAG contrast of two opaque ``rgb(r, g, b)`` colours."""

    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


async def test_a_score_she_may_not_give_looks_so_and_says_why(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    oma = await open_room(browser, server, family, "Oma Ria", TABLET)  # network
    mother = await open_room(browser, server, family, "Sanne Bakker", TABLET)  # family
    for page in (oma, mother):
        await go_to(page, "Doelen")
    money = f"{STEP} article.goal[data-id=doel-geld]"  # Sanne wrote it
    await mother.locator(f"{money} .score label").filter(has_text=re.compile("^6$")).click()
    await oma.wait_for_function(
        "sel => document.querySelector(sel + ' .score input[value=\"6\"]').checked", arg=money
    )
    hers = await mother.locator(f"{money} .score label").first.evaluate(LOOK)
    mine = await oma.locator(f"{money} .score label").first.evaluate(LOOK)
    chosen = await oma.locator(f"{money} .score input:checked + label").evaluate(LOOK)
    assert hers["cursor"] == "pointer" and mine["cursor"] == "default"
    assert mine["background"] != hers["background"] and mine["border"] != hers["border"]
    assert contrast(mine["color"], mine["background"]) >= 4.5  # still read, not pressed
    assert contrast(chosen["color"], chosen["background"]) >= 4.5
    note = oma.locator(f"{money} .note").first
    assert await note.inner_text() == (
        "Alleen het gezin, de regisseur en wie dit doel bedacht, kunnen het veranderen. "
        "Je kunt het wel lezen."
    )
    await oma.locator(money).scroll_into_view_if_needed()
    await shot(oma, "rights-tablet-network-score-read-only", full_page=False)
    await shot(mother, "rights-tablet-family-score", full_page=False)
    assert await axe_violations(oma) == []
    await still_connected(oma, mother)
