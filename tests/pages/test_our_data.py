"""The family's right of access in plain Dutch: a family member reads what Rondetafel holds
about her family (people, meetings, plans, links made, how long it is kept, what she can do),
never a token; the network, professionals and other families are refused; it is audited."""

from __future__ import annotations

import sqlite3

import httpx

from server.settings import Settings
from tests.conftest import join, login, make_family


async def test_a_family_member_reads_what_is_kept_about_her_family(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    sanne = await join(client, family.links["Sanne Bakker"]["url"])
    page = await client.get(f"/families/{family.family_id}/our-data?as={sanne}")
    assert page.status_code == 200
    text = page.text
    for expected in (
        "Wat weet Rondetafel over ons?",
        "Naam van het gezin: Familie Test.",
        "Je bent hier als Sanne Bakker (gezin).",
        "Fatima El Amrani",
        "Wil helpen met: Kan Daan naar voetbal brengen.",
        "Werkt bij: Het Baken College",
        "Plan 1, van",
        "20 jaar na het laatste overleg",
        "Jouw regisseur: Lotte Smit.",
        f"/families/{family.family_id}/plan/pdf?as={sanne}",
    ):
        assert expected in text, expected
    with sqlite3.connect(settings.sqlite_path()) as db:
        tokens = [r[0] for r in db.execute("select token_hash from invites")]
        audited = db.execute(
            "select count(*) from audit_log where action='view_own_data' and outcome='ok'"
        ).fetchone()
    assert not any(token in text for token in tokens)
    assert "/join/" not in text
    assert audited == (1,)


async def test_only_the_family_and_its_coordinator_read_it(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    other = await make_family(settings, "Familie Anders")
    path = f"/families/{family.family_id}/our-data"
    assert (await client.get(path)).status_code == 401
    for name in ("Oma Ria", "Esther de Wit", "Gedeeld scherm"):  # network, professional, screen
        session = await join(client, family.links[name]["url"])
        response = await client.get(f"{path}?as={session}")
        assert response.status_code == 403 and "Fatima" not in response.text, name
    stranger = await join(client, other.links["Sanne Bakker"]["url"])
    assert (await client.get(f"{path}?as={stranger}")).status_code == 404
    lotte = await login(client, family.accounts["Lotte Smit"], family.password)
    assert (await client.get(f"{path}?as={lotte}")).status_code == 200
