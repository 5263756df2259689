"""The family's own copy in Chromium: on her phone a family member downloads the plan as a PDF
from the plan page and reads "Wat weet Rondetafel over ons?"; the page passes axe at phone,
tablet and laptop, with 44 px targets and no sideways scrolling."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import Browser

from tests.browser.conftest import LAPTOP, SHOTS, TABLET, axe_violations, new_page, shot
from tests.browser.test_plan_pages import PHONE, small_targets
from tests.browser.test_table_edges import SIDEWAYS
from tests.conftest import LiveServer, make_family, sign_in
from tests.pages.test_plan import make_history
from tests.pages.test_plan_pdf import text_of

pytestmark = pytest.mark.browser
DEVICES: dict[str, dict[str, Any]] = {"phone": PHONE, "tablet": TABLET, "laptop": LAPTOP}


async def test_family_downloads_the_plan_and_reads_what_is_kept(
    browser: Browser, server: LiveServer
) -> None:
    family = await make_family(server.settings)
    await make_history(server.settings, family)
    sanne = await sign_in(server.http, family, "Sanne Bakker")
    base = f"{server.http}/families/{family.family_id}"
    phone = await new_page(browser, PHONE, sanne.cookie, server.http)
    await phone.goto(f"{base}/plan?as={sanne.session_id}")
    async with phone.expect_download() as waiting:
        await phone.get_by_role("link", name="Downloaden als pdf").click()
    download = await waiting.value
    assert download.suggested_filename == "gezinsplan-3.pdf"
    saved = SHOTS.parent / "pdf" / "family-copy.pdf"
    saved.parent.mkdir(parents=True, exist_ok=True)
    await download.save_as(saved)
    assert "Plan van Familie Test" in text_of(saved.read_bytes())
    await phone.context.close()

    for device, settings in DEVICES.items():
        page = await new_page(browser, settings, sanne.cookie, server.http)
        await page.goto(f"{base}/plan?as={sanne.session_id}")
        await page.get_by_role("link", name="Wat weet Rondetafel over ons?").click()
        await page.get_by_role("heading", name="Wat weet Rondetafel over ons?").wait_for()
        await shot(page, f"our-data-{device}")
        assert await axe_violations(page) == [], device
        assert await small_targets(page) == [], device
        assert await page.evaluate(SIDEWAYS) <= 0, device
        assert page.errors == []  # type: ignore[attr-defined]
        await page.context.close()
