"""The plan keeps its word (issue 17), in real Chromium: two round tables in a row — a decision
made in the first and lifted in the second, a test goal added and then removed, one score
changed and one left alone, a goal reworded by the coordinator — and the closing review, the
shared screen, the compare page, the plan page and the print say all of it, with who did it.
Then erasure with a tablet still open: it says the family's data is gone and shows none of it."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import BIG_SCREEN, LAPTOP, TABLET, axe_violations, new_page, shot
from tests.browser.test_accounts import log_in
from tests.conftest import Family, LiveServer, sign_in

pytestmark = pytest.mark.browser
READY = "body[data-ready='true']"
DECISION = "Daan slaapt bij oma Ria als het thuis niet veilig is."
TEST_GOAL = "Dit is een testdoel"
VISION = " We eten elke avond samen."


async def usable(page: Page, name: str) -> None:
    """Saved for people to look at; no axe violations, no script errors, no sideways scroll."""
    await shot(page, name)
    assert await axe_violations(page) == [], name
    assert page.errors == [], page.errors  # type: ignore[attr-defined]
    overflow = await page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, name


async def says(page: Page, url: str, *texts: str) -> None:
    await page.goto(url)
    for text in texts:
        await expect(page.locator("main")).to_contain_text(text)


async def step(page: Page, title: str) -> None:
    await page.locator("#agenda").get_by_role("button", name=re.compile(title)).click()
    await page.wait_for_function(
        "t => document.querySelector('section.step:not([hidden]) h2')?.textContent.includes(t)",
        arg=title,
        timeout=10_000,
    )


async def type_into(page: Page, selector: str, words: str) -> None:
    field = page.locator(f"section.step:not([hidden]) {selector}").first
    await field.click()
    await page.keyboard.press("Control+End")
    await page.keyboard.type(words)


async def saved(page: Page) -> None:
    await page.wait_for_selector("#save-state[data-state='saved']", timeout=15_000)


async def confirm(page: Page, button: str, yes: str) -> None:
    await page.locator("section.step:not([hidden])").get_by_role("button", name=button).click()
    await page.get_by_role("button", name=yes).click()


async def changes_say(page: Page, *texts: str) -> None:
    box = page.locator("section.step:not([hidden]) [data-changes-view]")
    for text in texts:
        await expect(box).to_contain_text(text, timeout=15_000)


async def close_meeting(laptop: Page) -> None:
    await laptop.locator("button[data-action=close]").click()
    await laptop.get_by_role("button", name="Ja, afsluiten").click()
    await laptop.wait_for_selector("#closed:not([hidden])", timeout=10_000)


async def first_round_table(laptop: Page, tablet: Page, screen: Page) -> None:
    """Meeting 1: a test goal, a score given and one left alone, an action evaluated, the
    coordinator rewords the family's goal, a decision; the mother adds to the vision, the
    coordinator marks the father at the table without a device."""
    await laptop.get_by_label("Mark Bakker").select_option("at_table")
    await step(tablet, "Terugblik")
    card = tablet.locator("article.goal-score[data-id='doel-school']")
    await card.get_by_text("Vorige keer: 4").wait_for()  # last time's score, this one empty
    assert await card.locator("input:checked").count() == 0
    await card.locator("label", has_text=re.compile(r"^7$")).click()
    post = tablet.locator("article.evaluation[data-id='actie-post']")
    await post.locator("select").select_option("partly")
    await type_into(
        tablet,
        "article.evaluation[data-id='actie-post'] [data-field=evaluation]",
        "De helft is gesorteerd.",
    )
    await step(tablet, "Doelen")
    await tablet.locator("#new-goal").fill(TEST_GOAL)
    await tablet.get_by_role("button", name="Doel toevoegen").click()
    await type_into(tablet, "[data-field=vision]", VISION)
    await saved(tablet)

    await step(laptop, "Doelen")
    await type_into(
        laptop, "article.goal[data-id='doel-geld'] [data-field=goal-text]", " Met hulp van Joost."
    )
    money = laptop.locator("article.goal[data-id='doel-geld'] [data-trace]")
    await expect(money).to_have_text(
        "Bedacht door Sanne Bakker (gezin); aangepast door Lotte Smit (regisseur, namens het gezin)"
    )
    await step(laptop, "Contactpersonen")
    await laptop.get_by_role("button", name="Besluit toevoegen").click()
    await laptop.keyboard.type(DECISION)
    await type_into(
        laptop, "article.decision [data-field=decision-reason]", "De veiligheid van Daan gaat voor."
    )
    await expect(laptop.locator("article.decision [data-trace]")).to_have_text(
        "Besloten door Lotte Smit (regisseur)"
    )
    await saved(laptop)

    await step(laptop, "Afsluiten")
    await changes_say(
        laptop,
        "Cijfers",
        "van 4 naar 7",
        "Geen nieuw cijfer gekregen",
        "Nieuwe besluiten",
        DECISION,
        "namens het gezin",
        "De helft is gesorteerd.",
        "Zo willen we dat het wordt",
        VISION.strip(),
        "Wie waren er?",
        "Mark Bakker",
    )
    vision = laptop.locator("section.step:not([hidden]) [data-changes=text_vision]")
    await expect(vision).to_contain_text("Door Sanne Bakker (gezin)")
    # who is there as the plan version will say it: the coordinator's marks and the devices
    there = laptop.locator("section.step:not([hidden]) [data-changes=attendance]")
    await expect(there).to_contain_text("Aan tafel, met een tablet of telefoon")
    for name in ("Sanne Bakker", "Lotte Smit"):
        await expect(there.locator("dd").first).to_contain_text(name)
    await usable(laptop, "word-1-laptop-closing")
    await changes_say(screen, "Nieuwe besluiten", "van 4 naar 7")  # the screen follows to step 7
    await usable(screen, "word-1-screen-closing")
    await close_meeting(laptop)


async def second_round_table(laptop: Page, tablet: Page) -> None:
    """Meeting 2: the decision carried and lifted, the test goal removed, the goal left
    alone last time scored, the one scored last time left alone."""
    await step(tablet, "Terugblik")
    school = tablet.locator("article.goal-score[data-id='doel-school']")
    await school.get_by_text("Vorige keer: 7").wait_for()
    money = tablet.locator("article.goal-score[data-id='doel-geld']")
    await money.get_by_text("Vorige keer: 3").wait_for()  # not scored in meeting 1: still 3
    await money.locator("label", has_text=re.compile(r"^5$")).click()
    post = tablet.locator("article.evaluation[data-id='actie-post'] [data-last-time]")
    await expect(post).to_contain_text("Vorige keer: Deels gedaan.")
    await expect(post).to_contain_text("De helft is gesorteerd.")
    await usable(tablet, "word-2-tablet-review")
    await step(tablet, "Doelen")
    goal = tablet.locator("article.goal").last  # added last time, at the end
    await expect(goal.locator("[data-field=goal-text]")).to_have_value(TEST_GOAL)
    goals = await tablet.locator("article.goal").count()
    await goal.get_by_role("button", name="Doel weghalen").click()
    await usable(tablet, "word-2-tablet-remove-confirm")
    await tablet.get_by_role("button", name="Ja, weghalen").click()
    await expect(tablet.locator("article.goal")).to_have_count(goals - 1)
    await saved(tablet)

    await step(laptop, "Contactpersonen")
    decision = laptop.locator("article.decision")
    await expect(decision.locator("[data-field=decision-text]")).to_have_value(DECISION)
    await confirm(laptop, "Besluit opheffen", "Ja, opheffen")
    await expect(decision.locator("[data-lifted]")).to_contain_text("door Lotte Smit")
    await usable(laptop, "word-2-laptop-lifted")
    await saved(laptop)

    await step(laptop, "Afsluiten")
    await changes_say(
        laptop,
        "Weggehaalde doelen",
        TEST_GOAL,
        "Door Sanne Bakker (gezin)",
        "Besluiten die zijn opgeheven",
        "van 3 naar 5",
        "Vorige keer: 7",
    )
    await usable(laptop, "word-2-laptop-closing")
    await close_meeting(laptop)


async def new_meeting_and_link(laptop: Page, family_url: str) -> tuple[str, str]:
    """The coordinator starts the next meeting and makes Sanne a new link; returns both."""
    await laptop.goto(family_url)
    await laptop.get_by_role("button", name="Nieuw overleg starten").click()
    await laptop.get_by_role(
        "button", name=re.compile("^Maak (nieuwe )?link voor Sanne Bakker")
    ).click()
    link = await laptop.get_by_role("textbox", name="Link voor Sanne Bakker").input_value()
    meeting = await laptop.get_by_role("link", name="Naar het overleg").get_attribute("href")
    assert meeting
    return meeting, link


async def test_two_round_tables_and_every_page_says_all_of_it(
    browser: Browser, server: LiveServer, family: Family
) -> None:
    laptop = await new_page(browser, LAPTOP)
    home = await log_in(laptop, server, family)
    staff = parse_qs(urlparse(home).query)["as"][0]
    mother = await sign_in(server.http, family, "Sanne Bakker")
    screen_member = await sign_in(server.http, family, "Gedeeld scherm")
    tablet = await new_page(browser, TABLET, mother.cookie, server.http)
    screen = await new_page(browser, BIG_SCREEN, screen_member.cookie, server.http)
    for page, who in (
        (laptop, staff),
        (tablet, mother.session_id),
        (screen, screen_member.session_id),
    ):
        await page.goto(f"{server.http}/meetings/{family.meeting_id}?as={who}")
        await page.wait_for_selector(READY, timeout=10_000)
    await first_round_table(laptop, tablet, screen)

    family_url = f"{server.http}/families/{family.family_id}?as={staff}"
    meeting, link = await new_meeting_and_link(laptop, family_url)
    await tablet.goto(link)
    await tablet.get_by_role("button", name="Meedoen").click()
    await tablet.wait_for_selector(READY, timeout=10_000)
    tablet_as = parse_qs(urlparse(tablet.url).query)["as"][0]  # her session from the new link
    await laptop.goto(f"{server.http}{meeting}")
    await laptop.wait_for_selector(READY, timeout=10_000)
    await second_round_table(laptop, tablet)

    plan_url = f"{server.http}/families/{family.family_id}/plan"
    await says(
        laptop,
        f"{plan_url}/compare?as={staff}&from=1&to=2",
        "Nieuwe besluiten",
        DECISION,
        "Cijfer: van 4 naar 7 (hoger)",
        "Doelen die anders zijn",
        "Door Lotte Smit (regisseur, namens het gezin)",
        "De helft is gesorteerd.",
        "Nieuwe doelen",
        TEST_GOAL,
        "Wie waren er?",
        "Aan tafel, zonder tablet of telefoon",
    )
    vision = laptop.locator("[data-changes=text_vision]")
    await expect(vision).to_contain_text(VISION.strip())
    await expect(vision).to_contain_text("Door Sanne Bakker (gezin)")
    attendance = laptop.locator("[data-changes=attendance]")
    await expect(attendance).to_contain_text("Mark Bakker")
    await expect(attendance).to_contain_text("Door Lotte Smit (regisseur)")
    await usable(laptop, "word-compare-1-2")
    # the default: the last round table
    await says(
        laptop,
        f"{plan_url}/compare?as={staff}",
        "Weggehaalde doelen",
        "Door Sanne Bakker (gezin)",
        "Besluiten die zijn opgeheven",
        "Opgeheven op",
        "Cijfer: van 3 naar 5 (hoger)",
        "Geen nieuw cijfer gekregen",
        "Vorige keer: 7",
    )
    await usable(laptop, "word-compare-2-3")
    # the mother reads the same on her tablet
    await says(
        tablet,
        f"{plan_url}/compare?as={tablet_as}",
        "Weggehaalde doelen",
        "Besluiten die zijn opgeheven",
        "Cijfer: van 3 naar 5 (hoger)",
        "Vorige keer: 7",
    )
    await usable(tablet, "word-compare-2-3-tablet")
    await says(
        laptop,
        f"{plan_url}?as={staff}",
        "Bedacht door Sanne Bakker (gezin); aangepast door Lotte Smit (regisseur, namens het",
        "Weggehaald bij dit overleg",
        "Dit besluit geldt niet meer.",
        "Deze keer geen nieuw cijfer. Vorige keer: 7 van de 10.",
        "Hoe ging het (vorige keer)",
    )
    await usable(laptop, "word-plan-3")
    # earlier versions keep what was removed and what was lifted later
    await says(
        laptop,
        f"{plan_url}/versions/2?as={staff}",
        TEST_GOAL,
        DECISION,
        "Bij dit overleg aangepast door Sanne Bakker (gezin).",  # the vision
    )
    await usable(laptop, "word-plan-2")
    await laptop.emulate_media(media="print")
    # the print of each round table says all of it too: the decision made, the goal added,
    # the vision, who was there; then the goal removed, the decision lifted, both scores
    await says(
        laptop,
        f"{plan_url}/print?as={staff}&version=2",
        "Wat is er veranderd sinds plan 1?",
        "Nieuwe besluiten",
        DECISION,
        "Nieuwe doelen",
        TEST_GOAL,
        "Cijfer: van 4 naar 7 (hoger)",
        "Zo willen we dat het wordt",
        "Door Sanne Bakker (gezin)",
        "Wie waren er?",
    )
    await shot(laptop, "word-print-2")
    await says(
        laptop,
        f"{plan_url}/print?as={staff}",
        "Wat is er veranderd sinds plan 2?",
        "Weggehaalde doelen",
        TEST_GOAL,
        "Besluiten die zijn opgeheven",
        "Opgeheven op",
        "van 3 naar 5",
        "Geen nieuw cijfer gekregen",
        "Vorige keer: 7",
    )
    await shot(laptop, "word-print-3")
    assert laptop.errors == []  # type: ignore[attr-defined]


async def test_open_screens_show_nothing_of_an_erased_family(
    browser: Browser, server: LiveServer, family: Family
) -> None:
    """The mother's tablet and the shared screen, both open on the meeting when it is erased."""
    mother = await sign_in(server.http, family, "Sanne Bakker")
    screen_member = await sign_in(server.http, family, "Gedeeld scherm")
    lotte = await sign_in(server.http, family, "Lotte Smit")
    tablet = await new_page(browser, TABLET, mother.cookie, server.http)
    screen = await new_page(browser, BIG_SCREEN, screen_member.cookie, server.http)
    pages = ((tablet, mother.session_id, "tablet"), (screen, screen_member.session_id, "screen"))
    for page, who, _ in pages:
        await page.goto(f"{server.http}/meetings/{family.meeting_id}?as={who}")
        await page.wait_for_selector(READY, timeout=10_000)
    async with httpx.AsyncClient(base_url=server.http) as http:
        erased = await http.post(
            f"/families/{family.family_id}/erase?as={lotte.session_id}",
            data={"confirm_name": "Familie Test"},
            headers={"Cookie": lotte.cookie, "Origin": server.http, "X-CSRF-Token": lotte.csrf},
        )
    assert erased.status_code == 200, erased.text
    for page, _, name in pages:
        await page.wait_for_selector("body[data-erased='true']", timeout=10_000)
        await expect(page.locator("#refused")).to_contain_text(
            "De gegevens van dit gezin zijn gewist."
        )
        html = await page.content()
        for gone in ("Sanne Bakker", "Daan", "school", "Het plan is opgeslagen", "Familie Test"):
            assert gone not in html, (name, gone)
        await usable(page, f"word-erased-{name}")
