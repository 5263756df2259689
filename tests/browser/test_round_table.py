"""A scripted round table in real Chromium: coordinator laptop, mother's tablet, the shared
screen and a stock Node Yjs client in one live meeting, through to closing and the plan."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Page, WebSocketRoute

from tests.browser.conftest import BIG_SCREEN, LAPTOP, TABLET, axe_violations, new_page, shot
from tests.conftest import Family, LiveServer, Member, sign_in
from tests.test_interop import run_node

READY = "body[data-ready='true']"


async def open_meeting(page: Page, server: LiveServer, member: Member) -> float:
    """Open the meeting page; returns seconds from navigation to synced and editable."""
    started = time.perf_counter()
    await page.goto(f"{server.http}/meetings/{member.meeting_id}?as={member.session_id}")
    await page.wait_for_selector(READY, timeout=10_000)
    return time.perf_counter() - started


async def seat(
    browser: Browser, server: LiveServer, family: Family, *people: tuple[str, dict[str, Any]]
) -> list[Page]:
    """Each (name, device): signed in by their invite link, the meeting open and synced."""
    pages = []
    for name, device in people:
        member = await sign_in(server.http, family, name)
        page = await new_page(browser, device, member.cookie, server.http)
        await open_meeting(page, server, member)
        pages.append(page)
    return pages


async def visible_step(page: Page) -> str:
    return await page.locator("section.step:not([hidden]) h2").inner_text()


async def field_value(page: Page, selector: str) -> str:
    return await page.locator(f"section.step:not([hidden]) {selector}").first.input_value()


async def expect_value(page: Page, selector: str, pattern: str) -> None:
    locator = page.locator(f"section.step:not([hidden]) {selector}").first
    await locator.page.wait_for_function(
        "([sel, pat]) => { const el = document.querySelector(sel);"
        " return el && new RegExp(pat).test(el.value) }",
        arg=[f"section.step:not([hidden]) {selector}", pattern],
        timeout=10_000,
    )


async def no_violations(page: Page, name: str) -> None:
    await shot(page, name)
    violations = await axe_violations(page)
    assert violations == [], (name, violations)


class Cable:
    """The tablet's network cable: every websocket goes through it and can be pulled."""

    def __init__(self) -> None:
        self.connected = True
        self.routes: list[WebSocketRoute] = []

    async def attach(self, page: Page) -> None:
        await page.route_web_socket(re.compile(r".*/ws/meetings/.*"), self._route)

    def _route(self, ws: WebSocketRoute) -> None:
        if not self.connected:
            asyncio.get_running_loop().create_task(ws.close(code=1001))
            return
        ws.connect_to_server()
        self.routes.append(ws)

    async def pull(self) -> None:
        self.connected = False
        for ws in self.routes:
            await ws.close(code=1001)
        self.routes.clear()

    def plug_in(self) -> None:
        self.connected = True


