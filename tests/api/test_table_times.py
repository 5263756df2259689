"""The coordinator's table panel, the rough edges: a waiting time in the family's own time zone
(not UTC shown as local), and a request for someone already at the table says so."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import httpx
import pytest

from server.messages import clock_time, long_date, time_zone
from tests.access.test_admission import join_code, tablet_joins
from tests.conftest import Family, LiveServer, Member, sign_in


async def table_of(server: LiveServer, who: Member) -> dict:  # type: ignore[type-arg]
    async with httpx.AsyncClient(base_url=server.http) as http:
        response = await http.get(
            f"/api/meetings/{who.meeting_id}/table",
            params={"as": who.session_id},
            headers={"Cookie": who.cookie},
        )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.fixture
async def lotte(server: LiveServer, family: Family) -> Member:
    return await sign_in(server.http, family, "Lotte Smit")


def set_created(server: LiveServer, session_id: str, moment: datetime) -> None:
    with sqlite3.connect(server.settings.sqlite_path()) as db:
        db.execute(
            "update sessions set created_at=? where id=?",
            (moment.replace(tzinfo=None).isoformat(sep=" "), session_id),
        )


def set_zone(server: LiveServer, family: Family, zone: str) -> None:
    with sqlite3.connect(server.settings.sqlite_path()) as db:
        db.execute("update families set time_zone=? where id=?", (zone, family.family_id))


def test_clock_time_is_amsterdam_time_winter_and_summer() -> None:
    assert clock_time(datetime(2026, 12, 2, 13, 5, tzinfo=UTC)) == "14:05"  # CET, UTC+1
    assert clock_time(datetime(2026, 7, 2, 13, 5, tzinfo=UTC)) == "15:05"  # CEST, UTC+2
    assert clock_time(datetime(2026, 12, 2, 13, 5)) == "14:05"  # SQLite's naive UTC
    assert time_zone("Nowhere/Atlantis") == time_zone()  # a bad name falls back, never fails


def test_a_day_is_the_familys_day() -> None:
    late = datetime(2026, 12, 16, 23, 30, tzinfo=UTC)
    assert long_date(late) == "17 december 2026"  # already the 17th in Amsterdam
    assert long_date(late, time_zone("America/Paramaribo")) == "16 december 2026"


async def test_waiting_since_is_in_the_familys_time_zone(
    server: LiveServer, family: Family, lotte: Member
) -> None:
    code = await join_code(server, lotte)
    tablet = await tablet_joins(server, code, "Oma Ria", lotte.meeting_id)
    set_created(server, tablet.session_id, datetime(2026, 12, 2, 13, 5, tzinfo=UTC))
    waiting = (await table_of(server, lotte))["waiting"]
    assert [(w["name"], w["since_time"]) for w in waiting] == [("Oma Ria", "14:05")]
    assert waiting[0]["since"].endswith("+00:00")  # an ISO time a browser cannot misread

    set_zone(server, family, "America/Paramaribo")  # a family in Suriname: UTC-3
    waiting = (await table_of(server, lotte))["waiting"]
    assert waiting[0]["since_time"] == "10:05"
    await tablet.http.aclose()


async def test_a_request_for_someone_at_the_table_says_so(
    server: LiveServer, family: Family, lotte: Member
) -> None:
    await sign_in(server.http, family, "Sanne Bakker")  # Sanne is in, by her own link
    code = await join_code(server, lotte)
    second = await tablet_joins(server, code, "Sanne Bakker", lotte.meeting_id)
    other = await tablet_joins(server, code, "Oma Ria", lotte.meeting_id)
    waiting = {w["name"]: w["at_table"] for w in (await table_of(server, lotte))["waiting"]}
    assert waiting == {"Sanne Bakker": True, "Oma Ria": False}
    for tablet in (second, other):
        await tablet.http.aclose()
