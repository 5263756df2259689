"""Joining at the table by code, against a real server: a pending tablet reaches nothing, only
the coordinator admits, refuses or removes, a removed person is cut off within 2 s for good,
join codes are rate-limited, and idle sockets are closed."""

from __future__ import annotations

import asyncio
import html
import logging
import re
import sqlite3
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace

import httpx
import pytest
from pycrdt import Array
from sqlalchemy import select as sa_select

from server.settings import Settings
from tests.conftest import Family, LiveServer, Member, login, make_family, page_csrf, sign_in
from tests.test_server import connect
from tests.yclient import YClient

PICK = re.compile(r'name="person_id" value="([0-9a-f]{32})">([^<]+)</button>')
PLAN_TEXT = "Daan gaat elke dag naar school"  # a goal of the seeded plan


@dataclass
class Tablet:
    """A browser that joined by code: its own cookie jar, its pending session id."""

    http: httpx.AsyncClient
    session_id: str
    cookie: str
    meeting_id: str

    def member(self, name: str, role: str) -> Member:
        return Member(name, role, None, self.cookie, self.session_id, self.meeting_id)


def origin(server: LiveServer) -> dict[str, str]:
    return {"Origin": server.http}


async def join_code(server: LiveServer, coordinator: Member) -> str:
    async with httpx.AsyncClient(base_url=server.http) as http:
        response = await http.get(
            f"/api/meetings/{coordinator.meeting_id}/join-code",
            params={"as": coordinator.session_id},
            headers={"Cookie": coordinator.cookie},
        )
    assert response.status_code == 200, response.text
    code: str = response.json()["code"]
    return code


async def pick_list(http: httpx.AsyncClient, server: LiveServer, code: str) -> dict[str, str]:
    response = await http.post("/code", data={"code": code}, headers=origin(server))
    assert response.status_code == 200, response.text
    return {html.unescape(name): pid for pid, name in PICK.findall(response.text)}


async def tablet_joins(server: LiveServer, code: str, name: str, meeting_id: str) -> Tablet:
    """Type the code, pick ``name``, get a pending session (as a tablet's browser does)."""
    http = httpx.AsyncClient(base_url=server.http)
    people = await pick_list(http, server, code)
    response = await http.post(
        "/code/pick", data={"code": code, "person_id": people[name]}, headers=origin(server)
    )
    assert response.status_code == 303, response.text
    session_id = response.headers["location"].split("as=")[1]
    cookie = f"rt_{session_id}={http.cookies[f'rt_{session_id}']}"
    return Tablet(http, session_id, cookie, meeting_id)


async def coordinator_post(server: LiveServer, who: Member, path: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.http) as http:
        return await http.post(
            f"/api/meetings/{who.meeting_id}/{path}",
            params={"as": who.session_id},
            headers={"Cookie": who.cookie, "X-CSRF-Token": who.csrf, **origin(server)},
        )


def admission_of(server: LiveServer, session_id: str) -> tuple[str, str | None]:
    with sqlite3.connect(server.settings.sqlite_path()) as db:
        row = db.execute(
            "select admission, revoked_at from sessions where id=?", (session_id,)
        ).fetchone()
    return row[0], row[1]


def audit_actions(server: LiveServer) -> list[tuple[str, str]]:
    with sqlite3.connect(server.settings.sqlite_path()) as db:
        return db.execute("select action, outcome from audit_log order by id").fetchall()


async def ws_refusal(server: LiveServer, member: Member) -> YClient:
    client = await YClient(member.ws_url(server.ws), member.cookie).connect(wait_synced=False)
    await client.wait_for(lambda: client.close_code is not None)
    return client


@pytest.fixture
async def lotte(server: LiveServer, family: Family) -> Member:
    return await sign_in(server.http, family, "Lotte Smit")


