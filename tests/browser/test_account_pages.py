"""Staff accounts in Chromium, at laptop, tablet and phone: the admin makes an account and
hands over its link, the owner sets a password on a phone and signs in, and a coordinator
invites a professional of the family from the person's account page. axe, 44 px targets, no
sideways scrolling, screenshots."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from tests.access.test_accounts import add_admin
from tests.browser.conftest import LAPTOP, TABLET, axe_violations, new_page, shot
from tests.browser.test_plan_pages import PHONE, small_targets
from tests.browser.test_table_edges import SIDEWAYS
from tests.conftest import LiveServer, make_family

pytestmark = pytest.mark.browser
DEVICES: dict[str, dict[str, Any]] = {"laptop": LAPTOP, "tablet": TABLET, "phone": PHONE}


async def sign_in_as(page: Page, server: LiveServer, username: str, password: str) -> None:
    await page.goto(f"{server.http}/login")
    await page.get_by_label("Gebruikersnaam").fill(username)
    await page.get_by_label("Wachtwoord").fill(password)
    await page.get_by_role("button", name="Aanmelden").click()
    await page.wait_for_url("**/home?as=*")


async def looked_at(page: Page, name: str) -> None:
    await shot(page, name)
    assert await axe_violations(page) == [], name
    assert await small_targets(page) == [], name
    assert await page.evaluate(SIDEWAYS) <= 0, name


async def test_admin_makes_an_account_and_its_owner_sets_a_password(
    browser: Browser, server: LiveServer
) -> None:
    await make_family(server.settings)
    password = await add_admin(server.settings)
    for device, settings in DEVICES.items():
        page = await new_page(browser, settings)
        await sign_in_as(page, server, "beheer", password)
        await page.get_by_role("link", name="Accounts").click()
        await page.get_by_role("heading", name="Accounts van medewerkers").wait_for()
        await looked_at(page, f"accounts-admin-{device}")
        if device != "laptop":
            await page.context.close()
            continue
        await page.get_by_label("Gebruikersnaam").fill("priya.nieuw")
        await page.get_by_label("Naam", exact=True).fill("Priya Ramdin")
        await page.get_by_label("Rol").select_option("coordinator")
        await page.get_by_role("button", name="Account maken").click()
        link = page.get_by_label("Link voor Priya Ramdin om een wachtwoord te kiezen")
        url = await link.input_value()
        # autofocus lands at the next rendering step, after the input is found: wait for it
        await expect(link).to_be_focused()
        await looked_at(page, "accounts-admin-link-made")
        await page.context.close()

    phone = await new_page(browser, PHONE)
    await phone.goto(url)
    await phone.get_by_role("heading", name="Kies je wachtwoord").wait_for()
    await looked_at(phone, "accounts-set-password-phone")
    await phone.get_by_label("Wachtwoord", exact=True).fill("priya-haar-wachtwoord")
    await phone.get_by_label("Wachtwoord nog een keer").fill("priya-ander-wachtwoord")
    await phone.get_by_role("button", name="Wachtwoord opslaan").click()
    await phone.get_by_role("alert").get_by_text("niet gelijk").wait_for()
    await looked_at(phone, "accounts-set-password-mismatch-phone")
    await phone.get_by_label("Wachtwoord", exact=True).fill("priya-haar-wachtwoord")
    await phone.get_by_label("Wachtwoord nog een keer").fill("priya-haar-wachtwoord")
    await phone.get_by_role("button", name="Wachtwoord opslaan").click()
    await phone.get_by_role("heading", name="Je wachtwoord is opgeslagen").wait_for()
    await looked_at(phone, "accounts-password-set-phone")
    await phone.get_by_role("link", name="Naar aanmelden").click()
    await sign_in_as(phone, server, "priya.nieuw", "priya-haar-wachtwoord")
    await phone.goto(url)  # the link worked once
    await phone.get_by_text("Deze link is al gebruikt").wait_for()
    assert phone.errors == []  # type: ignore[attr-defined]


async def test_coordinator_invites_a_professional_from_the_person_page(
    browser: Browser, server: LiveServer
) -> None:
    family = await make_family(server.settings)
    with sqlite3.connect(server.settings.sqlite_path()) as db:
        db.execute("update people set user_id=null where name='Joost Verhoef'")
        pid = db.execute(
            "select id from people where family_id=? and name='Joost Verhoef'",
            (family.family_id,),
        ).fetchone()[0]
    for device, settings in DEVICES.items():
        page = await new_page(browser, settings)
        await sign_in_as(page, server, family.accounts["Lotte Smit"], family.password)
        session = page.url.split("as=")[1]
        await page.goto(
            f"{server.http}/families/{family.family_id}/people/{pid}/account?as={session}"
        )
        await page.get_by_role("heading", name="Account van Joost Verhoef").wait_for()
        await looked_at(page, f"person-account-{device}")
        if device == "tablet":
            await page.get_by_label("Gebruikersnaam").nth(1).fill("joost.verhoef")
            await page.get_by_role("button", name="Account en link maken").click()
            await page.get_by_label(
                "Link voor Joost Verhoef om een wachtwoord te kiezen"
            ).wait_for()
            await looked_at(page, "person-account-invited-tablet")
        assert page.errors == []  # type: ignore[attr-defined]
        await page.context.close()
