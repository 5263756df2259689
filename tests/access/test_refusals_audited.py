"""Every refusal leaves an audit row, also when nobody is signed in: who (anonymous), what,
and from where — and for a failed login, which account was tried."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from server.settings import Settings
from server.storage.db import create_engine
from server.storage.models import AuditEvent
from tests.conftest import make_family


async def refusals(settings: Settings) -> list[tuple[str, str, str, str]]:
    engine = create_engine(settings.database_url)
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(
                AuditEvent.action, AuditEvent.actor_role, AuditEvent.access_point, AuditEvent.detail
            ).where(AuditEvent.outcome == "refused")
        )
        found = [tuple(r) for r in rows]
    await engine.dispose()
    return found  # type: ignore[return-value]


async def test_refusals_without_a_session_are_audited(
    app_client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    assert (await app_client.get(f"/families/{family.family_id}/plan")).status_code == 401
    foreign = await app_client.post(
        f"/families/{family.family_id}/meetings", headers={"Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    assert (await app_client.post("/code", data={"code": "ZZZZ-ZZZZ"})).status_code == 404
    await app_client.get("/login")
    token = app_client.cookies.get("rt-csrf")
    wrong = {"username": "lotte", "password": "niet-goed-genoeg", "csrf_token": token}
    assert (await app_client.post("/login", data=wrong)).status_code == 401

    rows = await refusals(settings)
    by_action = {action: (role, where, detail) for action, role, where, detail in rows}
    assert by_action["view_plan"][0] == "anonymous" and "from " in by_action["view_plan"][2]
    assert by_action["request"][1] == f"/families/{family.family_id}/meetings"
    assert "bad_origin" in by_action["request"][2]
    assert "wrong code" in by_action["view_join_list"][2]
    assert "'lotte'" in by_action["login"][2] and "from " in by_action["login"][2]
    assert all("niet-goed-genoeg" not in detail for *_, detail in rows)
