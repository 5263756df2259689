"""The coordinator's family page in process (httpx over ASGI, lifespan entered): who may see it,
starting a meeting, and invite links that are shown once and work."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette

from server.app import create_app
from server.messages import long_date
from server.pages.family import link_lifetime
from server.settings import Settings
from server.storage.db import create_engine
from server.storage.models import AuditEvent, Invite, Meeting, Person
from tests.conftest import Family, csrf_hook, join, make_family

EVIL = {"Origin": "https://evil.example"}


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Starlette]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


def device(app: Starlette, settings: Settings) -> httpx.AsyncClient:
    """A browser of its own (its own cookies) talking to the app in process."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=settings.base_url,
        event_hooks={"request": [csrf_hook(settings.secret_key)]},
    )


@pytest.fixture
async def client(app: Starlette, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with device(app, settings) as c:
        yield c


async def coordinator(client: httpx.AsyncClient, family: Family) -> str:
    return await join(client, family.links["Lotte Smit"]["url"])


async def rows(settings: Settings, statement: object) -> list[object]:
    engine = create_engine(settings.database_url)
    try:
        async with engine.connect() as conn:
            return list((await conn.execute(statement)).all())  # type: ignore[call-overload]
    finally:
        await engine.dispose()


async def person_id(settings: Settings, family: Family, name: str) -> str:
    found = await rows(
        settings,
        select(Person.id).where(Person.family_id == family.family_id, Person.name == name),
    )
    return str(found[0][0])


def made_link(page: str) -> str:
    """The invite URL shown in the read-only input after making a link."""
    match = re.search(r'<input id="link-[^"]+" type="text" readonly value="([^"]+)"', page)
    assert match, "no link shown"
    return html.unescape(match.group(1))


async def test_without_session_is_401(client: httpx.AsyncClient, settings: Settings) -> None:
    family = await make_family(settings)
    response = await client.get(f"/families/{family.family_id}")
    assert response.status_code == 401 and "niet aangemeld" in response.text
    started = await client.post(f"/families/{family.family_id}/meetings")
    assert started.status_code == 401


async def test_coordinator_sees_the_family(client: httpx.AsyncClient, settings: Settings) -> None:
    family = await make_family(settings)
    session_id = await coordinator(client, family)
    response = await client.get(f"/families/{family.family_id}?as={session_id}")
    assert response.status_code == 200
    page = response.text
    assert "<h1>Familie Test</h1>" in page
    for heading in ("Gezin", "Netwerk", "Hulpverleners", "Regisseur", "Scherm in de zaal"):
        assert f">{heading}</h3>" in page, heading
    assert "Kan op woensdag koken en oppassen." in page  # what the network offers
    assert "Het Baken College" in page  # a professional's organisation
    q = f"?as={session_id}"
    assert f'href="/families/{family.family_id}/plan/versions/1{q}">Versie 1</a>' in page
    assert f'href="/families/{family.family_id}/plan{q}">Het gezinsplan</a>' in page
    assert f'href="/meetings/{family.meeting_id}{q}">Naar het overleg</a>' in page
    (code,) = (await rows(settings, select(Meeting.join_code).where(Meeting.status == "live")))[0]
    assert f'class="family-code">{code[:4]}-{code[4:]}<' in page  # shown in two groups
    assert "Nieuw overleg starten" not in page
    # eight people and the shared screen; the demo already made a link for each
    assert page.count('type="submit">Maak nieuwe link<') == 9
    for url in re.findall(r'(?:href|action)="(/[^"]*)"', page):
        if not url.startswith("/static/"):
            assert f"as={session_id}" in url, url
    audited = await rows(
        settings, select(AuditEvent.outcome).where(AuditEvent.action == "view_family")
    )
    assert [row[0] for row in audited] == ["ok"]


@pytest.mark.parametrize("name", ["Sanne Bakker", "Oma Ria", "Esther de Wit", "Gedeeld scherm"])
async def test_others_of_the_family_are_refused_kindly(
    client: httpx.AsyncClient, settings: Settings, name: str
) -> None:
    family = await make_family(settings)
    session_id = await join(client, family.links[name]["url"])
    response = await client.get(f"/families/{family.family_id}?as={session_id}")
    assert response.status_code == 403
    assert "voor de regisseur" in response.text
    assert f'href="/families/{family.family_id}/plan?as={session_id}"' in response.text
    invite = await client.post(
        f"/families/{family.family_id}/invites?as={session_id}", data={"screen": "1"}
    )
    assert invite.status_code == 403 and "/join/" not in invite.text
    started = await client.post(f"/families/{family.family_id}/meetings?as={session_id}")
    assert started.status_code == 403
    outcomes = await rows(settings, select(AuditEvent.action, AuditEvent.outcome))
    assert ("view_family", "refused") in outcomes
    assert ("create_invite", "refused") in outcomes
    assert ("start_meeting", "refused") in outcomes
    invites = await rows(settings, select(func.count()).select_from(Invite))
    assert invites[0][0] == 9  # only the demo's own links


async def test_another_family_and_unknown_ids_are_not_found(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    ours = await make_family(settings, "Familie Een")
    theirs = await make_family(settings, "Familie Twee")
    session_id = await coordinator(client, ours)
    for family_id in (theirs.family_id, "0" * 32, "x" * 300):
        page = await client.get(f"/families/{family_id}?as={session_id}")
        assert page.status_code == 404 and "Familie Twee" not in page.text
    oma = await person_id(settings, theirs, "Oma Ria")
    invite = await client.post(
        f"/families/{theirs.family_id}/invites?as={session_id}", data={"person_id": oma}
    )
    assert invite.status_code == 404 and "/join/" not in invite.text
    started = await client.post(f"/families/{theirs.family_id}/meetings?as={session_id}")
    assert started.status_code == 404
    # their person through our own family's URL: still not found
    invite = await client.post(
        f"/families/{ours.family_id}/invites?as={session_id}", data={"person_id": oma}
    )
    assert invite.status_code == 404 and "/join/" not in invite.text
    assert (await rows(settings, select(func.count()).select_from(Invite)))[0][0] == 18
    refused = await rows(settings, select(AuditEvent.action).where(AuditEvent.outcome == "refused"))
    assert len(refused) == 6


async def test_start_a_meeting_only_when_none_is_live(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    session_id = await coordinator(client, family)
    q = f"?as={session_id}"
    busy = await client.post(
        f"/families/{family.family_id}/meetings{q}", data={"title": "Nog een overleg"}
    )
    assert busy.status_code == 409
    assert 'role="alert">Deze familie heeft al een overleg dat nog loopt.<' in busy.text
    closed = await client.post(f"/api/meetings/{family.meeting_id}/close{q}")
    assert closed.status_code == 201
    page = await client.get(f"/families/{family.family_id}{q}")
    assert "Nieuw overleg starten" in page.text and "/invites" not in page.text
    assert "Versie 2" in page.text
    started = await client.post(
        f"/families/{family.family_id}/meetings{q}",
        data={"title": "  Overleg   in januari "},
        headers={"Origin": settings.base_url},
    )
    assert started.status_code == 303
    assert started.headers["location"] == f"/families/{family.family_id}{q}#overleg"
    live = await rows(settings, select(Meeting.id, Meeting.title).where(Meeting.status == "live"))
    assert len(live) == 1 and live[0][1] == "Overleg in januari"
    page = await client.get(started.headers["location"])
    assert "Overleg in januari" in page.text and f"/meetings/{live[0][0]}{q}" in page.text
    outcomes = await rows(
        settings,
        select(AuditEvent.outcome).where(AuditEvent.action == "start_meeting"),
    )
    assert sorted(row[0] for row in outcomes) == ["ok", "refused"]


async def test_an_invite_link_is_shown_once_and_works(
    app: Starlette,
    client: httpx.AsyncClient,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    family = await make_family(settings)
    session_id = await coordinator(client, family)
    oma = await person_id(settings, family, "Oma Ria")
    response = await client.post(
        f"/families/{family.family_id}/invites?as={session_id}",
        data={"person_id": oma},
        headers={"Origin": settings.base_url},
    )
    assert response.status_code == 200
    url = made_link(response.text)
    token = url.removeprefix(f"{settings.base_url}/join/")
    assert len(token) >= 40 and "/" not in token
    assert f'data-copy="{url}"' in response.text
    svg = re.search(r"<svg[^>]*>", response.text)
    assert svg and 'role="img"' in svg.group(0)
    assert 'aria-label="QR-code met de link voor Oma Ria"' in svg.group(0)
    assert "style=" not in response.text  # the CSP forbids inline styles
    assert response.text.count("<svg") == 1  # only her link: nobody else's is shown

    again = await client.get(f"/families/{family.family_id}?as={session_id}")
    assert token not in again.text and "<svg" not in again.text  # shown only once

    stored = await rows(settings, select(Invite.token_hash, Invite.role, Invite.person_id))
    assert all(token not in row[0] for row in stored)
    assert ("network", oma) in [(row[1], row[2]) for row in stored]
    for row in await rows(settings, select(AuditEvent)):
        assert token not in " ".join(str(value) for value in row)
    assert token not in caplog.text

    async with device(app, settings) as tablet:
        joined = await tablet.post(f"/join/{token}")
        assert joined.status_code == 303
        assert joined.headers["location"].startswith(f"/meetings/{family.meeting_id}?as=")
        meeting = await tablet.get(joined.headers["location"])
        assert meeting.status_code == 200 and "Oma Ria" in meeting.text
    page = await client.get(f"/families/{family.family_id}?as={session_id}")
    card = page.text.split(f'id="person-{oma}"')[1].split("</li>")[0]
    assert "Heeft de link gebruikt." in card


async def test_a_link_for_the_shared_screen(
    app: Starlette, client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    session_id = await coordinator(client, family)
    response = await client.post(
        f"/families/{family.family_id}/invites?as={session_id}", data={"screen": "1"}
    )
    assert response.status_code == 200
    assert 'aria-label="QR-code met de link voor Gedeeld scherm"' in response.text
    token = made_link(response.text).rsplit("/", 1)[1]
    async with device(app, settings) as screen:
        joined = await screen.post(f"/join/{token}")
        assert joined.status_code == 303
        session = joined.headers["location"].split("as=")[1]
        refused = await screen.get(f"/families/{family.family_id}?as={session}")
        assert refused.status_code == 403  # the screen is not the coordinator


async def test_no_links_without_a_live_meeting(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    session_id = await coordinator(client, family)
    q = f"?as={session_id}"
    assert (await client.post(f"/api/meetings/{family.meeting_id}/close{q}")).status_code == 201
    oma = await person_id(settings, family, "Oma Ria")
    response = await client.post(
        f"/families/{family.family_id}/invites{q}", data={"person_id": oma}
    )
    assert response.status_code == 409
    assert "Start eerst een overleg." in response.text and "/join/" not in response.text
    nobody = await client.post(f"/families/{family.family_id}/invites{q}", data={})
    assert nobody.status_code == 404


async def test_a_foreign_origin_is_refused(client: httpx.AsyncClient, settings: Settings) -> None:
    family = await make_family(settings)
    session_id = await coordinator(client, family)
    q = f"?as={session_id}"
    invite = await client.post(
        f"/families/{family.family_id}/invites{q}", data={"screen": "1"}, headers=EVIL
    )
    assert invite.status_code == 403 and "/join/" not in invite.text
    assert (await client.post(f"/api/meetings/{family.meeting_id}/close{q}")).status_code == 201
    started = await client.post(f"/families/{family.family_id}/meetings{q}", headers=EVIL)
    assert started.status_code == 403
    assert (await rows(settings, select(func.count()).select_from(Invite)))[0][0] == 9
    live = await rows(settings, select(Meeting.id).where(Meeting.status == "live"))
    assert live == []


async def test_an_oversized_form_is_ignored(client: httpx.AsyncClient, settings: Settings) -> None:
    family = await make_family(settings)
    session_id = await coordinator(client, family)
    response = await client.post(
        f"/families/{family.family_id}/invites?as={session_id}",
        data={"screen": "1", "padding": "x" * 10_000},
    )
    assert response.status_code == 404 and "/join/" not in response.text


def test_dutch_words() -> None:
    assert long_date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "1 januari 2027"
    assert long_date(datetime(2026, 3, 5, 10, 0)) == "5 maart 2026"  # naive means UTC
    assert link_lifetime(72) == "3 dagen"
    assert link_lifetime(24) == "1 dag"
    assert link_lifetime(12) == "12 uur"
    assert link_lifetime(1.5) == "1,5 uur"


async def test_the_coordinator_withdraws_an_unused_link(
    app: Starlette, client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    session_id = await coordinator(client, family)
    oma = await person_id(settings, family, "Oma Ria")
    made = await client.post(
        f"/families/{family.family_id}/invites?as={session_id}",
        data={"person_id": oma},
        headers={"Origin": settings.base_url},
    )
    token = made_link(made.text).removeprefix(f"{settings.base_url}/join/")
    page = await client.get(f"/families/{family.family_id}?as={session_id}")
    assert "Trek link in" in page.text
    withdrawn = await client.post(
        f"/families/{family.family_id}/invites/withdraw?as={session_id}",
        data={"person_id": oma},
        headers={"Origin": settings.base_url},
    )
    assert withdrawn.status_code == 200 and "De link van Oma Ria werkt niet meer." in withdrawn.text
    async with device(app, settings) as tablet:
        assert (await tablet.post(f"/join/{token}")).status_code == 410
    actions = await rows(settings, select(AuditEvent.action, AuditEvent.outcome))
    assert ("withdraw_invite", "ok") in [(a, o) for a, o in actions]
    other = await make_family(settings, "Familie Anders")
    stranger = await person_id(settings, other, "Oma Ria")
    refused = await client.post(
        f"/families/{family.family_id}/invites/withdraw?as={session_id}",
        data={"person_id": stranger},
        headers={"Origin": settings.base_url},
    )
    assert refused.status_code == 404
