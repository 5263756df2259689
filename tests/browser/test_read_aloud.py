"""Voorlezen in Chromium (issue 19): headless Chromium has no voices, so every reading takes the
server's path: the button says it reads and can stop, the page's <audio> plays what the server
spoke, and those bytes decode to sound of a plausible length. Prints the time to first audio."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, Request, Response, Route
from pycrdt import Map, Text

from tests.api.test_read_aloud import decoded
from tests.browser.conftest import LAPTOP, TABLET, axe_violations, new_page, shot
from tests.browser.test_round_table import open_meeting
from tests.conftest import LiveServer, make_family, sign_in
from tests.test_server import connect

pytestmark = pytest.mark.browser

GOAL = "Daan gaat elke dag naar school."
PLAYING = """() => { const a = document.querySelector('audio[data-read-aloud-audio]');
  return a && !a.paused && a.currentTime > 0.2 }"""
FIRST_AUDIO = """() => performance.measure('first', 'read-aloud-press',
  'read-aloud-first-audio').duration"""


async def recording(page: Page) -> list[bytes]:
    """The server's read-aloud answers as the page receives them, passed through a route:
    Chromium keeps no audio body for Playwright to read, and the page's CSP lets no script
    fetch the object URL it plays (rightly: no script of ours needs to)."""
    answers: list[bytes] = []

    async def through(route: Route) -> None:
        response = await route.fetch()
        answers.append(await response.body())
        await route.fulfill(response=response)

    await page.route(lambda url: url.split("?")[0].endswith("/read-aloud"), through)
    return answers


async def played(page: Page, answers: list[bytes], tmp_path: Path) -> tuple[float, float]:
    """Seconds and loudness of what the page's <audio> plays: the answer as long as the
    element's own duration."""
    duration = await page.evaluate(
        "() => document.querySelector('audio[data-read-aloud-audio]').duration"
    )
    for answer in answers:
        seconds, rms = decoded(answer, tmp_path)
        if abs(seconds - duration) < 0.15:
            return seconds, rms
    raise AssertionError(f"the page plays {duration:.2f} s; no answer of the server is that long")


def is_reading(response: Response) -> bool:
    return asks_to_read(response.request)


def asks_to_read(request: Request) -> bool:
    """The page asks for the next piece while one plays, so answers may come in any order:
    which piece is first is the order of the requests."""
    return request.url.split("?")[0].endswith("/read-aloud") and request.method == "POST"


async def no_voices(page: Page) -> None:
    """The premise: this browser has no voice of its own, so the server's path is tested."""
    assert await page.evaluate("() => speechSynthesis.getVoices().length") == 0


async def test_a_goal_is_read_aloud_on_the_tablet(
    browser: Browser, server: LiveServer, tmp_path: Path
) -> None:
    family = await make_family(server.settings)
    member = await sign_in(server.http, family, "Sanne Bakker")
    page = await new_page(browser, TABLET, member.cookie, server.http)
    await open_meeting(page, server, member)
    await no_voices(page)
    answers = await recording(page)
    await page.locator("button.step-button[data-step='3']").click()
    card = page.locator("section.step:not([hidden]) article.goal").first
    button = card.get_by_role("button", name="Voorlezen: dit doel")
    async with page.expect_request(asks_to_read) as asked:
        await button.click()
    response = await (await asked.value).response()
    assert response is not None and response.status == 200
    assert response.request.post_data_json == {"text": GOAL, "lang": "nl"}
    assert GOAL not in response.url  # the text goes in the body only
    await page.wait_for_function(PLAYING, timeout=10_000)
    first_audio = await page.evaluate(FIRST_AUDIO)
    print(f"\nread aloud, tablet, press to first audio: {first_audio:.0f} ms")
    stop = card.get_by_role("button", name="Stop met voorlezen")
    await stop.wait_for()
    assert await card.get_by_role("status").inner_text() == "Ik lees voor."
    await stop.click()  # before the three seconds of audio end
    await button.wait_for()
    assert await page.evaluate("() => document.querySelector('audio').paused")
    await button.click()  # again: the audio this page already has
    await page.wait_for_function(PLAYING, timeout=10_000)
    await card.locator(".button.read-aloud.reading").scroll_into_view_if_needed()
    await shot(page, "read-aloud-goal-tablet", full_page=False)
    assert await axe_violations(page) == []
    seconds, rms = await played(page, answers, tmp_path)
    assert 1.0 < seconds < 6.0 and rms > 300
    assert page.errors == []  # type: ignore[attr-defined]


async def test_the_step_explanation_is_read_in_the_page_language(
    browser: Browser, server: LiveServer
) -> None:
    family = await make_family(server.settings)
    member = await sign_in(server.http, family, "Oma Ria")
    page = await new_page(browser, TABLET, member.cookie, server.http)
    await open_meeting(page, server, member)
    step = page.locator("section.step:not([hidden])")
    async with page.expect_response(is_reading) as answer:
        await step.get_by_role("button", name="Voorlezen: uitleg van deze stap").click()
    response = await answer.value
    assert response.status == 200
    assert response.request.post_data_json["lang"] == "nl"
    await page.wait_for_function(PLAYING, timeout=10_000)
    await (
        step.get_by_role("status").filter(has_text="Klaar met voorlezen.").wait_for(timeout=30_000)
    )
    assert page.errors == []  # type: ignore[attr-defined]