async def test_pending_tablet_gets_no_page_api_or_document_byte(
    server: LiveServer, family: Family, lotte: Member
) -> None:
    code = await join_code(server, lotte)
    tablet = await tablet_joins(server, code, "Oma Ria", family.meeting_id)
    q = {"as": tablet.session_id}
    page = await tablet.http.get(f"/meetings/{family.meeting_id}", params=q)
    assert page.status_code == 403 and PLAN_TEXT not in page.text
    for path in (
        f"/api/families/{family.family_id}/plan",
        f"/api/meetings/{family.meeting_id}/changes",
        f"/api/meetings/{family.meeting_id}/table",
    ):
        response = await tablet.http.get(path, params=q)
        assert response.status_code == 403, path
        assert response.json()["error"] == "not_admitted"
    for path in (f"/families/{family.family_id}", f"/families/{family.family_id}/plan"):
        response = await tablet.http.get(path, params=q)
        assert response.status_code in (401, 403) and PLAN_TEXT not in response.text, path
    client = await ws_refusal(server, tablet.member("Oma Ria", "network"))
    assert client.close_code == 4403
    assert client.frames == []  # not a single document byte
    waiting = await tablet.http.get("/wait", params=q)
    assert "Wacht even. De regisseur laat je zo toe." in waiting.text
    assert "Oma Ria" in waiting.text and PLAN_TEXT not in waiting.text
    assert (await tablet.http.get("/api/admission", params=q)).json() == {
        "status": "pending",
        "meeting_url": None,  # not even the meeting's address before admission
    }
    await tablet.http.aclose()


async def test_admitted_tablet_opens_the_meeting(
    server: LiveServer, family: Family, lotte: Member
) -> None:
    code = await join_code(server, lotte)
    tablet = await tablet_joins(
        server, code.lower().replace("-", " "), "Daan Bakker", family.meeting_id
    )
    answer = await coordinator_post(server, lotte, f"requests/{tablet.session_id}/admit")
    assert answer.status_code == 200, answer.text
    status = (await tablet.http.get("/api/admission", params={"as": tablet.session_id})).json()
    assert status == {
        "status": "admitted",
        "meeting_url": f"/meetings/{family.meeting_id}?as={tablet.session_id}",
    }
    page = await tablet.http.get(status["meeting_url"])
    assert page.status_code == 200
    client = await connect(server, tablet.member("Daan Bakker", "family"))
    assert client.synced and PLAN_TEXT in str(client.doc.get("goals", type=Array).to_py())
    await client.close()
    assert ("request_admission", "ok") in audit_actions(server)
    assert ("admit_participant", "ok") in audit_actions(server)
    await tablet.http.aclose()


async def test_only_the_coordinator_admits_refuses_or_removes(
    server: LiveServer, family: Family, lotte: Member
) -> None:
    code = await join_code(server, lotte)
    waiting = await tablet_joins(server, code, "Oma Ria", family.meeting_id)
    seated = await tablet_joins(server, code, "Fatima El Amrani", family.meeting_id)
    assert (await coordinator_post(server, lotte, f"requests/{seated.session_id}/admit")).is_success
    mother = await sign_in(server.http, family, "Sanne Bakker")
    screen = await sign_in(server.http, family, "Gedeeld scherm")
    professional = await sign_in(server.http, family, "Esther de Wit")
    attackers = [mother, screen, professional, waiting.member("Oma Ria", "network")]
    for who in attackers:
        for path in (
            f"requests/{waiting.session_id}/admit",
            f"requests/{waiting.session_id}/refuse",
            f"participants/{seated.session_id}/remove",
            "join-code",  # renewing the code
        ):
            response = await coordinator_post(server, who, path)
            assert response.status_code == 403, (who.name, path, response.text)
    assert admission_of(server, waiting.session_id) == ("pending", None)
    assert admission_of(server, seated.session_id) == ("admitted", None)
    assert await join_code(server, lotte) == code
    # the coordinator of another family cannot reach this meeting at all
    other = await make_family(server.settings, "Familie Anders")
    stranger = await sign_in(server.http, other, "Lotte Smit")
    stranger.meeting_id = family.meeting_id
    response = await coordinator_post(server, stranger, f"requests/{waiting.session_id}/admit")
    assert response.status_code == 404
    assert admission_of(server, waiting.session_id) == ("pending", None)
    # nor can the coordinator remove themselves
    response = await coordinator_post(server, lotte, f"participants/{lotte.session_id}/remove")
    assert response.status_code == 403
    assert admission_of(server, lotte.session_id) == ("admitted", None)
    assert ("admit_participant", "refused") in audit_actions(server)
    for tablet in (waiting, seated):
        await tablet.http.aclose()


