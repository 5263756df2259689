"""The room's own devices (issue 18): a mother typing on her tablet is not pulled to the next
step, a tablet cut off says "not saved" within 5 s (in a sentence on the page) and is back
within 1 s, the coordinator's attendance marks reach the plan version, a grandmother's phone
shows the content first, and the owner picker says what the network offered."""

from __future__ import annotations

import time

import httpx
from playwright.async_api import Page

from tests.browser.conftest import BIG_SCREEN, LAPTOP, TABLET, axe_violations, new_page, shot
from tests.browser.test_round_table import open_meeting, seat, visible_step
from tests.conftest import Family, LiveServer, Member, sign_in

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "has_touch": True,
    "is_mobile": True,
    "device_scale_factor": 1,
}


async def step(laptop: Page, n: int) -> None:
    """The coordinator moves the shared step to step ``n`` (0-based)."""
    await laptop.locator(f"button.step-button[data-step='{n}']").click()


async def shows_step(page: Page, title: str) -> None:
    await page.wait_for_function(
        "(t) => document.querySelector('section.step:not([hidden]) h2')?.textContent.includes(t)",
        arg=title,
        timeout=10_000,
    )


async def clean(page: Page, name: str) -> None:
    await shot(page, name)
    assert await axe_violations(page) == [], name
    overflow = await page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0, f"{name}: {overflow}px of sideways scrolling"


