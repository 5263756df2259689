"""The shared screen on the wall with long words: every value wraps in full (a picker's
chosen value too), in its own writing direction in an Arabic page; a date reads in words of
the page's language; a moved-to card starts whole below the band at the top; the QR code to
join stays in the band on every step; the closed banner covers nothing and offers no link. On
the laptop a chosen owner reads as the name, though the list says what each person offered."""

from __future__ import annotations

from playwright.async_api import Page

from tests.browser.conftest import BIG_SCREEN, LAPTOP, shot
from tests.browser.test_languages import set_language
from tests.browser.test_round_table import seat
from tests.browser.test_shared_screen import add_goal, move_to
from tests.conftest import Family, LiveServer

LONG_GOAL = "Ik wil 's avonds rust in huis en zelf de regie houden over ons geld en de post."
ACTION = "Oma Ria kookt op woensdag voor het hele gezin"
GRANDMA = "Oma Ria: Kan op woensdag koken en oppassen."

# every value shown in the step, with whether it is cut: wider or taller than its box, or
# starting above or ending below the part of the screen that shows the steps
CUT_VALUES = """() => {
  const view = document.querySelector('#steps').getBoundingClientRect()
  return [...document.querySelectorAll(
      'section.step:not([hidden]) :is(textarea, .chosen, .what, .plan-text)')]
    .filter(el => el.checkVisibility())
    .filter(el => { const box = el.getBoundingClientRect()
      return box.bottom > view.top && box.top < view.bottom })
    .map(el => { const box = el.getBoundingClientRect()
      return {text: el.value ?? el.textContent, wide: el.scrollWidth > el.clientWidth + 1,
        tall: el.scrollHeight > el.clientHeight + 1,
        outside: box.top < view.top - 1 || box.bottom > view.bottom + 1} })
    .filter(v => v.wide || v.tall)
}"""

# boxes of what the screen shows, to check that nothing lies over anything else
BOX = "el => { const b = el.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom] }"


def overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


async def add_action(laptop: Page, text: str, owner: str, goal: str) -> None:
    await laptop.locator("#new-action").fill(text)
    await laptop.get_by_role("button", name="Afspraak toevoegen").click()
    card = laptop.locator("article.action").filter(has=laptop.locator("textarea")).last
    await card.locator("[data-field=action-text]").wait_for()
    await card.locator("select[data-field=owner_id]").select_option(label=owner)
    goals = card.locator("select[data-field=goal_id]")
    # a long goal is listed shortened, at a word; its full words stay with the option
    value = await goals.evaluate(
        "(s, goal) => [...s.options].find(o => o.dataset.shown === goal).value", goal
    )
    await goals.select_option(value=value)


async def a_long_action(browser, server: LiveServer, family: Family) -> list[Page]:  # type: ignore[no-untyped-def]
    """The laptop and the wall; the laptop adds a long goal and an action for it by Oma Ria."""
    laptop, screen = await seat(
        browser, server, family, ("Lotte Smit", LAPTOP), ("Gedeeld scherm", BIG_SCREEN)
    )
    await screen.wait_for_selector("#table .join-code", timeout=10_000)
    await move_to(laptop, screen, 3)
    await add_goal(laptop, LONG_GOAL)
    await move_to(laptop, screen, 4)
    await add_action(laptop, ACTION, GRANDMA, LONG_GOAL)
    return [laptop, screen]


