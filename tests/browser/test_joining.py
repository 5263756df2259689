"""Joining at the table in real Chromium: the shared screen shows the code, a tablet types it,
picks a name and waits; the coordinator admits it, the tablet opens the meeting; then the
coordinator removes it and the tablet says so in Dutch."""

from __future__ import annotations

from playwright.async_api import Browser, Page

from tests.browser.conftest import BIG_SCREEN, LAPTOP, TABLET, axe_violations, new_page, shot
from tests.browser.test_meeting_access import SMALL_TARGETS
from tests.conftest import Family, LiveServer, sign_in

READY = "body[data-ready='true']"


async def checked(page: Page, name: str) -> None:
    """Screenshot, axe and 44 px targets for the screen as it is now."""
    await shot(page, name)
    assert await axe_violations(page) == [], name
    assert await page.evaluate(SMALL_TARGETS) == [], name


async def open_as(browser: Browser, server: LiveServer, family: Family, name: str, device) -> Page:  # type: ignore[no-untyped-def]
    member = await sign_in(server.http, family, name)
    page = await new_page(browser, device, member.cookie, server.http)
    await page.goto(f"{server.http}/meetings/{member.meeting_id}?as={member.session_id}")
    await page.wait_for_selector(READY)
    return page


async def test_tablet_joins_by_code_is_admitted_and_removed(
    browser: Browser, server: LiveServer, family: Family
) -> None:
    screen = await open_as(browser, server, family, "Gedeeld scherm", BIG_SCREEN)
    code = await screen.locator(".join-code").inner_text()
    assert await screen.locator(".join-qr svg[role=img]").count() == 1
    await shot(screen, "join-code-on-shared-screen")
    assert await axe_violations(screen) == []

    coordinator = await open_as(browser, server, family, "Lotte Smit", LAPTOP)

    tablet = await new_page(browser, TABLET)
    await tablet.goto(f"{server.http}/code")
    await tablet.get_by_label("Code").fill(code.lower())
    await checked(tablet, "join-code-typed")
    await tablet.get_by_role("button", name="Verder").click()
    await tablet.get_by_role("heading", name="Wie ben jij?").wait_for()
    names = await tablet.locator(".pick-button").all_inner_texts()
    assert names == ["Sanne Bakker", "Mark Bakker", "Daan Bakker", "Oma Ria", "Fatima El Amrani"]
    await checked(tablet, "join-pick-list")
    await tablet.get_by_role("button", name="Oma Ria").click()
    await tablet.get_by_text("Wacht even. De regisseur laat je zo toe.").wait_for()
    await checked(tablet, "join-waiting")

    request = coordinator.locator(".waiting-requests")
    await request.get_by_text("Oma Ria").wait_for(timeout=10_000)
    await coordinator.locator(".table-details > summary").click()
    await checked(coordinator, "join-admission-panel")
    await coordinator.get_by_role("button", name="Oma Ria toelaten").click()

    await tablet.wait_for_url("**/meetings/**", timeout=10_000)
    await tablet.wait_for_selector(READY, timeout=10_000)
    assert "Oma Ria" in await tablet.locator(".you").inner_text()
    await shot(tablet, "join-admitted-meeting")
    await coordinator.locator(".seated").get_by_text("Oma Ria").wait_for(timeout=10_000)

    await coordinator.get_by_role("button", name="Oma Ria verwijderen").click()
    await coordinator.get_by_role("dialog").get_by_role("button", name="Verwijderen").click()
    refused = tablet.locator("#refused")
    await refused.get_by_text("Je bent uit het overleg gehaald.").wait_for(timeout=5_000)
    assert await tablet.locator("#editable").is_hidden()
    await checked(tablet, "join-removed")
    assert tablet.errors == coordinator.errors == screen.errors == []  # type: ignore[attr-defined]


async def test_scanning_the_qr_code_opens_the_pick_list(
    browser: Browser, server: LiveServer, family: Family
) -> None:
    screen = await open_as(browser, server, family, "Gedeeld scherm", BIG_SCREEN)
    code = await screen.locator(".join-code").inner_text()
    tablet = await new_page(browser, TABLET)
    sent: list[str] = []  # what reaches the server: the part of each URL before "#"
    tablet.on("request", lambda r: sent.append(r.url.split("#")[0]))
    await tablet.goto(f"{server.http}/code#{code}")  # what the QR code holds
    await tablet.get_by_role("heading", name="Wie ben jij?").wait_for()
    assert sent and not any(code in url for url in sent)  # the code stays out of access logs
    assert "#" not in tablet.url  # nor in the tablet's history


async def test_a_wrong_code_stays_in_the_field_to_correct(
    browser: Browser, server: LiveServer, family: Family
) -> None:
    tablet = await new_page(browser, TABLET)
    missing: list[str] = []  # a missing icon was a console error on every page
    tablet.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    async with tablet.expect_response("**/static/favicon.svg") as icon:
        await tablet.goto(f"{server.http}/code")
    assert (await icon.value).status == 200
    field = tablet.get_by_label("Code")
    await field.fill("ezq2-29r")  # one character short
    await tablet.get_by_role("button", name="Verder").click()
    await tablet.get_by_role("alert").get_by_text("Deze code klopt niet").wait_for()
    assert await field.input_value() == "ezq2-29r"  # not retyped from the start
    await tablet.wait_for_function("document.activeElement?.id === 'code'")
    caret = await field.evaluate("el => [el.selectionStart, el.selectionEnd]")
    assert caret == [8, 8]  # at its end, to add what is missing
    assert await field.get_attribute("aria-invalid") == "true"
    await checked(tablet, "join-code-wrong")
    await field.press("X")
    assert await field.input_value() == "ezq2-29rX"
    assert missing == [f"{server.http}/code"]  # the wrong code's answer, nothing else
    assert tablet.errors == []  # type: ignore[attr-defined]