async def test_typing_keeps_focus_and_caret_while_the_step_moves(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    laptop, tablet, phone = await seat(
        browser,
        server,
        family,
        ("Lotte Smit", LAPTOP),
        ("Sanne Bakker", TABLET),
        ("Oma Ria", PHONE),
    )
    await step(laptop, 3)
    await shows_step(tablet, "Doelen")
    await shows_step(phone, "Doelen")

    # the mother is half-way through a new goal when the coordinator moves on
    await tablet.locator("#new-goal").click()
    await tablet.keyboard.type("Ik wil weer")
    await step(laptop, 4)
    await shows_step(phone, "Afspraken")  # who is not typing follows
    note = tablet.locator(".browsing:not([hidden])")
    await note.wait_for(timeout=10_000)
    assert "verder gegaan naar stap 5" in await note.inner_text()
    assert "Doelen" in await visible_step(tablet)
    state = await tablet.evaluate(
        "() => [document.activeElement.id, document.activeElement.selectionStart]"
    )
    assert state == ["new-goal", len("Ik wil weer")]
    await tablet.keyboard.type(" gaan werken")  # her caret is where she left it
    assert await tablet.locator("#new-goal").input_value() == "Ik wil weer gaan werken"
    await clean(tablet, "tablet-moved-on-while-typing")
    await tablet.keyboard.press("Enter")
    await laptop.get_by_role("button", name="Doelen").first.click()  # the goal is there
    await laptop.wait_for_function(
        "() => [...document.querySelectorAll('[data-field=goal-text]')]"
        ".some(t => t.value === 'Ik wil weer gaan werken')",
        timeout=10_000,
    )
    await step(laptop, 4)
    await tablet.get_by_role("button", name="Ga mee met de groep").click()
    await shows_step(tablet, "Afspraken")
    assert await tablet.locator(".browsing:not([hidden])").count() == 0
    await clean(phone, "phone-actions")
    for page in (laptop, tablet, phone):
        assert page.errors == [], page.errors  # type: ignore[attr-defined]


async def test_the_step_line_takes_one_mark_after_a_question(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    laptop, tablet = await seat(
        browser, server, family, ("Lotte Smit", LAPTOP), ("Sanne Bakker", TABLET)
    )
    await step(laptop, 3)
    await shows_step(tablet, "Doelen")
    await tablet.locator("#new-goal").click()  # typing when the group goes back to step 2
    await step(laptop, 1)
    note = tablet.locator(".browsing:not([hidden])")
    await note.wait_for(timeout=10_000)
    text = await note.inner_text()
    assert "naar stap 2: Wat gaat goed? Maak gerust af" in text, text  # not "goed?."
    assert tablet.errors == [], tablet.errors  # type: ignore[attr-defined]


async def test_a_tablet_cut_off_says_not_saved_within_5_s(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    laptop, tablet = await seat(
        browser, server, family, ("Lotte Smit", LAPTOP), ("Sanne Bakker", TABLET)
    )
    await step(laptop, 1)
    await shows_step(tablet, "Wat gaat goed")
    await tablet.wait_for_selector("#save-state[data-state='saved']", timeout=10_000)

    started = time.perf_counter()
    await tablet.context.set_offline(True)
    await tablet.wait_for_selector("#save-state[data-state='offline']", timeout=5_000)
    lost = time.perf_counter() - started
    note = tablet.locator("#offline-note")
    assert await note.is_visible()  # a sentence on the page, not a tooltip
    assert "Je werk blijft op dit apparaat" in await note.inner_text()
    await tablet.locator("[data-field=strengths]").click()
    await tablet.keyboard.press("Control+End")
    await tablet.keyboard.type(" Zonder verbinding getypt.")
    await clean(tablet, "tablet-offline-sentence")

    started = time.perf_counter()
    await tablet.context.set_offline(False)
    await tablet.wait_for_selector("#save-state[data-state='saved']", timeout=1_000)
    back = time.perf_counter() - started
    assert not await note.is_visible()
    print(
        f"\nFIGURE cut off to 'not saved': {lost * 1000:.0f} ms;"
        f" back to 'saved': {back * 1000:.0f} ms"
    )
    await laptop.wait_for_function(
        "() => document.querySelector('[data-field=strengths]').value"
        ".endsWith('Zonder verbinding getypt.')",
        timeout=5_000,
    )


async def test_a_connection_that_goes_quiet_is_found_by_the_heartbeat(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    """No offline event, no close: the socket just stops carrying anything (as when a tablet
    leaves the wifi). Only the heartbeat can tell."""
    mother = await sign_in(server.http, family, "Sanne Bakker")
    tablet = await new_page(browser, TABLET, mother.cookie, server.http)
    silent = {"on": False}

    async def route(ws) -> None:  # type: ignore[no-untyped-def]
        server_side = ws.connect_to_server()
        ws.on_message(lambda m: None if silent["on"] else server_side.send(m))
        server_side.on_message(lambda m: None if silent["on"] else ws.send(m))

    await tablet.route_web_socket("**/ws/meetings/**", route)
    await open_meeting(tablet, server, mother)
    await tablet.wait_for_selector("#save-state[data-state='saved']", timeout=10_000)
    started = time.perf_counter()
    silent["on"] = True
    await tablet.wait_for_selector("#save-state[data-state='offline']", timeout=5_000)
    print(f"\nFIGURE quiet socket to 'not saved': {(time.perf_counter() - started) * 1000:.0f} ms")
    silent["on"] = False  # the next socket the heartbeat opens carries again
    await tablet.wait_for_selector("#save-state[data-state='saved']", timeout=15_000)


async def plan_of(server: LiveServer, member: Member, family: Family) -> dict:  # type: ignore[type-arg]
    async with httpx.AsyncClient(base_url=server.http, headers={"Cookie": member.cookie}) as c:
        response = await c.get(f"/api/families/{family.family_id}/plan?as={member.session_id}")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_attendance_goes_into_the_plan_version(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    coordinator = await sign_in(server.http, family, "Lotte Smit")
    laptop = await new_page(browser, LAPTOP, coordinator.cookie, server.http)
    await open_meeting(laptop, server, coordinator)
    tablet, screen = await seat(
        browser, server, family, ("Sanne Bakker", TABLET), ("Gedeeld scherm", BIG_SCREEN)
    )
    last_plan = (await plan_of(server, coordinator, family))["plan"]
    people = {person["name"]: pid for pid, person in last_plan["people"].items()}

    for name, mark in (("Mark Bakker", "at_table"), ("Daan Bakker", "sent_word")):
        await laptop.locator(f"[data-attendance='{people[name]}']").select_option(mark)
    # the mother reads it; the shared screen's band shows it
    await tablet.wait_for_function(
        "(id) => document.querySelector(`[data-attendance='${id}']`)?.textContent === 'afgemeld'",
        arg=people["Daan Bakker"],
    )
    await screen.locator(".presence .attendance-at_table", has_text="Mark Bakker").wait_for()
    await screen.locator(".presence .attendance-sent_word", has_text="Daan Bakker").wait_for()
    await clean(laptop, "laptop-attendance")
    await clean(tablet, "tablet-attendance")
    await shot(screen, "screen-attendance-band", full_page=False)

    await step(laptop, 6)
    await laptop.locator("button[data-action=close]").click()
    await laptop.get_by_role("button", name="Ja, afsluiten").click()
    await laptop.wait_for_selector("#closed:not([hidden])", timeout=10_000)
    version = await plan_of(server, coordinator, family)
    assert version["plan"]["attendance"] == {
        people["Mark Bakker"]: "at_table",
        people["Daan Bakker"]: "sent_word",
        people["Sanne Bakker"]: "device",
        people["Lotte Smit"]: "device",
    }
    await laptop.get_by_role("link", name="Bekijk het gezinsplan").click()
    await laptop.get_by_text("Wie waren er?").wait_for()
    minutes = await laptop.locator(".plan-attendance").inner_text()
    assert "Afgemeld\nDaan Bakker" in minutes
    assert "zonder tablet of telefoon\nMark Bakker" in minutes
    await clean(laptop, "plan-attendance")


async def test_the_owner_picker_says_what_the_network_offered(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    grandma = await sign_in(server.http, family, "Oma Ria")
    phone = await new_page(browser, PHONE, grandma.cookie, server.http)
    await open_meeting(phone, server, grandma)
    # on the phone the content comes first: presence and steps are one line each
    first = await phone.evaluate(
        "() => document.querySelector('section.step:not([hidden])').getBoundingClientRect().top"
    )
    assert first < 844 / 2, f"the step starts at {first}px"
    await clean(phone, "phone-welcome")
    await phone.locator("#agenda-summary").click()
    await phone.get_by_role("button", name="Afspraken").click()
    await shows_step(phone, "Afspraken")
    await phone.locator("#new-action").fill("Daan naar voetbal brengen")
    await phone.get_by_role("button", name="Afspraak toevoegen").click()
    picker = phone.locator("article.action").last.locator("[data-field=owner_id]")
    labels = await picker.locator("option").all_inner_texts()
    assert "Fatima El Amrani: Kan Daan naar voetbal brengen." in labels
    assert "Oma Ria: Kan op woensdag koken en oppassen." in labels
    await clean(phone, "phone-owner-picker")
