"""The page a personal link opens before it is used: a person is welcomed by name; the shared
screen's link says what the screen is for (no "Welkom, Gedeeld scherm"); both in the catalogue."""

from __future__ import annotations

from urllib.parse import urlparse

import httpx

from server.messages import speaking, t
from tests.conftest import Family, LiveServer


async def confirm_page(server: LiveServer, url: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.http) as client:
        link = urlparse(url)  # made before the test server had its port
        return await client.get(f"{link.path}?{link.query}")


async def test_the_shared_screen_is_told_what_it_is(server: LiveServer, family: Family) -> None:
    page = await confirm_page(server, family.links["Gedeeld scherm"]["url"])
    assert page.status_code == 200
    assert "<h1>Het grote scherm</h1>" in page.text and "Welkom" not in page.text
    assert "laat het plan van Familie Test zien, voor iedereen aan tafel" in page.text
    assert ">Scherm openen</button>" in page.text


async def test_a_person_is_welcomed_by_name_in_her_language(
    server: LiveServer, family: Family
) -> None:
    page = await confirm_page(server, family.links["Oma Ria"]["url"])
    assert "<h1>Welkom, Oma Ria</h1>" in page.text and ">Meedoen</button>" in page.text
    assert "Je doet mee aan het overleg van Familie Test." in page.text
    english = await confirm_page(server, family.links["Oma Ria"]["url"].split("?")[0] + "?lang=en")
    with speaking("en"):
        assert t("join.invite_welcome", name="Oma Ria") in english.text
        assert f"<title>{t('join.invite_title')} – Rondetafel</title>" in english.text