async def test_the_wall_shows_long_values_whole(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    laptop, screen = await a_long_action(browser, server, family)
    # the laptop: the chosen owner reads as her name; the list still says what people offer
    owner = laptop.locator("article.action select[data-field=owner_id]").last
    shown = await owner.evaluate("s => s.selectedOptions[0].textContent")
    assert shown == "Oma Ria", shown
    listed = await owner.evaluate("s => [...s.options].map(o => o.textContent)")
    assert "Fatima El Amrani: Kan Daan naar voetbal brengen." in listed, listed
    await shot(laptop, "wall-laptop-owner", full_page=False)
    # the wall: the owner by name, the goal in full words, nothing cut at a box's edge
    card = screen.locator("section.step:not([hidden]) article.action").last
    await card.locator(".chosen", has_text=LONG_GOAL).wait_for(timeout=10_000)
    assert await card.locator("[data-field=action-text]").input_value() == ACTION
    chosen = await card.locator(".chosen").all_inner_texts()
    assert "Oma Ria" in chosen and LONG_GOAL in chosen, chosen
    # the last plan's action due on 2026-12-15: its date in words, the input out of sight;
    # the laptop has both, the input to pick and the words under it
    due = screen.locator("section.step:not([hidden]) .field:has([data-field=due])")
    assert "dinsdag 15 december 2026" in await due.locator(".date-words").all_inner_texts()
    assert not await due.locator("input").first.is_visible()
    due = laptop.locator("section.step:not([hidden]) .field:has([data-field=due])").first
    assert await due.locator("input").is_visible()
    assert await due.locator(".date-words").inner_text() == "dinsdag 15 december 2026"
    await card.evaluate("el => el.scrollIntoView()")
    await shot(screen, "wall-long-values", full_page=False)
    assert await screen.evaluate(CUT_VALUES) == []
    assert screen.errors == [], screen.errors  # type: ignore[attr-defined]


async def test_the_wall_moves_a_card_up_whole_below_the_band(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    _laptop, screen = await a_long_action(browser, server, family)
    # the new action comes up to the band, whole: no label cut off at the top
    await screen.wait_for_function(
        """(text) => { const view = document.querySelector('#steps').getBoundingClientRect()
          return [...document.querySelectorAll('section.step:not([hidden]) article.action')]
            .some(card => { const box = card.getBoundingClientRect()
              return card.querySelector('textarea').value === text
                && box.top >= view.top && box.top < view.top + 40 }) }""",
        arg=ACTION,
        timeout=10_000,
    )
    await shot(screen, "wall-actions", full_page=False)
    assert screen.errors == [], screen.errors  # type: ignore[attr-defined]


async def test_the_qr_code_stays_in_the_band_on_every_step(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    laptop, screen = await seat(
        browser, server, family, ("Lotte Smit", LAPTOP), ("Gedeeld scherm", BIG_SCREEN)
    )
    qr = screen.locator("#table .join-qr svg")
    await qr.wait_for(timeout=10_000)
    large = await qr.evaluate(BOX)
    for step in range(1, 7):
        await move_to(laptop, screen, step)
        assert await qr.is_visible(), step
        steps_box = await screen.locator("#steps").evaluate(BOX)
        box = await qr.evaluate(BOX)
        assert box[3] <= steps_box[1] + 1, (step, box)  # in the band, beside the code
        assert 80 <= box[3] - box[1] < large[3] - large[1], (step, box)  # smaller, scannable
        await shot(screen, f"wall-qr-step-{step + 1}", full_page=False)
    assert screen.errors == [], screen.errors  # type: ignore[attr-defined]


async def test_closed_the_wall_says_so_over_nothing_without_a_link(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    laptop, screen = await seat(
        browser, server, family, ("Lotte Smit", LAPTOP), ("Gedeeld scherm", BIG_SCREEN)
    )
    await move_to(laptop, screen, 6)
    await laptop.locator("button[data-action=close]").click()
    await laptop.get_by_role("button", name="Ja, afsluiten").click()
    banner = screen.locator("#closed")
    await banner.wait_for(state="visible", timeout=10_000)
    await shot(screen, "wall-closed", full_page=False)
    assert await banner.locator("a").count() == 0
    banner_box = await banner.evaluate(BOX)
    shown_boxes = await screen.evaluate(
        """() => [...document.querySelectorAll('section.step:not([hidden]) *')]
          .filter(el => el.checkVisibility() && el.children.length === 0)
          .map(el => { const b = el.getBoundingClientRect()
            return [b.left, b.top, b.right, b.bottom] })
          .filter(b => b[2] > b[0] && b[3] > b[1])"""
    )
    steps_box = await screen.locator("#steps").evaluate(BOX)
    covered = [b for b in shown_boxes if b[3] > steps_box[1] and overlap(banner_box, b)]
    assert covered == [], (banner_box, covered[:3])
    assert banner_box[3] <= steps_box[1] + 1  # above the steps, in the flow
    assert banner_box[3] - banner_box[1] < 60, banner_box  # one quiet line
    # the laptop keeps its way to the plan
    assert await laptop.locator("#closed a").count() == 1
    assert screen.errors == [], screen.errors  # type: ignore[attr-defined]


async def test_the_wall_in_arabic_keeps_dutch_words_in_their_own_direction(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    for name in ("Sanne Bakker", "Mark Bakker"):
        set_language(server, name, "ar")
    laptop, screen = await seat(
        browser, server, family, ("Lotte Smit", LAPTOP), ("Gedeeld scherm", BIG_SCREEN)
    )
    assert await screen.evaluate("document.documentElement.dir") == "rtl"
    await move_to_step(laptop, screen, 4)
    await add_action(laptop, ACTION, GRANDMA, "Daan gaat elke dag naar school.")
    card = screen.locator("section.step:not([hidden]) article.action").last
    await card.locator(".chosen", has_text="Oma Ria").wait_for(timeout=10_000)
    await shot(screen, "wall-ar-actions", full_page=False)
    directions = await card.locator("textarea, .chosen").evaluate_all(
        "els => els.filter(el => el.checkVisibility())"
        ".map(el => [el.value ?? el.textContent, getComputedStyle(el).direction])"
    )
    for text in (ACTION, "Oma Ria", "Daan gaat elke dag naar school."):
        assert [text, "ltr"] in directions, (text, directions)
    # a date in words of the page's language, not the browser's digits ("12/15/2026")
    due = screen.locator("section.step:not([hidden]) .field:has([data-field=due]) .date-words")
    assert "الثلاثاء، 15 ديسمبر 2026" in await due.all_inner_texts()
    # looking back: the owner's name in a line of Arabic stays one piece
    await move_to_step(laptop, screen, 2)
    name = screen.locator("section.step:not([hidden]) article.evaluation bdi").first
    assert await name.inner_text() in ("Oma Ria", "Joost Verhoef", "Esther de Wit")
    await shot(screen, "wall-ar-review", full_page=False)
    assert screen.errors == [], screen.errors  # type: ignore[attr-defined]


async def move_to_step(laptop: Page, screen: Page, step: int) -> None:
    """Like move_to, in any language: the screen shows the step the laptop chose."""
    await laptop.locator(f"button.step-button[data-step='{step}']").click()
    await screen.wait_for_function(
        "(n) => document.body.dataset.step === String(n)", arg=step, timeout=10_000
    )
