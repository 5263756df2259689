"""The UI in each person's language (issue 19): the tablet, the shared screen, the plan and its
print open in Dutch, English and a right-to-left language, axe-clean, with no message missing
(a missing one throws in the page); a person's own language is used without asking; the
shared screen shows Dutch beside the family's language.

Right to left is tried on Arabic: the translators' folder when it is there, else a stand-in
made here from the English one (Arabic name, every text after an Arabic word) and removed after.
"""

from __future__ import annotations

import asyncio
import io
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page
from pypdf import PdfReader
from sqlalchemy import create_engine, text

from server import messages
from server.pages.pdf_layout import plan_pdf
from tests.browser.conftest import LAPTOP, TABLET, axe_violations, new_page, shot
from tests.browser.test_plan_pages import setup
from tests.browser.test_print import pdftotext
from tests.browser.test_round_table import READY, seat
from tests.conftest import ROOT, LiveServer

ARABIC = messages.MESSAGES / "ar"
STAND_IN_WORD = "نص"  # "text": enough Arabic letters to make every line right to left


def _forget() -> None:
    """The catalogue is cached per process; the server here runs in this one."""
    for cached in (
        messages.languages,
        messages._bundle,
        messages.ftl_files,
        messages.language_codes,
        messages.parsed,
        messages.message_ids,
        messages.catalogue,
    ):
        cached.cache_clear()


def _build() -> None:
    subprocess.run(["node", str(ROOT / "web" / "build.mjs")], check=True, timeout=120)


def _stand_in(folder: Path) -> None:
    shutil.copytree(messages.MESSAGES / "en", folder)
    for path in folder.glob("*.ftl"):
        lines = []
        for line in path.read_text(encoding="utf-8").splitlines():
            name, sep, value = line.partition(" = ")
            if sep and not line.startswith(" ") and value:
                value = "العربية" if name == "language_name" else f"{STAND_IN_WORD} {value}"
                line = f"{name} = {value}"
            lines.append(line)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def arabic() -> Iterator[str]:
    made = not ARABIC.exists()
    if made:
        _stand_in(ARABIC)
    _forget()
    _build()
    try:
        yield "ar"
    finally:
        if made:
            shutil.rmtree(ARABIC)
            _forget()
            _build()


def set_language(server: LiveServer, name: str, code: str) -> None:
    engine = create_engine(server.settings.database_url.replace("+aiosqlite", ""))
    with engine.begin() as db:
        db.execute(text("UPDATE people SET language = :code WHERE name = :name"), locals())
    engine.dispose()


async def page_is(page: Page, code: str, direction: str) -> None:
    assert await page.evaluate("document.documentElement.lang") == code
    assert await page.evaluate("document.documentElement.dir") == direction
    assert page.errors == [], page.errors  # type: ignore[attr-defined]


async def clean(page: Page, name: str) -> None:
    await shot(page, name)
    violations = await axe_violations(page)
    assert violations == [], (name, violations)


# how far a line's text stands from its block's left and right edges, in px
TEXT_MARGINS = """el => {
    const range = document.createRange()
    range.selectNodeContents(el)
    const text = range.getBoundingClientRect(), box = el.getBoundingClientRect()
    return [text.left - box.left, box.right - text.right]
}"""


def step_title(code: str) -> str:
    return messages.t_in(code, "meeting.agenda.steps.0.title")


# every folder of the catalogue (and Arabic, which the fixture stands in for where none exists)
LANGUAGES = sorted({(lang.code, lang.direction) for lang in messages.languages()} | {("ar", "rtl")})


@pytest.mark.parametrize(("code", "direction"), LANGUAGES)
async def test_tablet_plan_and_print_in_each_language(
    browser: Browser, server: LiveServer, arabic: str, code: str, direction: str
) -> None:
    family, member = await setup(server)
    tablet = await new_page(browser, TABLET, member.cookie, server.http)
    await tablet.goto(
        f"{server.http}/meetings/{member.meeting_id}?as={member.session_id}&lang={code}"
    )
    await tablet.wait_for_selector(READY, timeout=10_000)
    await page_is(tablet, code, direction)
    heading = tablet.locator("section.step:not([hidden]) > h2")
    assert step_title(code) in await heading.inner_text()
    await clean(tablet, f"lang-{code}-tablet")

    # the cookie keeps the choice: the plan page, without ?lang=
    plan = f"{server.http}/families/{family.family_id}/plan"
    await tablet.goto(f"{plan}?as={member.session_id}")
    await page_is(tablet, code, direction)
    await tablet.get_by_role("heading", name=messages.t_in(code, "plan.goals")).first.wait_for()
    await clean(tablet, f"lang-{code}-plan")

    await tablet.add_init_script("window.print = () => {}")
    await tablet.goto(f"{plan}/print?as={member.session_id}&version=3")
    signing = messages.t_in(code, "plan.sign_heading").replace("\u2068", "").replace("\u2069", "")
    await tablet.get_by_role("heading", name=signing).wait_for()
    await page_is(tablet, code, direction)
    await tablet.emulate_media(media="print")
    await clean(tablet, f"lang-{code}-print")
    pdf = ROOT / "test-output" / "pdf" / f"plan-print-{code}.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    await tablet.pdf(path=str(pdf), prefer_css_page_size=True)
    printed = await asyncio.to_thread(pdftotext, pdf)
    if direction == "ltr":  # pdftotext gives right-to-left lines in its own order
        pages = printed.count("\f")
        assert messages.t_in(code, "plan.print_page", page=1, pages=pages) in printed
    await tablet.context.close()


