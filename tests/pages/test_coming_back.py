"""Coming back: a browser with a valid session that presses Back, reopens its link or opens
the home lands in the meeting (or, once it closed, on the family's plan), never on "Deze link
is al gebruikt"; another browser with the same link still gets that answer, and a forged,
revoked or expired session goes nowhere."""

from __future__ import annotations

import sqlite3

import httpx

from server.settings import Settings
from tests.access.test_admission import coordinator_post, join_code, tablet_joins
from tests.conftest import Family, LiveServer, join, login, sign_in
from tests.pages.test_accounts_admin import browser_of


def token_of(family: Family, name: str) -> str:
    return family.links[name]["url"].rsplit("/", 1)[1]


def sql(settings: Settings, statement: str, *args: object) -> None:
    with sqlite3.connect(settings.sqlite_path()) as db:
        db.execute(statement, args)


async def test_back_and_reopening_the_link_go_back_into_the_meeting(
    client: httpx.AsyncClient, settings: Settings, family: Family
) -> None:
    session = await join(client, family.links["Sanne Bakker"]["url"])
    token = token_of(family, "Sanne Bakker")
    meeting = f"/meetings/{family.meeting_id}?as={session}"
    again = await client.get(f"/join/{token}")  # Back, or the link opened in a new tab
    assert again.status_code == 303 and again.headers["location"] == meeting
    confirmed = await client.post(f"/join/{token}")  # Back, then "Meedoen" once more
    assert confirmed.status_code == 303 and confirmed.headers["location"] == meeting
    assert len(client.cookies) == 1  # no second session was started

    async with browser_of(client) as other:  # someone else with the same link
        for used in (await other.get(f"/join/{token}"), await other.post(f"/join/{token}")):
            assert used.status_code == 410 and "al gebruikt" in used.text

    sql(settings, "update meetings set status='closed' where id=?", family.meeting_id)
    closed = await client.get(f"/join/{token}")
    assert closed.headers["location"] == f"/families/{family.family_id}/plan?as={session}"


async def test_a_forged_revoked_or_idle_session_does_not_come_back(
    client: httpx.AsyncClient, settings: Settings, family: Family
) -> None:
    session = await join(client, family.links["Mark Bakker"]["url"])
    token = token_of(family, "Mark Bakker")
    async with browser_of(client) as forger:
        forger.cookies.set(f"rt_{session}", "guessed-cookie-value")
        assert (await forger.get(f"/join/{token}")).status_code == 410  # "al gebruikt"
        assert (await forger.post(f"/join/{token}")).status_code == 410
        assert "Welkom bij Rondetafel" in (await forger.get("/")).text
    sql(settings, "update sessions set last_seen_at='2000-01-01 00:00:00' where id=?", session)
    assert (await client.post(f"/join/{token}")).status_code == 410  # idle: it ended
    sql(
        settings,
        "update sessions set last_seen_at=created_at, revoked_at=created_at where id=?",
        session,
    )
    assert (await client.post(f"/join/{token}")).status_code == 410


async def test_the_home_of_a_family_member_shows_the_plan_and_the_live_meeting(
    client: httpx.AsyncClient, settings: Settings, family: Family
) -> None:
    assert "Welkom bij Rondetafel" in (await client.get("/")).text
    session = await join(client, family.links["Sanne Bakker"]["url"])
    home = await client.get("/")
    assert home.status_code == 200
    assert "Welkom terug" in home.text and "Familie Test" in home.text
    assert f'href="/meetings/{family.meeting_id}?as={session}"' in home.text
    assert f'href="/families/{family.family_id}/plan?as={session}"' in home.text
    sql(settings, "update meetings set status='closed' where id=?", family.meeting_id)
    closed = await client.get("/")
    assert "/meetings/" not in closed.text and "Er is nu geen overleg" in closed.text
    with sqlite3.connect(settings.sqlite_path()) as db:
        seen = db.execute(
            "select actor_id, family_id from audit_log where action='view_home'"
        ).fetchall()
    assert len(seen) == 2 and all(f == family.family_id for _, f in seen)


async def test_staff_coming_home_go_to_their_families(
    client: httpx.AsyncClient, family: Family
) -> None:
    session = await login(client, family.accounts["Lotte Smit"], family.password)
    home = await client.get("/")
    assert home.status_code == 303 and home.headers["location"] == f"/home?as={session}"


async def test_a_tablet_that_waits_goes_back_to_waiting(server: LiveServer, family: Family) -> None:
    lotte = await sign_in(server.http, family, "Lotte Smit")
    code = await join_code(server, lotte)
    tablet = await tablet_joins(server, code, "Oma Ria", lotte.meeting_id)
    for path in ("/", "/code"):  # the tab was closed; the home or the code page again
        back = await tablet.http.get(path)
        assert back.status_code == 303, path
        assert back.headers["location"] == f"/wait?as={tablet.session_id}", path
    await coordinator_post(server, lotte, f"requests/{tablet.session_id}/refuse")
    assert (await tablet.http.get("/code")).status_code == 200  # refused: it may ask again
    await tablet.http.aclose()
