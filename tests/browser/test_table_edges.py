"""Joining at the table, the rough edges, in Chromium: a request is seen wherever the
coordinator is on the page (a banner on the window's edge that takes no focus), a second
request for someone at the table says so, the waiting time is the family's clock, and the code
page fits a 390 px phone."""

from __future__ import annotations

from datetime import datetime

import pytest
from playwright.async_api import Browser

from server.messages import clock_time
from tests.access.test_admission import join_code, tablet_joins
from tests.api.test_table_times import set_created
from tests.browser.conftest import LAPTOP, axe_violations, new_page, shot
from tests.browser.test_joining import READY, checked
from tests.browser.test_plan_pages import PHONE
from tests.conftest import Family, LiveServer, sign_in

pytestmark = pytest.mark.browser

IN_VIEW = """el => { const r = el.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0 }"""
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


async def test_request_banner_is_seen_at_the_bottom_of_the_page_without_taking_focus(
    browser: Browser, server: LiveServer, family: Family
) -> None:
    lotte = await sign_in(server.http, family, "Lotte Smit")
    coordinator = await new_page(browser, LAPTOP, lotte.cookie, server.http)
    await coordinator.goto(f"{server.http}/meetings/{lotte.meeting_id}?as={lotte.session_id}")
    await coordinator.wait_for_selector(READY)
    await coordinator.get_by_role("button", name="Afsluiten").first.click()
    minutes = coordinator.get_by_label("Verslag")
    await minutes.click()
    await coordinator.keyboard.type("Iedereen is er.")
    await coordinator.evaluate("window.scrollTo(0, document.body.scrollHeight)")

    await sign_in(server.http, family, "Sanne Bakker")  # Sanne is at the table already
    code = await join_code(server, lotte)
    again = await tablet_joins(server, code, "Sanne Bakker", lotte.meeting_id)
    set_created(server, again.session_id, datetime.fromisoformat("2026-12-02T13:05:00+00:00"))

    banner = coordinator.locator(".waiting-requests")
    await banner.get_by_text("Sanne Bakker zit al aan tafel").wait_for(timeout=10_000)
    assert await banner.evaluate(IN_VIEW), "the request is out of sight"
    assert await minutes.evaluate("el => el === document.activeElement"), "focus was taken"
    wanted = clock_time(datetime.fromisoformat("2026-12-02T13:05:00+00:00"))
    assert await banner.get_by_text(f"wacht sinds {wanted}").count() == 1
    await coordinator.keyboard.type(" Nog een zin.")  # typing goes on where it was
    assert (await minutes.input_value()).endswith("Iedereen is er. Nog een zin.")
    await checked(coordinator, "table-request-banner-laptop")
    await coordinator.get_by_role("button", name="Sanne Bakker weigeren").click()
    await banner.wait_for(state="hidden", timeout=10_000)
    await again.http.aclose()


async def test_code_page_fits_a_phone(browser: Browser, server: LiveServer) -> None:
    phone = await new_page(browser, PHONE)
    await phone.goto(f"{server.http}/code")
    await phone.get_by_label("Code").fill("ABCD-EFGH")
    assert await phone.evaluate(SIDEWAYS) <= 0
    await shot(phone, "code-page-phone")
    assert await axe_violations(phone) == []
    await phone.get_by_role("button", name="Verder").click()  # a wrong code: the error shows
    await phone.get_by_role("alert").wait_for()
    assert await phone.evaluate(SIDEWAYS) <= 0
    await shot(phone, "code-page-phone-wrong")
