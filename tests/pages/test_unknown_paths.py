"""Addresses no route has: the app's own not-found page (status 404, in the visitor's
language), JSON under /api; and the icon a browser asks for on every page."""

from __future__ import annotations

import httpx
from sqlalchemy import update

from server.messages import speaking, t
from server.storage.db import create_engine
from server.storage.models import Person
from tests.conftest import Family, LiveServer, join

NOT_FOUND_NL = "Deze pagina bestaat niet, of je mag hem niet zien."


async def test_an_unknown_address_gets_the_styled_not_found_page(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.http) as client:
        for path in ("/nonexistent", "/families", "/static/nothing.css"):
            page = await client.get(path)
            assert page.status_code == 404, path
            assert page.headers["content-type"].startswith("text/html")
            assert NOT_FOUND_NL in page.text and '<link rel="stylesheet"' in page.text
            assert "script-src 'self'" in page.headers["content-security-policy"]
        english = await client.get("/nonexistent?lang=en")
        assert english.status_code == 404
        with speaking("en"):
            assert t("common.not_found_text") in english.text
        assert '<html lang="en"' in english.text


async def test_an_unknown_api_address_stays_json(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.http) as client:
        answer = await client.get("/api/nonexistent")
    assert answer.status_code == 404 and answer.json()["error"] == "not_found"


async def test_a_signed_in_person_reads_it_in_her_own_language(
    server: LiveServer, family: Family
) -> None:
    engine = create_engine(server.settings.database_url)
    async with engine.begin() as db:
        await db.execute(update(Person).where(Person.name == "Oma Ria").values(language="tr"))
    await engine.dispose()
    async with httpx.AsyncClient(base_url=server.http) as client:
        session_id = await join(client, family.links["Oma Ria"]["url"])
        page = await client.get(f"/nonexistent?as={session_id}")
    assert page.status_code == 404 and '<html lang="tr"' in page.text
    with speaking("tr"):
        assert t("common.not_found_title") in page.text


async def test_the_icon_is_served_and_linked(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.http) as client:
        for path in ("/favicon.ico", "/static/favicon.svg"):
            icon = await client.get(path)
            assert icon.status_code == 200, path
            assert icon.headers["content-type"].startswith("image/svg+xml")
            assert icon.text.startswith("<svg")
        login = await client.get("/login")
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in login.text
