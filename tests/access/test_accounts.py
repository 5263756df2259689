"""Staff accounts and sessions, attacked: wrong and unknown passwords, guessing, session
fixation, revoked / disabled / expired / idle sessions over HTTP and the websocket, and an
admin without a place at the family's table."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from datetime import UTC, timedelta

import httpx
import pytest
from sqlalchemy import select, update

from server.access import accounts
from server.limits import WorkGate
from server.settings import Settings
from server.storage.db import create_engine, sessionmaker
from server.storage.models import Session, utcnow
from tests.conftest import Family, LiveServer, join, login, make_family
from tests.yclient import YClient


async def in_db(settings: Settings, statement: object) -> None:
    engine = create_engine(settings.database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(statement)  # type: ignore[call-overload]
    finally:
        await engine.dispose()


async def add_admin(settings: Settings, username: str = "beheer") -> str:
    password = "admin-wachtwoord-123"
    engine = create_engine(settings.database_url)
    try:
        async with sessionmaker(engine).begin() as db:
            await accounts.create_user(
                db, username, "Beheer", "admin", accounts.hash_password(password)
            )
    finally:
        await engine.dispose()
    return password


async def disable(settings: Settings, username: str) -> None:
    engine = create_engine(settings.database_url)
    try:
        async with sessionmaker(engine).begin() as db:
            await accounts.disable_user(db, username)
    finally:
        await engine.dispose()


def lotte(family: Family) -> str:
    return family.accounts["Lotte Smit"]


async def test_coordinator_logs_in_and_sees_only_their_families(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    ours = await make_family(settings)
    theirs = await make_family(settings, "Familie Anders")
    session_id = await login(client, lotte(ours), ours.password)
    home = await client.get(f"/home?as={session_id}")
    assert home.status_code == 200
    assert "Familie Test" in home.text and "Familie Anders" not in home.text
    assert f"/families/{ours.family_id}?as={session_id}" in home.text
    assert (await client.get(f"/families/{ours.family_id}?as={session_id}")).status_code == 200
    foreign = await client.get(f"/families/{theirs.family_id}?as={session_id}")
    assert foreign.status_code == 404


async def test_login_cookie_is_httponly_lax_and_new(
    app_client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    await app_client.get("/login")
    token = app_client.cookies["rt-csrf"]
    response = await app_client.post(
        "/login",
        data={"username": lotte(family), "password": family.password, "csrf_token": token},
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("rt_") and "httponly" in cookie and "samesite=lax" in cookie


async def test_session_cookie_is_secure_behind_https(settings: Settings) -> None:
    from server.app import create_app

    secure = replace(settings, public_url="https://rondetafel.example")
    family = await make_family(secure)
    app = create_app(secure)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=secure.base_url) as c:
            await c.get("/login")
            response = await c.post(
                "/login",
                data={
                    "username": lotte(family),
                    "password": family.password,
                    "csrf_token": c.cookies["rt-csrf"],
                },
            )
    assert response.status_code == 303
    assert "secure" in response.headers["set-cookie"].lower()


@pytest.mark.parametrize("who", ["wrong password", "unknown user"])
async def test_bad_credentials_are_refused_alike(
    client: httpx.AsyncClient, settings: Settings, who: str
) -> None:
    family = await make_family(settings)
    username = lotte(family) if who == "wrong password" else "niemand"
    await client.get("/login")
    response = await client.post(
        "/login",
        data={
            "username": username,
            "password": "fout-wachtwoord-1",
            "csrf_token": client.cookies["rt-csrf"],
        },
    )
    assert response.status_code == 401
    assert "Gebruikersnaam of wachtwoord klopt niet." in response.text
    assert not [name for name in client.cookies if name.startswith("rt_")]


async def test_unknown_user_costs_a_password_check(settings: Settings) -> None:
    """Without the dummy argon2 verification an unknown name answers ~100x faster."""
    family = await make_family(settings)
    engine = create_engine(settings.database_url)
    try:
        async with sessionmaker(engine)() as db:
            await accounts.check_password(
                db, "niemand", "opwarmen", WorkGate(1, 4)
            )  # dummy hash made once
            started = time.perf_counter()
            assert (
                await accounts.check_password(db, lotte(family), "fout-wachtwoord", WorkGate(1, 4))
                is None
            )
            known = time.perf_counter() - started
            started = time.perf_counter()
            assert (
                await accounts.check_password(db, "niemand", "fout-wachtwoord", WorkGate(1, 4))
                is None
            )
            unknown = time.perf_counter() - started
    finally:
        await engine.dispose()
    assert unknown > known / 4


async def test_guessing_a_password_is_rate_limited(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    await client.get("/login")
    token = client.cookies["rt-csrf"]
    for _ in range(settings.login_max_failures):
        guess = {"username": lotte(family), "password": "geraden-123", "csrf_token": token}
        assert (await client.post("/login", data=guess)).status_code == 401
    right = {"username": lotte(family), "password": family.password, "csrf_token": token}
    locked = await client.post("/login", data=right)
    assert locked.status_code == 429 and "te vaak" in locked.text


async def test_many_usernames_from_one_address_are_rate_limited(settings: Settings) -> None:
    from server.app import create_app

    strict = replace(settings, login_max_failures_per_ip=3)
    family = await make_family(strict)
    app = create_app(strict)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=strict.base_url) as c:
            await c.get("/login")
            token = c.cookies["rt-csrf"]
            for n in range(3):
                guess = {"username": f"naam{n}", "password": "x" * 12, "csrf_token": token}
                assert (await c.post("/login", data=guess)).status_code == 401
            right = {"username": lotte(family), "password": family.password, "csrf_token": token}
            assert (await c.post("/login", data=right)).status_code == 429


async def test_login_starts_a_new_session_not_a_planted_one(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """Session fixation: an attacker's own (invite) session cookie planted in the browser is
    not lifted to the staff login; the login gets a new id and the planted one stays what
    it was."""
    family = await make_family(settings)
    planted = await join(client, family.links["Sanne Bakker"]["url"])
    session_id = await login(client, lotte(family), family.password)
    assert session_id != planted
    own = await client.get(f"/families/{family.family_id}?as={session_id}")
    assert own.status_code == 200
    still_family = await client.get(f"/families/{family.family_id}?as={planted}")
    assert still_family.status_code == 403  # the planted session is still only Sanne's
    assert (await client.get(f"/home?as={planted}")).headers["location"] == "/login"


async def test_logout_revokes_the_session(client: httpx.AsyncClient, settings: Settings) -> None:
    family = await make_family(settings)
    session_id = await login(client, lotte(family), family.password)
    cookie = client.cookies[f"rt_{session_id}"]
    out = await client.post(f"/logout?as={session_id}")
    assert out.status_code == 303 and out.headers["location"] == "/login"
    client.cookies.set(f"rt_{session_id}", cookie)  # a copy of the cookie kept by an attacker
    again = await client.get(f"/families/{family.family_id}?as={session_id}")
    assert again.status_code == 401


@pytest.mark.parametrize("how", ["disabled", "revoked", "expired", "idle"])
async def test_ended_sessions_are_refused(
    client: httpx.AsyncClient, settings: Settings, how: str
) -> None:
    family = await make_family(settings)
    session_id = await login(client, lotte(family), family.password)
    page = f"/families/{family.family_id}/plan?as={session_id}"
    assert (await client.get(page)).status_code == 200
    long_ago = utcnow() - timedelta(minutes=settings.session_idle_minutes + 1)
    change = {
        "revoked": {"revoked_at": utcnow()},
        "expired": {"expires_at": utcnow() - timedelta(seconds=1)},
        "idle": {"last_seen_at": long_ago},
    }
    if how == "disabled":
        await disable(settings, lotte(family))
    else:
        await in_db(settings, update(Session).where(Session.id == session_id).values(change[how]))
    assert (await client.get(page)).status_code == 401
    api = await client.get(f"/api/families/{family.family_id}/plan?as={session_id}")
    assert api.status_code == 401


async def test_admin_without_a_place_at_the_table_gets_404(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    password = await add_admin(settings)
    session_id = await login(client, "beheer", password)
    home = await client.get(f"/home?as={session_id}")
    assert home.status_code == 200 and "Familie Test" not in home.text
    q = f"?as={session_id}"
    for path in (
        f"/families/{family.family_id}",
        f"/families/{family.family_id}/plan",
        f"/families/{family.family_id}/plan/versions/1",
        f"/meetings/{family.meeting_id}",
        f"/api/families/{family.family_id}/plan",
        f"/api/meetings/{family.meeting_id}/changes",
    ):
        assert (await client.get(path + q)).status_code == 404, path


async def test_a_professional_reaches_the_plan_but_not_the_family_page(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    session_id = await login(client, family.accounts["Esther de Wit"], family.password)
    q = f"?as={session_id}"
    assert (await client.get(f"/families/{family.family_id}/plan{q}")).status_code == 200
    assert (await client.get(f"/meetings/{family.meeting_id}{q}")).status_code == 200
    assert (await client.get(f"/families/{family.family_id}{q}")).status_code == 403
    closing = await client.post(f"/api/meetings/{family.meeting_id}/close{q}")
    assert closing.status_code == 403


async def staff_socket(server: LiveServer, family: Family, username: str) -> YClient:
    async with httpx.AsyncClient(base_url=server.http) as http:
        session_id = await login(http, username, family.password)
        cookie = f"rt_{session_id}={http.cookies[f'rt_{session_id}']}"
    url = f"{server.ws}/ws/meetings/{family.meeting_id}?as={session_id}"
    return await YClient(url, cookie).connect()


@pytest.fixture
def quick(settings: Settings) -> Settings:
    """Sessions re-checked five times a second by open connections."""
    return replace(settings, session_check_seconds=0.2)


async def test_websocket_of_a_disabled_user_closes(quick: Settings) -> None:
    family = await make_family(quick)
    server = await LiveServer(quick).start()
    try:
        client = await staff_socket(server, family, lotte(family))
        assert client.synced and client.close_code is None
        await disable(quick, lotte(family))
        await client.wait_for(lambda: client.close_code is not None, timeout=10)
        assert client.close_code == 4401
        again = YClient(client.url, client.headers["Cookie"])
        await again.connect(wait_synced=False)
        await again.wait_for(lambda: again.close_code is not None)
        assert again.close_code == 4401
        await again.close()
    finally:
        await server.stop()


@pytest.mark.parametrize("how", ["revoked", "expired", "idle"])
async def test_websocket_of_an_ended_session_is_refused(quick: Settings, how: str) -> None:
    family = await make_family(quick)
    server = await LiveServer(quick).start()
    try:
        client = await staff_socket(server, family, lotte(family))
        session_id = client.url.rsplit("as=", 1)[1]
        await client.close()
        long_ago = utcnow() - timedelta(minutes=quick.session_idle_minutes + 1)
        change = {
            "revoked": {"revoked_at": utcnow()},
            "expired": {"expires_at": utcnow() - timedelta(seconds=1)},
            "idle": {"last_seen_at": long_ago},
        }[how]
        await in_db(quick, update(Session).where(Session.id == session_id).values(change))
        again = YClient(client.url, client.headers["Cookie"])
        await again.connect(wait_synced=False)
        await again.wait_for(lambda: again.close_code is not None)
        assert again.close_code == 4401
        await again.close()
    finally:
        await server.stop()


async def test_an_open_meeting_counts_as_activity(quick: Settings) -> None:
    """Idle timeout of 1.2 s: a page alone would be signed out, a connected meeting is not."""
    brief = replace(quick, session_idle_minutes=0.02)
    family = await make_family(brief)
    server = await LiveServer(brief).start()
    engine = create_engine(brief.database_url)
    try:
        client = await staff_socket(server, family, lotte(family))
        session_id = client.url.rsplit("as=", 1)[1]
        started = utcnow()

        async def touched_after_idle() -> bool:
            async with engine.connect() as conn:
                seen = await conn.scalar(
                    select(Session.last_seen_at).where(Session.id == session_id)
                )
            return seen is not None and seen.replace(tzinfo=UTC) > started + timedelta(seconds=1.5)

        async with asyncio.timeout(10):  # the connection touches the session past the timeout
            while not await touched_after_idle():  # noqa: ASYNC110 (a row, not an event)
                await asyncio.sleep(0.1)  # polling a database row; the timeout bounds it
        assert client.close_code is None
        async with httpx.AsyncClient(base_url=server.http) as http:
            page = await http.get(
                f"/meetings/{family.meeting_id}?as={session_id}",
                headers=client.headers,
            )
        assert page.status_code == 200
        await client.close()
    finally:
        await engine.dispose()
        await server.stop()
