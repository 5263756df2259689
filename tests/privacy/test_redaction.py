"""No password, token, join code or plan text in the logs (what the server process emits at
INFO, its production level) or in the audit log, after a login, an invite, an edit and some
refused attempts."""

from __future__ import annotations

import logging

import httpx
import pytest
from sqlalchemy import select

from server.privacy.redaction import RedactSecrets
from server.storage.db import create_engine
from server.storage.models import AuditEvent
from tests.conftest import Family, LiveServer, login, sign_in
from tests.test_server import add_goal, connect

PLAN_TEXT = "Geheim doel van het gezin 4711"
TEST_CLIENTS = ("httpx", "httpcore", "websockets.client")  # this test's own clients


async def test_logs_hold_no_secrets_after_a_full_flow(
    server: LiveServer, family: Family, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    secrets = [family.password, *(link["url"].rsplit("/", 1)[1] for link in family.links.values())]
    async with httpx.AsyncClient(base_url=server.http) as http:
        session_id = await login(http, family.accounts["Lotte Smit"], family.password)
        secrets.append(http.cookies[f"rt_{session_id}"])
        await http.get("/login")
        wrong = {"username": "lotte", "password": "Fout-Wachtwoord-99", "csrf_token": "x"}
        await http.post("/login", data=wrong)  # refused: CSRF
        wrong["csrf_token"] = http.cookies["rt-csrf"]
        await http.post("/login", data=wrong)  # refused: wrong password
        secrets.append("Fout-Wachtwoord-99")
        await http.get(f"/join/{'y' * 43}")  # an unknown invite
    mother = await sign_in(server.http, family, "Sanne Bakker")
    secrets += [mother.cookie.split("=", 1)[1], mother.csrf]
    tablet = await connect(server, mother)
    add_goal(tablet, "doel-geheim", PLAN_TEXT)
    await tablet.wait_saved()
    await tablet.close()
    secrets.append(PLAN_TEXT)
    ours = [r for r in caplog.records if not r.name.startswith(TEST_CLIENTS)]
    assert ours  # something was logged at all (refusals are)
    logged = "\n".join(f"{r.getMessage()} {r.args}" for r in ours)
    engine = create_engine(server.settings.database_url)
    async with engine.connect() as conn:
        audit = str((await conn.execute(select(AuditEvent))).all())
    await engine.dispose()
    for secret in secrets:
        assert secret not in logged
        assert secret not in audit


def test_invite_tokens_are_redacted_from_access_logs() -> None:
    """uvicorn's access log prints request paths; ``/join/<token>`` must not reach a handler."""
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "POST", "/join/SECRET-invite_token", "1.1", 303),
        None,
    )
    assert RedactSecrets().filter(record)
    assert "SECRET" not in record.getMessage() and "/join/[verborgen]" in record.getMessage()


async def test_a_refused_invite_confirmation_keeps_its_token_out_of_every_log(
    server: LiveServer, family: Family, caplog: pytest.LogCaptureFixture
) -> None:
    """A confirmation from another site is refused by the Origin check, whose log line names
    the path: the token in it (still usable) must not reach any log, our own loggers too."""
    caplog.set_level(logging.INFO)
    token = family.links["Sanne Bakker"]["url"].rsplit("/", 1)[1]
    async with httpx.AsyncClient(base_url=server.http) as http:
        refused = await http.post(f"/join/{token}", headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403
    ours = [r for r in caplog.records if not r.name.startswith(TEST_CLIENTS)]
    logged = "\n".join(r.getMessage() for r in ours)
    assert "/join/[verborgen]" in logged and token not in logged
