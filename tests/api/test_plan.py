"""The app in process (httpx over ASGI, lifespan entered): health, pages, API access rules."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from server.settings import DEFAULT_SECRET, Settings
from server.storage.db import create_engine
from server.storage.models import AuditEvent, Invite
from tests.conftest import join, make_family


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.json() == {"status": "ok"}


async def test_invite_link_needs_a_confirm_and_works_once(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    url = family.links["Sanne Bakker"]["url"]
    token = url.rsplit("/", 1)[1]
    page = await client.get(f"/join/{token}")  # a mail scanner fetching the link
    assert page.status_code == 200 and "Meedoen" in page.text
    session_id = await join(client, url)
    meeting = await client.get(f"/meetings/{family.meeting_id}?as={session_id}")
    assert meeting.status_code == 200 and "Sanne Bakker" in meeting.text
    again = await client.post(f"/join/{token}")  # this browser comes back in (issue 16)
    assert again.status_code == 303 and again.headers["location"].startswith("/meetings/")
    async with httpx.AsyncClient(transport=client._transport, base_url=client.base_url) as other:
        used = await other.post(f"/join/{token}")
    assert used.status_code == 410 and "al gebruikt" in used.text
    unknown = await client.post("/join/not-a-real-token")
    assert unknown.status_code == 410


async def test_expired_invite_says_so(client: httpx.AsyncClient, settings: Settings) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from server.storage.models import utcnow

    family = await make_family(settings)
    engine = create_engine(settings.database_url)
    async with engine.begin() as conn:
        await conn.execute(update(Invite).values(expires_at=utcnow() - timedelta(minutes=1)))
    await engine.dispose()
    response = await client.get(family.links["Oma Ria"]["url"].replace(settings.base_url, ""))
    assert response.status_code == 410 and "verlopen" in response.text


async def test_plan_of_another_family_is_not_found(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    ours = await make_family(settings, "Familie Een")
    theirs = await make_family(settings, "Familie Twee")
    session_id = await join(client, ours.links["Lotte Smit"]["url"])
    own = await client.get(f"/api/families/{ours.family_id}/plan?as={session_id}")
    assert own.status_code == 200 and own.json()["number"] == 1
    for path in ("plan", "plan/versions", "plan/versions/1", "plan/diff?from=1&to=1"):
        sep = "&" if "?" in path else "?"
        response = await client.get(f"/api/families/{theirs.family_id}/{path}{sep}as={session_id}")
        assert response.status_code == 404, path
    closing = await client.post(f"/api/meetings/{theirs.meeting_id}/close?as={session_id}")
    assert closing.status_code == 404
    page = await client.get(f"/meetings/{theirs.meeting_id}?as={session_id}")
    assert page.status_code == 404
    engine = create_engine(settings.database_url)
    async with engine.connect() as conn:
        refused = (
            await conn.execute(select(AuditEvent).where(AuditEvent.outcome == "refused"))
        ).all()
    await engine.dispose()
    assert len(refused) >= 4


async def test_api_without_session_is_401(client: httpx.AsyncClient, settings: Settings) -> None:
    family = await make_family(settings)
    response = await client.get(f"/api/families/{family.family_id}/plan")
    assert response.status_code == 401
    assert response.json()["error"] == "not_signed_in"


async def test_close_from_a_foreign_origin_is_refused(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    session_id = await join(client, family.links["Lotte Smit"]["url"])
    response = await client.post(
        f"/api/meetings/{family.meeting_id}/close?as={session_id}",
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403


async def test_bad_version_number_is_400(client: httpx.AsyncClient, settings: Settings) -> None:
    family = await make_family(settings)
    session_id = await join(client, family.links["Lotte Smit"]["url"])
    response = await client.get(
        f"/api/families/{family.family_id}/plan/diff?from=x&to=1&as={session_id}"
    )
    assert response.status_code == 400


async def test_security_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_default_secret_is_refused_outside_demo() -> None:
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Settings(secret_key=DEFAULT_SECRET, demo=False).validate()
    Settings(secret_key=DEFAULT_SECRET, demo=True).validate()
    Settings(secret_key="x" * 40).validate()


def test_settings_come_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "RONDETAFEL_PORT": "9000",
            "RONDETAFEL_DEMO": "yes",
            "RONDETAFEL_ALLOWED_ORIGINS": "https://a.example, https://b.example",
            "RONDETAFEL_MAX_MESSAGE_SIZE": "2048",
            "RONDETAFEL_EVICTION_GRACE": "1.5",
        }
    )
    assert settings.port == 9000 and settings.demo is True
    assert settings.origins == {"https://a.example", "https://b.example"}
    assert settings.max_message_size == 2048 and settings.eviction_grace == 1.5
    assert Settings.from_env({}).max_message_size == 1024 * 1024