async def test_the_whole_plan_page_is_read_piece_by_piece(
    browser: Browser, server: LiveServer, tmp_path: Path
) -> None:
    family = await make_family(server.settings)
    member = await sign_in(server.http, family, "Sanne Bakker")
    page = await new_page(browser, LAPTOP, member.cookie, server.http)
    await page.goto(f"{server.http}/families/{family.family_id}/plan?as={member.session_id}")
    await no_voices(page)
    answers = await recording(page)
    pieces = await page.evaluate(
        "() => [...document.querySelectorAll('#plan-contents [data-read]')].map(e => e.textContent)"
    )
    assert GOAL in pieces and "Onze doelen" in pieces
    responses: list[Response] = []
    page.on("response", lambda r: responses.append(r) if is_reading(r) else None)
    await page.get_by_role("button", name="Voorlezen: het hele plan").click()
    await page.wait_for_function(PLAYING, timeout=10_000)
    await page.get_by_role("button", name="Stop met voorlezen").wait_for()
    await shot(page, "read-aloud-plan-laptop", full_page=False)
    assert await axe_violations(page) == []
    assert responses and all(r.status == 200 for r in responses)
    seconds, rms = await played(page, answers, tmp_path)
    assert seconds > 0.5 and rms > 300
    # a goal's own button reads that goal (its words, in their language) and its actions
    await page.get_by_role("button", name="Stop met voorlezen").click()
    await page.reload()  # the page keeps what it heard: a fresh one asks the server again
    goal = page.locator(".plan-goal").first
    async with page.expect_request(asks_to_read) as asked:
        await goal.get_by_role("button", name="Voorlezen: dit doel").click()
    assert (await asked.value).post_data_json == {"text": "Doel 1", "lang": "nl"}
    assert page.errors == []  # type: ignore[attr-defined]


# A browser that has a Dutch voice and no Arabic one (what a Dutch tablet often has): a stand-in
# for speechSynthesis that says what it was asked to speak, in which voice
DUTCH_VOICE = """
  window.spoken = []
  const dutch = { lang: 'nl-NL', name: 'Nederlands', default: true, voiceURI: 'nl' }
  Object.defineProperty(window, 'speechSynthesis', { value: {
    getVoices: () => [dutch],
    speak: (u) => {
      window.spoken.push([u.text, u.voice.lang]); u.onstart?.(); setTimeout(() => u.onend?.(), 50)
    },
    cancel: () => {}
  } })
  window.SpeechSynthesisUtterance = class { constructor (text) { this.text = text } }
"""


async def test_the_browser_speaks_what_it_has_a_voice_for_and_the_server_the_rest(
    browser: Browser, server: LiveServer
) -> None:
    family = await make_family(server.settings)
    member = await sign_in(server.http, family, "Sanne Bakker")
    page = await new_page(browser, TABLET, member.cookie, server.http)
    await page.add_init_script(DUTCH_VOICE)
    await open_meeting(page, server, member)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "read-aloud" in r.url else None)
    await page.locator("button.step-button[data-step='3']").click()
    card = page.locator("section.step:not([hidden]) article.goal").first
    await card.get_by_role("button", name="Voorlezen: dit doel").click()
    await card.get_by_role("status").filter(has_text="Klaar met voorlezen.").wait_for()
    assert await page.evaluate("() => window.spoken") == [[GOAL, "nl-NL"]]
    assert requests == []  # the browser's own voice: nothing went to the server
    # a goal typed on an Arabic page: no Arabic voice here, so the server speaks it (what is
    # drawn from now on is labelled in Arabic: the catalogue has it)
    await page.evaluate("() => document.documentElement.setAttribute('lang', 'ar')")
    await page.locator("#new-goal").fill("نريد أن يذهب دان إلى المدرسة كل يوم.")
    await page.locator("#new-goal").press("Enter")
    await page.wait_for_selector("#save-state[data-state='saved']")
    new = page.locator("section.step:not([hidden]) article.goal").last
    async with page.expect_response(is_reading) as answer:
        await new.locator("button.read-aloud").click()
    response = await answer.value
    assert response.status == 200 and response.request.post_data_json["lang"] == "ar"
    await page.wait_for_function(PLAYING, timeout=10_000)
    assert page.errors == []  # type: ignore[attr-defined]


async def test_the_first_words_of_a_text_say_its_language(
    browser: Browser, server: LiveServer
) -> None:
    """The family writes its vision anew on an Arabic page: from the first words the document
    says it is Arabic (``meta.vision_lang``, what the plan page and read aloud use); a typo
    fixed on a Dutch page leaves it so."""
    family = await make_family(server.settings)
    member = await sign_in(server.http, family, "Sanne Bakker")
    page = await new_page(browser, TABLET, member.cookie, server.http)
    await open_meeting(page, server, member)
    watcher = await connect(server, await sign_in(server.http, family, "Lotte Smit"))
    meta, words = watcher.doc.get("meta", type=Map), watcher.doc.get("vision", type=Text)
    await page.locator("button.step-button[data-step='3']").click()
    vision = page.locator("section.step:not([hidden]) [data-field=vision]")
    await vision.fill("")  # the demo's vision, gone: the family starts again
    await watcher.wait_for(lambda: str(words) == "", 10)
    assert meta.get("vision_lang") is None
    await page.evaluate("() => document.documentElement.setAttribute('lang', 'ar')")
    await vision.press_sequentially("نريد بيتا هادئا")
    await watcher.wait_for(lambda: meta.get("vision_lang") == "ar", 10)
    await page.evaluate("() => document.documentElement.setAttribute('lang', 'nl')")
    await vision.press("End")
    await vision.press_sequentially(".")
    await watcher.wait_for(lambda: str(words) == "نريد بيتا هادئا.", 10)
    assert meta.get("vision_lang") == "ar"
    assert page.errors == []  # type: ignore[attr-defined]
    await watcher.close()
