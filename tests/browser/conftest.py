"""Browser tier: Playwright driving Debian's Chromium against the real server.

Screenshots go to ``test-output/screenshots/`` (git-ignored) for people to look at; every
screen is scanned with axe-core."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, async_playwright

from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
SHOTS = ROOT / "test-output" / "screenshots"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TABLET = {
    "viewport": {"width": 768, "height": 1024},
    "has_touch": True,
    "is_mobile": True,
    "device_scale_factor": 1,
}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
BIG_SCREEN = {"viewport": {"width": 1920, "height": 1080}}


def _stale() -> bool:
    built = ROOT / "web" / "dist" / "meeting.js"
    if not built.exists():
        return True
    sources = [*(ROOT / "web" / "src").rglob("*.js"), *(ROOT / "web" / "messages").rglob("*")]
    return any(p.stat().st_mtime > built.stat().st_mtime for p in sources)


@pytest.fixture(scope="session", autouse=True)
def bundle() -> None:
    """Build the browser bundle if it is missing or older than its sources."""
    if _stale():
        subprocess.run(["node", str(ROOT / "web" / "build.mjs")], check=True, timeout=120)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not HAVE_CHROMIUM:
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        await chromium.close()


async def new_page(
    browser: Browser, device: dict[str, Any], cookie: str | None = None, base: str | None = None
) -> Page:
    """A page in a context of its own (its own cookies), for one person's device."""
    # the real Content-Security-Policy: a page that breaks under it breaks for every user
    context = await browser.new_context(**device, locale="nl-NL")
    if cookie and base:
        name, value = cookie.split("=", 1)
        await context.add_cookies([{"name": name, "value": value, "url": base}])
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security" in m.text else None)
    page.errors = errors  # type: ignore[attr-defined]
    return page


async def shot(page: Page, name: str, full_page: bool = True) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=full_page)
    return path


@cache
def axe_source() -> str:
    return AXE.read_text()


async def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    await page.evaluate(axe_source())  # evaluated, not a <script>: the CSP allows only ours
    result: dict[str, Any] = await page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
