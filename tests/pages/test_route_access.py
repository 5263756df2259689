"""Every route of the app, walked as someone of *another* family: 404 or 403, never the data.

Routes are enumerated from the app itself, so a new route without an access check makes
this test fail; routes that hold no family data are listed in ``NO_FAMILY_DATA`` on purpose.
Each outsider sends a valid CSRF token, so a refusal here is the access check, not CSRF.
"""

from __future__ import annotations

import re
import sqlite3

import httpx
import pytest
from starlette.routing import Mount, Route, WebSocketRoute

from server.app import create_app
from server.settings import Settings
from tests.access.test_accounts import add_admin
from tests.conftest import Family, LiveServer, join, login, make_family
from tests.yclient import YClient

# routes without family data: public pages, the icon, login/logout, the staff's own home (checked
# below to list only their families), session status, the invite confirmation, and joining
# by code (the code itself is the key; tests/access/test_admission.py attacks it), and
# starting a new family's file (tests/api/test_families.py attacks who may)
NO_FAMILY_DATA = {
    "/api/families",
    "/families/new",
    "/code",
    "/code/pick",
    "/wait",
    "/api/admission",
    "/",
    "/healthz",
    "/favicon.ico",
    "/login",
    "/logout",
    "/home",
    "/session",
    "/session/keepalive",
    "/join/{token}",
    # staff accounts, no family: tests/pages/test_accounts_admin.py attacks each (admin only;
    # the password link's token is the key)
    "/admin/accounts",
    "/admin/accounts/{user_id}/disable",
    "/admin/accounts/{user_id}/reset",
    "/account/{token}",
}
PARAM = re.compile(r"{(\w+)(?::\w+)?}")


def family_routes(settings: Settings) -> list[tuple[str, str]]:
    """(method, path template) of every HTTP route that is not in NO_FAMILY_DATA."""
    found = []
    for route in create_app(settings).routes:
        if isinstance(route, Route) and route.path not in NO_FAMILY_DATA:
            assert route.methods, route.path
            found += [(m, route.path) for m in sorted(route.methods - {"HEAD"})]
        elif not isinstance(route, Route | WebSocketRoute | Mount):
            pytest.fail(f"unknown kind of route {route!r}: add it to this walk")
    return found


def fill(template: str, victim: Family, person_id: str = "0" * 32) -> str:
    values = {
        "family_id": victim.family_id,
        "meeting_id": victim.meeting_id,
        "number": "1",
        "session_id": "0" * 32,
        "person_id": person_id,
    }

    def value(match: re.Match[str]) -> str:
        assert match.group(1) in values, f"no test value for {{{match.group(1)}}} in {template}"
        return values[match.group(1)]

    return PARAM.sub(value, template)


def professional_of(settings: Settings, family: Family) -> str:
    with sqlite3.connect(settings.sqlite_path()) as db:
        row = db.execute(
            "select id from people where family_id=? and role='professional'", (family.family_id,)
        ).fetchone()
    return str(row[0])


async def outsiders(client: httpx.AsyncClient, settings: Settings) -> dict[str, str]:
    """Session ids of people with no part in the victim family: its staff and family of
    another family, and an admin."""
    other = await make_family(settings, "Familie Anders")
    return {
        "coordinator of another family": await login(
            client, other.accounts["Lotte Smit"], other.password
        ),
        "professional of another family": await login(
            client, other.accounts["Esther de Wit"], other.password
        ),
        "family of another family": await join(client, other.links["Sanne Bakker"]["url"]),
        "admin": await login(client, "beheer", await add_admin(settings)),
    }


async def person_of(settings: Settings, family: Family, name: str) -> str:
    from tests.pages.test_family import person_id

    return await person_id(settings, family, name)


async def test_every_route_refuses_another_family(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    victim = await make_family(settings)
    routes = family_routes(settings)
    assert len(routes) >= 9  # the walk sees the app's routes
    intruders = await outsiders(client, settings)
    esther = professional_of(settings, victim)  # a real person of the victim family
    for who, session_id in intruders.items():
        for method, template in routes:
            path = fill(template, victim, esther)
            response = await client.request(method, f"{path}?as={session_id}&from=1&to=1")
            assert response.status_code in (403, 404), (who, method, template)
            assert "Familie Test" not in response.text, (who, method, template)
            assert "Daan" not in response.text, (who, method, template)
        home = await client.get(f"/home?as={session_id}")
        assert "Familie Test" not in home.text, who

    # the filled-in ids are real: the family's own coordinator reaches every GET route
    own = await login(client, victim.accounts["Lotte Smit"], victim.password)
    for method, template in routes:
        if method == "GET":
            path = fill(template, victim, esther)
            response = await client.get(f"{path}?as={own}&from=1&to=1")
            assert response.status_code == 200, (template, response.status_code)


async def test_every_websocket_refuses_another_family(settings: Settings) -> None:
    victim = await make_family(settings)
    sockets = [r.path for r in create_app(settings).routes if isinstance(r, WebSocketRoute)]
    assert sockets == ["/ws/meetings/{meeting_id}"]
    server = await LiveServer(settings).start()
    try:
        async with httpx.AsyncClient(base_url=server.http) as http:
            intruders = await outsiders(http, settings)
            jar = {name: value for name, value in http.cookies.items() if name.startswith("rt_")}
        for who, session_id in intruders.items():
            cookie = f"rt_{session_id}={jar[f'rt_{session_id}']}"
            for template in sockets:
                url = f"{server.ws}{fill(template, victim)}?as={session_id}"
                client = YClient(url, cookie)
                await client.connect(wait_synced=False)
                await client.wait_for(lambda c=client: c.close_code is not None)
                assert client.close_code == 4403, who
                assert not client.synced, who
                await client.close()
    finally:
        await server.stop()
