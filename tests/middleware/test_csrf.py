"""CSRF and HTTP headers, attacked: state-changing requests without, with a wrong, or with
another session's token are refused (403) and change nothing; every page carries the
security headers, and plan pages are never stored by a cache."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select
from starlette.routing import Route

from server.access.sessions import csrf_token
from server.app import create_app
from server.settings import Settings
from server.storage.db import create_engine
from server.storage.models import Meeting, Session
from tests.conftest import join, login, make_family, page_csrf
from tests.pages.test_route_access import NO_FAMILY_DATA, fill


async def scalar(settings: Settings, statement: object) -> object:
    engine = create_engine(settings.database_url)
    try:
        async with engine.connect() as conn:
            return await conn.scalar(statement)  # type: ignore[call-overload]
    finally:
        await engine.dispose()


async def meeting_status(settings: Settings, meeting_id: str) -> object:
    return await scalar(settings, select(Meeting.status).where(Meeting.id == meeting_id))


@pytest.mark.parametrize("token", ["missing", "wrong", "another session's"])
async def test_close_without_the_right_token_is_refused(
    app_client: httpx.AsyncClient, settings: Settings, token: str
) -> None:
    family = await make_family(settings)
    session_id = await login(app_client, family.accounts["Lotte Smit"], family.password)
    other = await join(app_client, family.links["Sanne Bakker"]["url"])
    headers = {
        "missing": {},
        "wrong": {"X-CSRF-Token": "0" * 64},
        "another session's": {"X-CSRF-Token": csrf_token(settings.secret_key, other)},
    }[token]
    url = f"/api/meetings/{family.meeting_id}/close?as={session_id}"
    refused = await app_client.post(url, headers=headers)
    assert refused.status_code == 403 and refused.json()["error"] == "bad_token"
    assert await meeting_status(settings, family.meeting_id) == "live"

    page = await app_client.get(f"/meetings/{family.meeting_id}?as={session_id}")
    closed = await app_client.post(url, headers={"X-CSRF-Token": page_csrf(page.text)})
    assert closed.status_code == 201  # the page's own token works: the refusal was CSRF


@pytest.mark.parametrize("token", ["missing", "wrong"])
async def test_a_form_post_without_the_right_token_is_refused(
    app_client: httpx.AsyncClient, settings: Settings, token: str
) -> None:
    family = await make_family(settings)
    session_id = await login(app_client, family.accounts["Lotte Smit"], family.password)
    q = f"?as={session_id}"
    page = await app_client.get(f"/families/{family.family_id}{q}")
    good = page_csrf(page.text)
    assert f'name="csrf_token" value="{good}"' in page.text  # every form carries it
    form = {"screen": "1"} | ({"csrf_token": "x" * 64} if token == "wrong" else {})
    refused = await app_client.post(f"/families/{family.family_id}/invites{q}", data=form)
    assert refused.status_code == 403 and "/join/" not in refused.text
    assert "geweigerd" in refused.text

    made = await app_client.post(
        f"/families/{family.family_id}/invites{q}", data={"screen": "1", "csrf_token": good}
    )
    assert made.status_code == 200 and "/join/" in made.text


async def test_logout_and_keepalive_need_the_token(
    app_client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    session_id = await login(app_client, family.accounts["Lotte Smit"], family.password)
    q = f"?as={session_id}"
    assert (await app_client.post(f"/logout{q}")).status_code == 403
    assert (await app_client.post(f"/session/keepalive{q}")).status_code == 403
    assert (
        await scalar(settings, select(Session.revoked_at).where(Session.id == session_id)) is None
    )
    assert (await app_client.get(f"/home{q}")).status_code == 200  # still signed in


async def test_login_needs_the_forms_token(
    app_client: httpx.AsyncClient, settings: Settings
) -> None:
    """Login CSRF: another site must not log a browser into an account of its choosing."""
    family = await make_family(settings)
    data = {"username": family.accounts["Lotte Smit"], "password": family.password}
    refused = await app_client.post("/login", data=data)
    assert refused.status_code == 403
    await app_client.get("/login")
    wrong = await app_client.post("/login", data=data | {"csrf_token": "nope"})
    assert wrong.status_code == 403
    sessions = await scalar(settings, select(func.count()).select_from(Session))
    assert sessions == 0


async def test_a_foreign_origin_is_refused_even_with_a_token(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    session_id = await login(client, family.accounts["Lotte Smit"], family.password)
    response = await client.post(
        f"/api/meetings/{family.meeting_id}/close?as={session_id}",
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403 and response.json()["error"] == "bad_origin"
    assert await meeting_status(settings, family.meeting_id) == "live"


def _csp_ok(csp: str) -> bool:
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    script = directives.get("script-src", directives.get("default-src", []))
    return (
        "'unsafe-inline'" not in script
        and "'unsafe-eval'" not in script
        and directives.get("frame-ancestors") == ["'none'"]
    )


async def test_every_page_has_the_security_headers(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    session_id = await login(client, family.accounts["Lotte Smit"], family.password)
    pages = [
        route.path
        for route in create_app(settings).routes
        if isinstance(route, Route)
        and "GET" in (route.methods or ())
        and route.path != "/join/{token}"
    ]
    pages.append(family.links["Sanne Bakker"]["url"].removeprefix(settings.base_url))
    for template in pages:
        path = template if template in NO_FAMILY_DATA else fill(template, family)
        response = await client.get(f"{path}?as={session_id}&from=1&to=1")
        headers = response.headers
        assert _csp_ok(headers["content-security-policy"]), template
        assert headers["x-content-type-options"] == "nosniff", template
        assert headers["referrer-policy"] in ("same-origin", "no-referrer"), template
        if "/plan" in template or "/meetings" in template or "/families" in template:
            assert "no-store" in headers["cache-control"], template


async def test_an_unexpected_error_page_has_the_security_headers_too(settings: Settings) -> None:
    """Starlette answers a bug outside every middleware; its 500 page is ours, headers too."""
    app = create_app(settings)

    async def broken(request: object) -> None:
        raise RuntimeError("a bug")

    app.router.add_route("/broken", broken)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url=settings.base_url) as c:
            response = await c.get("/broken")
    assert response.status_code == 500 and "a bug" not in response.text
    assert _csp_ok(response.headers["content-security-policy"])
    assert response.headers["x-frame-options"] == "DENY"