async def test_refused_tablet_stays_out(server: LiveServer, family: Family, lotte: Member) -> None:
    tablet = await tablet_joins(
        server, await join_code(server, lotte), "Mark Bakker", family.meeting_id
    )
    assert (
        await coordinator_post(server, lotte, f"requests/{tablet.session_id}/refuse")
    ).is_success
    status = await tablet.http.get("/api/admission", params={"as": tablet.session_id})
    assert status.json()["status"] == "refused"
    again = await coordinator_post(server, lotte, f"requests/{tablet.session_id}/admit")
    assert again.status_code == 404  # a refusal is final for that session
    client = await ws_refusal(server, tablet.member("Mark Bakker", "family"))
    assert client.close_code == 4403 and client.frames == []
    assert ("refuse_participant", "ok") in audit_actions(server)
    await tablet.http.aclose()


async def test_removed_person_is_cut_off_within_two_seconds_and_stays_out(
    server: LiveServer, family: Family, lotte: Member
) -> None:
    tablet = await tablet_joins(
        server, await join_code(server, lotte), "Daan Bakker", family.meeting_id
    )
    await coordinator_post(server, lotte, f"requests/{tablet.session_id}/admit")
    daan = tablet.member("Daan Bakker", "family")
    laptop_link = await sign_in(server.http, family, "Daan Bakker")  # Daan's second device
    sockets = [
        await connect(server, daan),
        await connect(server, daan),
        await connect(server, laptop_link),
    ]
    watcher = await connect(server, lotte)
    for s in sockets:
        await s.set_awareness({"step": 1})
    await watcher.wait_for(lambda: all(s.client_id in watcher.present() for s in sockets))

    started = time.monotonic()
    answer = await coordinator_post(server, lotte, f"participants/{tablet.session_id}/remove")
    assert answer.status_code == 200, answer.text
    async with asyncio.timeout(2.0):
        for s in sockets:
            await s.wait_for(lambda s=s: s.close_code is not None, timeout=2.0)
    elapsed = time.monotonic() - started
    assert elapsed < 2.0, elapsed
    assert [s.close_code for s in sockets] == [4410, 4410, 4410]
    await watcher.wait_for(lambda: not any(s.client_id in watcher.present() for s in sockets))

    for member in (daan, laptop_link):
        again = await ws_refusal(server, member)
        assert again.close_code == 4410 and again.frames == []
    page = await tablet.http.get(f"/meetings/{family.meeting_id}", params={"as": tablet.session_id})
    assert page.status_code == 403 and "Je bent uit het overleg gehaald." in page.text
    api = await tablet.http.get(
        f"/api/families/{family.family_id}/plan", params={"as": tablet.session_id}
    )
    assert api.status_code == 403
    # the same session cannot ask again: it stays removed
    readmit = await coordinator_post(server, lotte, f"requests/{tablet.session_id}/admit")
    assert readmit.status_code == 404
    assert admission_of(server, tablet.session_id)[0] == "removed"
    assert ("remove_participant", "ok") in audit_actions(server)
    await watcher.close()
    await tablet.http.aclose()


async def test_closed_meeting_code_and_renewed_code_are_refused(
    server: LiveServer, family: Family, lotte: Member
) -> None:
    old = await join_code(server, lotte)
    renewed = await coordinator_post(server, lotte, "join-code")
    new = renewed.json()["code"]
    assert new != old
    async with httpx.AsyncClient(base_url=server.http) as http:
        assert (
            await http.post("/code", data={"code": old}, headers=origin(server))
        ).status_code == 404
        assert await pick_list(http, server, new)
        closed = await coordinator_post(server, lotte, "close")
        assert closed.status_code == 201, closed.text
        response = await http.post("/code", data={"code": new}, headers=origin(server))
        assert response.status_code == 404
        assert "Deze code klopt niet, of het overleg is al klaar." in response.text


