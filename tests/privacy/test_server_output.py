"""Everything a real server process prints (uvicorn's access log, our own lines, warnings,
tracebacks) during an attack run holds no secret: no password, invite token, session cookie,
CSRF token, join code or plan text. The in-process tests see only the log records; this one
reads the process's whole output, as an operator's journal would keep it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from sqlalchemy import select

from server.settings import Settings
from server.storage.db import create_engine, migrate
from server.storage.models import Meeting
from tests.conftest import Member, login, make_family, sign_in
from tests.live.test_hostile_input import BAD_FRAMES
from tests.server_process import ServerProcess, free_port
from tests.test_server import add_goal, connect

PLAN_TEXT = "Geheim doel van het gezin 4711"
WRONG_PASSWORD = "Fout-Wachtwoord-99"


async def test_the_server_prints_no_secret_during_attacks(tmp_path: Path) -> None:
    db_path = tmp_path / "output.db"
    url = f"sqlite+aiosqlite:///{db_path}"
    await asyncio.to_thread(migrate, url)
    port = free_port()
    settings = Settings(database_url=url, demo=True, port=port)
    family = await make_family(settings)
    engine = create_engine(url)
    async with engine.connect() as conn:
        join_code = str(await conn.scalar(select(Meeting.join_code)))
    await engine.dispose()
    tokens = [link["url"].rsplit("/", 1)[1] for link in family.links.values()]
    secrets = [family.password, WRONG_PASSWORD, PLAN_TEXT, join_code, *tokens]
    server = await ServerProcess(db_path, port).start()
    try:
        async with httpx.AsyncClient(base_url=server.http) as http:
            session_id = await login(http, family.accounts["Lotte Smit"], family.password)
            secrets.append(http.cookies[f"rt_{session_id}"])
        async with httpx.AsyncClient(base_url=server.http) as http:
            wrong = {"username": "lotte", "password": WRONG_PASSWORD, "csrf_token": "x"}
            await http.post("/login", data=wrong)  # refused: CSRF
            await http.get("/login")
            wrong["csrf_token"] = http.cookies["rt-csrf"]
            secrets.append(wrong["csrf_token"])
            for _ in range(7):  # refused: wrong password, then locked
                await http.post("/login", data=wrong)
            oma = family.links["Oma Ria"]["url"].rsplit("/", 1)[1]
            # an invite confirmed from another site, then only looked at
            await http.post(f"/join/{oma}", headers={"Origin": "https://evil.example"})
            await http.get(f"/join/{oma}")
            await http.post("/code", data={"code": join_code}, headers={"Origin": server.http})
            await http.get(f"/code?code={join_code}")
        mother = await sign_in(server.http, family, "Sanne Bakker")
        secrets += [mother.cookie.split("=", 1)[1], mother.csrf]
        tablet = await connect(server, mother)
        add_goal(tablet, "doel-geheim", PLAN_TEXT)
        await tablet.wait_saved()
        for frame, _code in BAD_FRAMES.values():  # each closes its own connection
            # a session of its own each: a refused session waits a while (limits.CoolDown)
            async with httpx.AsyncClient(base_url=server.http) as http:
                sid = await login(http, family.accounts["Esther de Wit"], family.password)
                secrets.append(cookie := http.cookies[f"rt_{sid}"])
            esther = Member(
                "Esther de Wit", "professional", None, f"rt_{sid}={cookie}", sid, family.meeting_id
            )
            attacker = await connect(server, esther)
            await attacker.send(frame + PLAN_TEXT.encode())
            await attacker.wait_for(lambda a=attacker: a.close_code is not None)
            assert attacker.close_code in (1003, 1007), attacker.close_code  # the room's refusal
        await tablet.close()
    finally:
        await server.terminate()
    printed = b"".join(server.output).decode(errors="replace")
    assert "POST /login" in printed and "/join/[verborgen]" in printed  # it did print
    leaked = [secret for secret in secrets if secret in printed]
    assert leaked == []