async def test_a_person_reads_in_her_own_language_without_choosing(
    browser: Browser, server: LiveServer
) -> None:
    _family, member = await setup(server)
    set_language(server, "Sanne Bakker", "en")
    tablet = await new_page(browser, TABLET, member.cookie, server.http)
    await tablet.goto(f"{server.http}/meetings/{member.meeting_id}?as={member.session_id}")
    await tablet.wait_for_selector(READY, timeout=10_000)
    await page_is(tablet, "en", "ltr")
    assert step_title("en") in await tablet.locator("section.step:not([hidden]) > h2").inner_text()
    # the menu: every language in its own name, big enough to tap; choosing one keeps it
    await tablet.locator(".languages summary").click()
    names = await tablet.locator(".languages a").all_inner_texts()
    assert names[0] == "Nederlands" and "English" in names  # Dutch first, then by code
    boxes = [await link.bounding_box() for link in await tablet.locator(".languages a").all()]
    assert all(box and box["height"] >= 44 for box in boxes), boxes
    await shot(tablet, "lang-menu-open", full_page=False)
    await tablet.locator(".languages a[lang=nl]").click()
    await tablet.wait_for_selector(READY, timeout=10_000)
    await page_is(tablet, "nl", "ltr")
    await tablet.context.close()


@pytest.mark.parametrize(("code", "direction"), [lang for lang in LANGUAGES if lang[0] != "nl"])
async def test_the_shared_screen_shows_dutch_beside_the_familys_language(
    browser: Browser, server: LiveServer, arabic: str, code: str, direction: str
) -> None:
    family, _member = await setup(server)
    set_language(server, "Sanne Bakker", code)
    set_language(server, "Mark Bakker", code)
    (screen,) = await seat(browser, server, family, ("Gedeeld scherm", LAPTOP))
    await page_is(screen, code, direction)
    heading = screen.locator("section.step:not([hidden]) > h2")
    second = heading.locator(".second-language")
    assert await second.get_attribute("lang") == "nl"
    assert await second.inner_text() == step_title("nl")
    # the Dutch line keeps to the side of the heading it translates (right, under Arabic)
    left, right = await second.evaluate(TEXT_MARGINS)
    assert (right < left) if direction == "rtl" else (left < right), (left, right)
    assert step_title(code).replace("\u2068", "") in (await heading.inner_text())
    await clean(screen, f"lang-{code}-shared-screen")
    await screen.context.close()


def test_the_plan_pdf_for_a_right_to_left_reader(arabic: str) -> None:
    """Labels in the reader's language, shaped right to left; the plan's words as written."""
    shown = {
        "version": {"number": 2, "date": "16 december 2026", "closed_by": "Lotte Smit"},
        "plan": {
            "vision": "نريد أن يذهب دان إلى المدرسة كل يوم.",
            "strengths": "Daan speelt voetbal.",
        }
        | {"concerns": "", "minutes": "", "next_meeting": ""},
        "goals": [],
        "other_actions": [],
        "contacts": [],
        "decisions": [],
    }
    fonts = Path("/usr/share/fonts/truetype/dejavu")
    with messages.speaking(arabic):
        pdf = plan_pdf("عائلة بكر", shown, "2 december 2026", fonts)
    read = PdfReader(io.BytesIO(pdf))
    words = "\n".join(page.extract_text() for page in read.pages)
    fonts_used = {
        str(font.get_object()["/BaseFont"])
        for page in read.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert "Daan speelt voetbal." in words  # a Dutch line stays as written
    assert any("NotoSansArabic" in name for name in fonts_used), fonts_used
    assert read.metadata is not None and read.pdf_header.startswith("%PDF")
    assert str(read.trailer["/Root"]["/Lang"]) == arabic