async def test_only_family_and_network_of_this_family_can_be_picked(
    server: LiveServer, family: Family, lotte: Member
) -> None:
    other = await make_family(server.settings, "Familie Anders")
    with sqlite3.connect(server.settings.sqlite_path()) as db:
        ids = dict(
            db.execute(
                "select p.name || '@' || f.name, p.id from people p join families f "
                "on f.id = p.family_id"
            ).fetchall()
        )
    code = await join_code(server, lotte)
    async with httpx.AsyncClient(base_url=server.http) as http:
        offered = await pick_list(http, server, code)
        assert set(offered) == {
            "Sanne Bakker",
            "Mark Bakker",
            "Daan Bakker",
            "Oma Ria",
            "Fatima El Amrani",
        }
        for target in (
            "Oma Ria@Familie Anders",  # another family's person
            "Esther de Wit@Familie Test",  # a professional: uses their own link
            "Lotte Smit@Familie Test",  # the coordinator
        ):
            response = await http.post(
                "/code/pick",
                data={"code": code, "person_id": ids[target]},
                headers=origin(server),
            )
            assert response.status_code == 400, target
            assert not any(k.startswith("rt_") for k in http.cookies), target
    with sqlite3.connect(server.settings.sqlite_path()) as db:
        assert db.execute("select count(*) from sessions where admission='pending'").fetchone() == (
            0,
        )
    assert other.family_id  # the other family exists, and nothing of it was reachable


@pytest.fixture
async def tight(settings: Settings) -> AsyncIterator[LiveServer]:
    live = await LiveServer(
        replace(settings, join_attempts_per_ip=5, join_failures_global=1000)
    ).start()
    yield live
    await live.stop()


