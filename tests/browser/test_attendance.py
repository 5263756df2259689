"""Who is at the table without a device of their own (the welcome step's attendance): someone
connected on their own tablet or phone is never listed or offered as "without a device"; a
participant reads only whom the coordinator marked."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.browser.conftest import LAPTOP, TABLET, axe_violations, shot
from tests.browser.test_round_table import seat
from tests.conftest import Family, LiveServer

STEP = "section.step:not([hidden])"


def row(page: Page, name: str):  # type: ignore[no-untyped-def]
    return page.locator(f"{STEP} .attendance-row").filter(has_text=name)


async def test_connected_people_are_not_listed_as_without_a_device(  # type: ignore[no-untyped-def]
    browser, server: LiveServer, family: Family
) -> None:
    laptop, tablet, oma = await seat(
        browser,
        server,
        family,
        ("Lotte Smit", LAPTOP),
        ("Sanne Bakker", TABLET),
        ("Oma Ria", TABLET),
    )
    # the mother's tablet: nobody marked yet, so nobody listed (not a row of bare names)
    await expect(tablet.locator(f"{STEP} .attendance-none")).to_have_text(
        "Er staat nog niemand in deze lijst."
    )
    assert await tablet.locator(f"{STEP} .attendance-row:visible").count() == 0
    await shot(tablet, "attendance-tablet-nobody-marked")

    # the coordinator: Oma and Sanne are here on their own devices, no choice to make for them
    for name in ("Oma Ria", "Sanne Bakker"):
        await expect(row(laptop, name).locator(".attendance-connected")).to_be_visible()
        await expect(row(laptop, name).locator("select")).to_be_hidden()
    await expect(row(laptop, "Mark Bakker").locator("select")).to_be_visible()
    await expect(row(laptop, "Mark Bakker").locator(".attendance-connected")).to_be_hidden()
    await row(laptop, "Mark Bakker").locator("select").select_option("at_table")
    await shot(laptop, "attendance-laptop-connected-and-marked")
    assert await axe_violations(laptop) == []

    # the mother reads only the one marked
    await expect(row(tablet, "Mark Bakker")).to_contain_text("aan tafel, zonder apparaat")
    await expect(tablet.locator(f"{STEP} .attendance-row:visible")).to_have_count(1)
    await expect(tablet.locator(f"{STEP} .attendance-none")).to_be_hidden()
    await shot(tablet, "attendance-tablet-one-marked")
    assert await axe_violations(tablet) == []

    # Oma closes her tablet: now she may be at the table without one, or not there
    await oma.context.close()
    await expect(row(laptop, "Oma Ria").locator("select")).to_be_visible(timeout=10_000)
    await expect(row(laptop, "Oma Ria").locator(".attendance-connected")).to_be_hidden()
    assert laptop.errors == tablet.errors == []  # type: ignore[attr-defined]
