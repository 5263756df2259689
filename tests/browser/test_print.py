"""The printed plan (issue 18): every page names the family, the plan version and its page
number; the last has a place for the family and the coordinator to sign; no page is left
half empty because a long goal card would not split."""

from __future__ import annotations

import asyncio
import re
import subprocess
from pathlib import Path

from playwright.async_api import Browser

from tests.browser.conftest import LAPTOP, shot
from tests.browser.test_plan_pages import PDF_DIR, open_page, setup
from tests.conftest import LiveServer, make_family, sign_in
from tests.pages.test_plan import CLOSED_3, add_version, first_plan, make_history, person_id


def pdftotext(pdf: Path, *options: str) -> str:
    return subprocess.run(
        ["pdftotext", *options, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def filled_share(boxes: str) -> list[float]:
    """Per page, the share of the page's text area its text reaches down to (A4, 18 mm margins:
    the area is 51 pt to 791 pt from the top); ``boxes`` is ``pdftotext -bbox``'s answer."""
    shares = []
    for page in boxes.split("<page ")[1:]:
        bottoms = [float(y) for y in re.findall(r'yMax="([\d.]+)"', page) if float(y) < 791]
        shares.append((max(bottoms) - 51) / (791 - 51) if bottoms else 0.0)
    return shares


async def test_every_printed_page_says_whose_plan_and_which_page(
    browser: Browser, server: LiveServer
) -> None:
    family, member = await setup(server)
    page = await open_page(browser, LAPTOP, server, member)
    await page.add_init_script("window.print = () => {}")
    base = f"{server.http}/families/{family.family_id}/plan"
    await page.goto(f"{base}/print?as={member.session_id}&version=3")
    await page.get_by_role("heading", name="Ondertekenen").wait_for()
    await page.emulate_media(media="print")
    await page.set_viewport_size({"width": 680, "height": 962})
    await shot(page, "plan-print-signing")
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    path = PDF_DIR / "plan-print-v3.pdf"
    await page.pdf(path=str(path), prefer_css_page_size=True, print_background=True)
    text = await asyncio.to_thread(pdftotext, path, "-layout")
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 2, "the demo plan fills more than one page"
    for number, content in enumerate(pages, start=1):
        assert "Gezinsplan van Familie Test · versie 3" in content, number
        assert f"Pagina {number} van {len(pages)}" in content, number
    assert "Ondertekenen" in pages[-1] and "Voor het gezin" in pages[-1]
    assert "De regisseur" in pages[-1] and "Handtekening:" in pages[-1]
    # no page is left half empty before a card that would not split: how far down each page
    # its text goes (the page number in the bottom margin not counted)
    filled = [round(f, 2) for f in filled_share(await asyncio.to_thread(pdftotext, path, "-bbox"))]
    print(f"\nFIGURE printed plan: {len(pages)} pages, share of each page filled {filled}")
    assert all(f >= 0.6 for f in filled[:-1]), filled
    await page.context.close()


async def test_the_print_shows_the_meetings_record_once(
    browser: Browser, server: LiveServer
) -> None:
    """The report, who was there and the next date stand under "Verslag van het overleg"
    only, as on the plan page: what changed since the plan before does not repeat them."""
    family = await make_family(server.settings)
    await make_history(server.settings, family)
    plan = await first_plan(server.settings, family.family_id)  # version 3, the newest
    plan["minutes"] = "We spraken over school en geld."
    plan["next_meeting"] = "2027-04-07"
    plan["attendance"] = {person_id(plan, "Oma Ria"): "at_table"}
    await add_version(server.settings, family.family_id, 4, plan, CLOSED_3)
    member = await sign_in(server.http, family, "Sanne Bakker")
    page = await open_page(browser, LAPTOP, server, member)
    await page.add_init_script("window.print = () => {}")
    base = f"{server.http}/families/{family.family_id}/plan"
    await page.goto(f"{base}/print?as={member.session_id}")
    await page.get_by_role("heading", name="Ondertekenen").wait_for()
    since = page.locator("section.plan-since")
    await since.evaluate("el => el.scrollIntoView()")
    await shot(page, "plan-print-record-once", full_page=False)
    assert await since.get_by_role("heading", name="Wat is er veranderd sinds plan 3?").count()
    text = await page.locator("article").inner_text()
    for once in ("We spraken over school en geld.", "Wie waren er?", "Volgende rondetafel"):
        assert text.count(once) == 1, once
    minutes = await page.locator("section.plan-minutes").inner_text()
    for there in ("We spraken over school en geld.", "Wie waren er?", "Oma Ria"):
        assert there in minutes, there
    assert "Volgende rondetafel: 7 april 2027" in minutes
    await page.context.close()