async def test_a_whole_round_table(
    browser,
    server: LiveServer,
    family: Family,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    coordinator = await sign_in(server.http, family, "Lotte Smit")
    mother = await sign_in(server.http, family, "Sanne Bakker")
    screen_member = await sign_in(server.http, family, "Gedeeld scherm")
    laptop = await new_page(browser, LAPTOP, coordinator.cookie, server.http)
    tablet = await new_page(browser, TABLET, mother.cookie, server.http)
    screen = await new_page(browser, BIG_SCREEN, screen_member.cookie, server.http)
    cable = Cable()
    await cable.attach(tablet)

    await open_meeting(laptop, server, coordinator)
    tablet_load = await open_meeting(tablet, server, mother)
    screen_socket: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    screen.on(
        "websocket", lambda ws: None if screen_socket.done() else screen_socket.set_result(ws)
    )
    await open_meeting(screen, server, screen_member)
    print(f"\nFIGURE tablet page load to synced and editable: {tablet_load * 1000:.0f} ms")
    for page, name in (
        (laptop, "laptop-welcome"),
        (tablet, "tablet-welcome"),
        (screen, "screen-welcome"),
    ):
        await page.wait_for_selector(".chips .chip >> nth=2")  # three people present
        await no_violations(page, name)

    # a stock Yjs client (Node) joins too, adds a goal and waits for the mother's words
    node_member = await sign_in(server.http, family, "Oma Ria")
    node = asyncio.create_task(
        run_node(
            server,
            node_member,
            tmp_path,
            saved=True,
            ops=[
                {
                    "op": "add_goal",
                    "id": "g-oma",
                    "text": "Oma kookt op woensdag",
                    "domain": "vrije_tijd",
                    "author_id": "oma",
                    "author_role": "network",
                    "score": 8,
                }
            ],
            wait_for={"vision_contains": "Rust in huis. Over"},
            timeout_ms=30000,
        )
    )

    # the coordinator moves the shared step to the goals; tablet and screen follow
    await laptop.get_by_role("button", name=re.compile("Doelen")).click()
    for page in (tablet, screen):
        await page.wait_for_function(
            "() => document.querySelector('section.step:not([hidden]) h2')"
            "?.textContent.includes('Doelen')",
            timeout=10_000,
        )

    # the mother adds a goal in her own words; everyone sees it
    await tablet.locator("#new-goal").fill("Daan gaat elke dag naar school 🎒")
    await tablet.get_by_role("button", name="Doel toevoegen").click()
    for page in (laptop, screen):
        await page.get_by_text("Bedacht door Sanne Bakker").first.wait_for(timeout=10_000)
    await laptop.wait_for_function(
        "() => [...document.querySelectorAll('[data-field=goal-text]')]"
        ".some(t => t.value.includes('elke dag naar school'))",
        timeout=10_000,
    )
    await laptop.wait_for_function(
        "() => [...document.querySelectorAll('[data-field=goal-text]')]"
        ".some(t => t.value === 'Oma kookt op woensdag')",
        timeout=15_000,
    )

    # both type in the vision at the same time: both keep their words, nobody's caret jumps
    vision_laptop = laptop.locator("section.step:not([hidden]) [data-field=vision]")
    vision_tablet = tablet.locator("section.step:not([hidden]) [data-field=vision]")
    await vision_laptop.click()
    await laptop.keyboard.press("End")
    await laptop.keyboard.press("Control+End")
    await vision_tablet.click()
    await tablet.keyboard.press("Control+Home")
    await asyncio.gather(
        laptop.keyboard.type(" Samen sterk.", delay=15),
        tablet.keyboard.type("Rust in huis. ", delay=15),
    )
    expected = r"^Rust in huis\. Over een jaar.*Samen sterk\.$"
    for page in (laptop, tablet, screen):
        await expect_value(page, "[data-field=vision]", expected)
    code, node_result = await asyncio.wait_for(node, 40)
    assert code == 0, node_result
    assert "Rust in huis. " in node_result["doc_json"]["vision"]
    await no_violations(tablet, "tablet-goals")
    await no_violations(screen, "screen-goals")

    # the shared screen cannot change anything
    assert await screen.locator("#editable").evaluate("fieldset => fieldset.disabled")
    assert await screen.locator("#new-goal").count() == 0

    # a keystroke on the tablet reaches the shared screen: from the key press to the update
    # frame arriving at the screen (Playwright reports frames as events, no polling)
    arrivals: asyncio.Queue[float] = asyncio.Queue()
    screen_ws = await screen_socket
    screen_ws.on(
        "framereceived",
        lambda payload: (
            arrivals.put_nowait(time.perf_counter())
            if isinstance(payload, bytes) and payload[:2] == b"\x00\x02"
            else None
        ),
    )
    latencies = []
    await vision_tablet.click()
    await tablet.keyboard.press("Control+End")
    for ch in "abcdefghij":
        started = time.perf_counter()
        await tablet.keyboard.type(ch)
        latencies.append(await asyncio.wait_for(arrivals.get(), 10) - started)
    await expect_value(screen, "[data-field=vision]", "abcdefghij$")
    latencies.sort()
    print(
        f"FIGURE keystroke on tablet to update at the shared screen: median "
        f"{latencies[5] * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms (10 keystrokes)"
    )

    # the coordinator gives an action to the neighbour (network first in the picker)
    await laptop.get_by_role("button", name=re.compile("Afspraken")).click()
    await laptop.locator("#new-action").fill("Fatima brengt Daan naar voetbal")
    await laptop.get_by_role("button", name="Afspraak toevoegen").click()
    card = laptop.locator("article.action").last  # new actions go at the end
    fatima = "Fatima El Amrani: Kan Daan naar voetbal brengen."  # what she offered, in the picker
    await card.locator("[data-field=owner_id]").select_option(label=fatima)
    groups = await card.locator("[data-field=owner_id] optgroup").evaluate_all(
        "gs => gs.map(g => g.label)"
    )
    assert groups.index("Familie, vrienden en buren") < groups.index("Hulpverleners")
    await screen.wait_for_function(
        "() => [...document.querySelectorAll('article.action')].some(a =>"
        " a.querySelector('textarea').value.includes('Fatima brengt Daan') &&"
        " a.querySelector('[data-field=owner_id]').selectedOptions[0]?.text"
        " === 'Fatima El Amrani')",  # chosen, the name shows (the screen: as text, in full)
        timeout=10_000,
    )
    await no_violations(laptop, "laptop-actions")
    await no_violations(screen, "screen-actions")

    # the tablet loses its connection, keeps typing, and catches up when it is back
    await tablet.get_by_role("button", name=re.compile("Doelen")).click()
    await cable.pull()
    await tablet.wait_for_selector("#save-state[data-state='offline']", timeout=10_000)
    await vision_tablet.click()
    await tablet.keyboard.press("Control+End")
    await tablet.keyboard.type(" Offline getypt.")
    await shot(tablet, "tablet-offline")
    await laptop.get_by_role("button", name=re.compile("Doelen")).click()
    cable.plug_in()
    for page in (laptop, screen):
        await expect_value(page, "[data-field=vision]", r"Offline getypt\.$")
    await tablet.wait_for_selector("#save-state[data-state='saved']", timeout=15_000)

    # closing: the coordinator reviews what changed and closes after a confirmation
    await laptop.get_by_role("button", name=re.compile("Afsluiten")).click()
    await screen.get_by_text("Nieuwe doelen").wait_for()  # the screen shows them by itself
    await shot(screen, "screen-closing")
    await laptop.get_by_text("Nieuwe doelen").wait_for()
    await no_violations(laptop, "laptop-closing")
    await laptop.locator("button[data-action=close]").click()
    await laptop.get_by_role("button", name="Ja, afsluiten").click()
    for page in (laptop, tablet, screen):
        await page.wait_for_selector("#closed:not([hidden])", timeout=10_000)
        assert await page.locator("#editable").evaluate("fieldset => fieldset.disabled")
    await shot(tablet, "tablet-closed")
    await shot(screen, "screen-closed")

    # the plan page shows the new version, and its print view renders
    await laptop.get_by_role("link", name="Bekijk het gezinsplan").click()
    await laptop.wait_for_load_state()
    await laptop.get_by_text("elke dag naar school").first.wait_for()
    await laptop.emulate_media(media="print")
    await shot(laptop, "plan-print")
    for page in (laptop, tablet, screen):
        assert page.errors == [], page.errors  # type: ignore[attr-defined]
