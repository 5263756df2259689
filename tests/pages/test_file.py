"""The family's file in pages, in process: a coordinator creates a family, adds and changes
its people, plans and starts a round table, removes someone, hands the family over and
closes a file; bad input shows the form again with a Dutch text and stores nothing."""

from __future__ import annotations

import html
import re

import httpx
from sqlalchemy import func, select

from server.access import accounts
from server.settings import Settings
from server.storage.db import create_engine, sessionmaker
from server.storage.models import AuditEvent, Family, Meeting, Person
from tests.conftest import login, make_family
from tests.pages.test_family import rows

FAMILY = re.compile(r"/families/([0-9a-f]{32})\?as=")


async def new_family(client: httpx.AsyncClient, q: str, name: str = "Familie Yilmaz") -> str:
    made = await client.post(f"/families/new{q}", data={"name": name, "note": ""})
    assert made.status_code == 303, made.text
    found = FAMILY.search(made.headers["location"])
    assert found
    return found.group(1)


async def test_a_coordinator_keeps_a_family_file_in_pages(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    demo = await make_family(settings)
    session_id = await login(client, demo.accounts["Lotte Smit"], demo.password)
    q = f"?as={session_id}"
    home = await client.get(f"/home{q}")
    assert "Nieuw gezin" in home.text and "Open afspraken: 2" in home.text
    assert "Er is nu een overleg bezig." in home.text
    form = await client.get(f"/families/new{q}")
    assert form.status_code == 200 and 'name="name"' in form.text

    empty = await client.post(f"/families/new{q}", data={"name": "  "})
    assert empty.status_code == 400 and "Vul een naam in." in empty.text
    assert 'aria-invalid="true"' in empty.text
    long = await client.post(f"/families/new{q}", data={"name": "x" * 10_000})
    assert long.status_code == 400 and "Deze naam is te lang." in long.text
    tags = await client.post(f"/families/new{q}", data={"name": "<b>Bakker</b>"})
    assert tags.status_code == 400 and "geen &lt; of &gt;" in tags.text
    assert (await rows(settings, select(func.count()).select_from(Family)))[0][0] == 1

    family_id = await new_family(client, q)
    page = await client.get(f"/families/{family_id}{q}")
    assert page.status_code == 200 and "<h1>Familie Yilmaz</h1>" in page.text
    assert "Gezinslid toevoegen" in page.text and "Overleg plannen" in page.text

    base = f"/families/{family_id}/people"
    bad = await client.post(
        f"{base}/new{q}&role=family", data={"name": "Emre", "birth_year": "2999"}
    )
    assert bad.status_code == 400 and "in de toekomst" in bad.text
    assert 'value="Emre"' in bad.text  # what was typed stays
    mail = await client.post(
        f"{base}/new{q}&role=professional", data={"name": "Kim", "email": "kim-at-school"}
    )
    assert mail.status_code == 400 and "Dit is geen e-mailadres." in mail.text
    added = await client.post(
        f"{base}/new{q}&role=family", data={"name": "Emre", "birth_year": "2014"}
    )
    assert added.status_code == 303
    pid = added.headers["location"].rsplit("#person-", 1)[1]
    named = await rows(settings, select(Person.name).where(Person.family_id == family_id))
    assert sorted(n for (n,) in named) == ["Emre", "Lotte Smit"]
    edit = await client.get(f"{base}/{pid}{q}")
    assert edit.status_code == 200 and 'value="2014"' in edit.text
    saved = await client.post(f"{base}/{pid}{q}", data={"name": "Emre Yilmaz", "relation": "zoon"})
    assert saved.status_code == 303
    page = await client.get(f"/families/{family_id}{q}")
    assert "Emre Yilmaz" in page.text and "Geboren in 2014" in page.text

    planned = await client.post(
        f"/families/{family_id}/meetings/new{q}",
        data={"title": "Eerste overleg", "date": "2099-03-04", "time": "14:30", "online": "1"},
    )
    assert planned.status_code == 303
    page = await client.get(f"/families/{family_id}{q}")
    assert "Eerste overleg" in page.text and "4 maart 2099 om 14:30 uur" in page.text
    assert "Waar: Online" in page.text
    past = await client.post(
        f"/families/{family_id}/meetings/new{q}", data={"title": "x", "date": "2001-01-01"}
    )
    assert past.status_code == 400 and "al voorbij" in past.text
    home = await client.get(f"/home{q}")
    assert "Volgend overleg: 4 maart 2099 om 14:30 uur, Online" in html.unescape(home.text)
    (meeting_id,) = (
        await rows(settings, select(Meeting.id).where(Meeting.family_id == family_id))
    )[0]
    started = await client.post(f"/families/{family_id}/meetings/{meeting_id}/start{q}")
    assert started.status_code == 303 and started.headers["location"].startswith(
        f"/meetings/{meeting_id}"
    )
    again = await client.post(f"/families/{family_id}/meetings{q}")
    assert again.status_code == 409 and "al een overleg" in again.text

    removed = await client.post(f"{base}/{pid}/remove{q}")
    assert removed.status_code == 303
    page = await client.get(f"/families/{family_id}{q}")
    assert "Emre" not in page.text
    assert (await client.get(f"{base}/{pid}{q}")).status_code == 404
    actions = [
        a
        for (a,) in await rows(
            settings, select(AuditEvent.action).where(AuditEvent.family_id == family_id)
        )
    ]
    for action in ("create_family", "add_person", "change_person", "view_person"):
        assert action in actions
    for action in ("plan_meeting", "start_meeting", "remove_person"):
        assert action in actions


async def test_hand_over_and_close(client: httpx.AsyncClient, settings: Settings) -> None:
    demo = await make_family(settings)
    session_id = await login(client, demo.accounts["Lotte Smit"], demo.password)
    q = f"?as={session_id}"
    family_id = await new_family(client, q, "Familie De Groot")
    engine = create_engine(settings.database_url)
    try:
        async with sessionmaker(engine).begin() as db:
            await accounts.create_user(
                db, "noor", "Noor Jansen", "coordinator", accounts.hash_password("noor-wachtwoord")
            )
    finally:
        await engine.dispose()
    form = await client.get(f"/families/{family_id}/handover{q}")
    assert "Noor Jansen" in form.text
    nobody = await client.post(f"/families/{family_id}/handover{q}", data={"username": "wie"})
    assert nobody.status_code == 400 and "Kies een regisseur uit de lijst." in nobody.text
    given = await client.post(f"/families/{family_id}/handover{q}", data={"username": "noor"})
    assert given.status_code == 200 and "overgedragen aan Noor Jansen" in given.text
    assert (await client.get(f"/families/{family_id}{q}")).status_code == 404  # Lotte: gone
    noor = await login(client, "noor", "noor-wachtwoord")
    nq = f"?as={noor}"
    assert (await client.get(f"/families/{family_id}{nq}")).status_code == 200
    actions = await rows(
        settings,
        select(AuditEvent.action, AuditEvent.actor_id).where(AuditEvent.family_id == family_id),
    )
    assert "hand_over_family" in [a for a, _ in actions]
    assert "receive_family" in [a for a, _ in actions]

    closed = await client.post(f"/families/{family_id}/close{nq}")
    assert closed.status_code == 303
    page = await client.get(f"/families/{family_id}{nq}")
    assert "Het dossier is gesloten" in page.text and "Gezinslid toevoegen" not in page.text
    refused = await client.post(
        f"/families/{family_id}/people/new{nq}&role=family", data={"name": "Laat"}
    )
    assert refused.status_code == 409 and "gesloten" in refused.text
    plan = await client.post(f"/families/{family_id}/meetings{nq}")
    assert plan.status_code == 409
    assert (await rows(settings, select(Person.id).where(Person.name == "Laat"))) == []
    # the demo family has a live meeting: its file cannot close before the meeting does
    lotte_q = q
    live = await client.post(f"/families/{demo.family_id}/close{lotte_q}")
    assert live.status_code == 409 and "Sluit eerst het overleg af." in live.text