async def test_guessing_codes_from_one_client_gets_429(
    tight: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    family = await make_family(tight.settings)
    code = await join_code(tight, await sign_in(tight.http, family, "Lotte Smit"))
    guesses = [f"ZZZZ-{n:04d}".replace("0", "2").replace("1", "3") for n in range(5)]
    caplog.set_level(logging.INFO)
    async with httpx.AsyncClient(base_url=tight.http) as http:
        for guess in guesses:
            response = await http.post("/code", data={"code": guess}, headers=origin(tight))
            assert response.status_code == 404
        refused = await http.post("/code", data={"code": code}, headers=origin(tight))
    assert refused.status_code == 429  # even the right code, once over the limit
    assert "Wacht een minuut" in refused.text
    assert "wrong join code" in caplog.text
    for secret in (*guesses, code, code.replace("-", "")):
        assert secret not in caplog.text


async def test_wrong_codes_from_everyone_share_one_budget(settings: Settings) -> None:
    live = await LiveServer(
        replace(settings, join_attempts_per_ip=1000, join_failures_global=3)
    ).start()
    try:
        family = await make_family(live.settings)
        code = await join_code(live, await sign_in(live.http, family, "Lotte Smit"))
        async with httpx.AsyncClient(base_url=live.http) as http:
            assert await pick_list(http, live, code)  # right codes do not use the budget
            for _ in range(3):
                wrong = await http.post("/code", data={"code": "XXXX-XXXX"}, headers=origin(live))
                assert wrong.status_code == 404
            blocked = await http.post("/code", data={"code": code}, headers=origin(live))
        assert blocked.status_code == 429
    finally:
        await live.stop()


async def test_requests_to_one_meeting_are_limited(settings: Settings) -> None:
    live = await LiveServer(replace(settings, join_requests_per_meeting=2)).start()
    try:
        family = await make_family(live.settings)
        code = await join_code(live, await sign_in(live.http, family, "Lotte Smit"))
        async with httpx.AsyncClient(base_url=live.http) as http:
            statuses = [
                (await http.post("/code", data={"code": code}, headers=origin(live))).status_code
                for _ in range(3)
            ]
        assert statuses == [200, 200, 429]
    finally:
        await live.stop()


async def test_a_socket_that_sends_nothing_is_closed(settings: Settings) -> None:
    live = await LiveServer(replace(settings, idle_timeout=0.5)).start()
    try:
        family = await make_family(live.settings)
        talking = await connect(live, await sign_in(live.http, family, "Mark Bakker"))

        async def renew_presence() -> None:  # as browsers do (every 15 s; here every 0.1 s)
            while True:
                await talking.set_awareness({"step": 0})
                await asyncio.sleep(0.1)  # the client's own pace, not a wait for the server

        renewing = asyncio.create_task(renew_presence())
        quiet = await connect(live, await sign_in(live.http, family, "Sanne Bakker"))
        last_sent = time.monotonic()  # its sync step 2 answer, right after the sync
        await quiet.wait_for(lambda: quiet.close_code is not None, timeout=3.0)
        quiet_for = time.monotonic() - last_sent
        assert quiet.close_code == 4508
        assert 0.4 < quiet_for < 2.0, quiet_for
        assert talking.close_code is None  # a client that speaks is kept
        renewing.cancel()
        await talking.close()
    finally:
        await live.stop()


async def test_awareness_identity_and_colour_come_from_the_server(
    server: LiveServer, family: Family
) -> None:
    a = await connect(server, await sign_in(server.http, family, "Sanne Bakker"))
    b = await connect(server, await sign_in(server.http, family, "Oma Ria"))
    claim = {"user": {"name": "Regisseur", "role": "coordinator", "color": "#ff0000"}}
    await b.set_awareness(claim)
    await a.wait_for(lambda: b.client_id in a.present())
    user = a.present()[b.client_id]["user"]
    assert (user["name"], user["role"]) == ("Oma Ria", "network")
    assert user["color"] != "#ff0000" and re.fullmatch(r"#[0-9a-f]{6}", user["color"])
    await a.close()
    await b.close()


async def test_a_large_presence_is_cut_to_who_it_is(server: LiveServer, family: Family) -> None:
    """Presence is relayed to everyone at the table: 16 KiB per entry, times four ids and
    five sockets, was 320 KiB per session per change. Now only a small state passes."""
    a = await connect(server, await sign_in(server.http, family, "Sanne Bakker"))
    b = await connect(server, await sign_in(server.http, family, "Oma Ria"))
    await b.set_awareness({"step": 2, "cursor": "x" * 15_000})
    await a.wait_for(lambda: b.client_id in a.present())
    state = a.present()[b.client_id]
    assert set(state) == {"user"} and state["user"]["name"] == "Oma Ria"
    await b.set_awareness({"step": 3, "cursor": "kort"})  # a normal state passes whole
    await a.wait_for(lambda: a.present()[b.client_id].get("step") == 3)
    assert a.present()[b.client_id]["cursor"] == "kort"
    await a.close()
    await b.close()


async def test_coordinator_sees_who_waits_and_who_is_at_the_table(
    server: LiveServer, family: Family, lotte: Member
) -> None:
    tablet = await tablet_joins(
        server, await join_code(server, lotte), "Oma Ria", family.meeting_id
    )
    await sign_in(server.http, family, "Sanne Bakker")
    async with httpx.AsyncClient(base_url=server.http) as http:
        response = await http.get(
            f"/api/meetings/{family.meeting_id}/table",
            params={"as": lotte.session_id},
            headers={"Cookie": lotte.cookie},
        )
    table = response.json()
    assert [(w["name"], w["session_id"]) for w in table["waiting"]] == [
        ("Oma Ria", tablet.session_id)
    ]
    seated = {s["name"]: s for s in table["seated"]}
    assert set(seated) == {"Lotte Smit", "Sanne Bakker"}
    assert seated["Lotte Smit"]["is_you"] and not seated["Sanne Bakker"]["is_you"]
    assert table["join"]["live"] and table["join"]["qr"].startswith("<svg")
    await tablet.http.aclose()


async def staff_member(server: LiveServer, family: Family, name: str) -> Member:
    """A professional or coordinator who logs in with their account (no meeting session)."""
    async with httpx.AsyncClient(base_url=server.http) as http:
        session_id = await login(http, family.accounts[name], family.password)
        cookie = f"rt_{session_id}={http.cookies[f'rt_{session_id}']}"
        page = await http.get(f"/meetings/{family.meeting_id}", params={"as": session_id})
    assert page.status_code == 200, page.text
    return Member(name, "staff", None, cookie, session_id, family.meeting_id, page_csrf(page.text))


async def test_a_professional_with_an_account_is_removed_too(
    server: LiveServer, family: Family
) -> None:
    """Staff sessions span families, so removal is per meeting and per person: the sockets
    close within 2 s, the meeting stays closed to them, their account keeps working."""
    lotte = await staff_member(server, family, "Lotte Smit")
    esther = await staff_member(server, family, "Esther de Wit")
    socket = await connect(server, esther)
    coordinator_socket = await connect(server, lotte)
    async with httpx.AsyncClient(base_url=server.http) as http:
        table = await http.get(
            f"/api/meetings/{family.meeting_id}/table",
            params={"as": lotte.session_id},
            headers={"Cookie": lotte.cookie},
        )
    seat = next(s for s in table.json()["seated"] if s["name"] == "Esther de Wit")
    assert seat["remove_path"].startswith("people/")
    mother = await sign_in(server.http, family, "Sanne Bakker")
    for not_the_coordinator in (mother, esther):
        refused = await coordinator_post(server, not_the_coordinator, seat["remove_path"])
        assert refused.status_code == 403
    myself = await coordinator_post(
        server,
        lotte,
        seat["remove_path"].replace(
            seat["person_id"], next(s for s in table.json()["seated"] if s["is_you"])["person_id"]
        ),
    )
    assert myself.status_code in (403, 404)
    assert socket.close_code is None

    started = time.monotonic()
    answer = await coordinator_post(server, lotte, seat["remove_path"])
    assert answer.status_code == 200, answer.text
    await socket.wait_for(lambda: socket.close_code is not None, timeout=2.0)
    assert time.monotonic() - started < 2.0 and socket.close_code == 4410
    again = await ws_refusal(server, esther)
    assert again.close_code == 4410 and again.frames == []
    async with httpx.AsyncClient(base_url=server.http) as http:
        cookie = {"Cookie": esther.cookie}
        page = await http.get(
            f"/meetings/{family.meeting_id}", params={"as": esther.session_id}, headers=cookie
        )
        assert page.status_code == 403 and "Je bent uit het overleg gehaald." in page.text
        plan = await http.get(
            f"/families/{family.family_id}/plan", params={"as": esther.session_id}, headers=cookie
        )
        assert plan.status_code == 200  # still takes part in the family, not in this meeting
    assert coordinator_socket.close_code is None
    await coordinator_socket.close()


async def test_a_session_of_an_earlier_meeting_does_not_join_the_next(
    server: LiveServer, family: Family, lotte: Member
) -> None:
    """Invite and code sessions carry their meeting: once it is closed and the next one starts,
    the old session reaches the family's plan pages as before, but not the new meeting."""
    neighbour = await sign_in(server.http, family, "Fatima El Amrani")
    assert (await coordinator_post(server, lotte, "close")).status_code == 201
    async with httpx.AsyncClient(base_url=server.http) as http:
        started = await http.post(
            f"/families/{family.family_id}/meetings",
            params={"as": lotte.session_id},
            headers={"Cookie": lotte.cookie, "X-CSRF-Token": lotte.csrf, **origin(server)},
        )
        assert started.status_code == 303, started.text
        with sqlite3.connect(server.settings.sqlite_path()) as db:
            (new_meeting,) = db.execute(
                "select id from meetings where family_id=? and status='live'", (family.family_id,)
            ).fetchone()
        cookie = {"Cookie": neighbour.cookie}
        page = await http.get(f"/meetings/{new_meeting}?as={neighbour.session_id}", headers=cookie)
        assert page.status_code == 404
        plan = await http.get(
            f"/families/{family.family_id}/plan?as={neighbour.session_id}", headers=cookie
        )
        assert plan.status_code == 200
    again = replace(neighbour, meeting_id=new_meeting)
    client = await ws_refusal(server, again)
    assert client.close_code == 4403 and client.frames == []
    assert ("join_meeting", "refused") in audit_actions(server)


async def test_removing_a_person_withdraws_their_unused_links(
    server: LiveServer, family: Family, lotte: Member
) -> None:
    """A second, older link of a removed person no longer brings them straight back."""
    from datetime import timedelta

    from server.access.sessions import create_invite
    from server.storage.db import create_engine, sessionmaker
    from server.storage.models import Meeting, Person

    engine = create_engine(server.settings.database_url)
    async with sessionmaker(engine).begin() as db:
        meeting = await db.get(Meeting, family.meeting_id)
        fatima = next(
            p for p in await db.scalars(sa_select(Person)) if p.name == "Fatima El Amrani"
        )
        assert meeting is not None
        spare = await create_invite(
            db, server.settings.secret_key, meeting, fatima, "network", timedelta(hours=1)
        )
    await engine.dispose()
    neighbour = await sign_in(server.http, family, "Fatima El Amrani")
    removed = await coordinator_post(server, lotte, f"participants/{neighbour.session_id}/remove")
    assert removed.status_code == 200, removed.text
    async with httpx.AsyncClient(base_url=server.http) as http:
        back = await http.post(f"/join/{spare}", headers=origin(server))
    assert back.status_code == 410 and "werkt niet" in back.text
