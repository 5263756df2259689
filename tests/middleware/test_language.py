"""Which language a page speaks (server/middleware/language.py): ?lang= (kept in a cookie),
else the person's own (set on the people page), else Dutch; an invite link made for someone
carries their language, so their device opens in it; a language that is not a folder is
refused on the form and ignored in the address."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from server.settings import Settings
from server.storage.models import Person
from tests.conftest import login, make_family
from tests.pages.test_family import rows

LINK = re.compile(r'(https?://[^"<\s]+/join/[^"<\s]+)')


async def test_lang_in_the_address_is_kept_in_a_cookie(client: httpx.AsyncClient) -> None:
    english = await client.get("/login?lang=en")
    assert english.status_code == 200 and '<html lang="en" dir="ltr"' in english.text
    assert "Sign in" in english.text and "lang=en" in english.headers["set-cookie"]
    again = await client.get("/login")  # the cookie, no ?lang=
    assert '<html lang="en"' in again.text and "User name" in again.text
    unknown = await client.get("/login?lang=xx")  # not a folder: the cookie's choice stays
    assert '<html lang="en"' in unknown.text and "lang=" not in unknown.headers["set-cookie"]
    client.cookies.clear()
    assert '<html lang="nl"' in (await client.get("/login")).text


async def test_every_page_has_the_menu_in_each_languages_own_name(
    client: httpx.AsyncClient,
) -> None:
    page = (await client.get("/login?lang=en")).text
    assert '<a class="button" lang="nl" hreflang="nl" dir="ltr"' in page
    assert ">Nederlands</a>" in page and ">English</a>" in page
    assert 'href="?lang=nl"' in page


async def test_a_persons_language_opens_her_invite_and_her_pages(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    demo = await make_family(settings)
    q = f"?as={await login(client, demo.accounts['Lotte Smit'], demo.password)}"
    ((sanne,),) = await rows(settings, select(Person.id).where(Person.name == "Sanne Bakker"))
    person = f"/families/{demo.family_id}/people/{sanne}{q}"
    form = await client.get(person)
    assert '<select id="f-language" name="language"' in form.text
    bad = await client.post(person, data={"name": "Sanne Bakker", "language": "xx"})
    assert bad.status_code == 400 and "Kies een taal uit de lijst." in bad.text
    saved = await client.post(person, data={"name": "Sanne Bakker", "language": "en"})
    assert saved.status_code == 303
    assert await rows(settings, select(Person.language).where(Person.id == sanne)) == [("en",)]
    made = await client.post(f"/families/{demo.family_id}/invites{q}", data={"person_id": sanne})
    link = LINK.findall(made.text)[0]
    assert link.endswith("?lang=en"), link
    path = link.split("://", 1)[1].split("/", 1)[1]
    async with httpx.AsyncClient(transport=client._transport, base_url=client.base_url) as phone:
        confirm = await phone.get(f"/{path}")
        assert confirm.status_code == 200 and '<html lang="en"' in confirm.text
