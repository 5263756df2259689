"""The privacy pages in process: who may read the log, export and erase (attacks from another
family, a network member, a professional, the family itself), what the family's own page shows,
the export's contents and headers, and markup typed into a plan staying inert everywhere."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select, update
from starlette.applications import Starlette

from server.app import create_app
from server.settings import Settings
from server.storage.db import create_engine
from server.storage.models import AuditEvent, Person
from server.storage.models import Family as FamilyRow
from tests.conftest import Family, csrf_hook, join, make_family
from tests.pages.test_plan import XSS, make_history

HEX_ID = re.compile(r"\b[0-9a-f]{32}\b")
COORDINATOR, FAMILY, NETWORK, PROFESSIONAL = (
    "Lotte Smit",
    "Sanne Bakker",
    "Oma Ria",
    "Esther de Wit",
)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Starlette]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


class Device:
    """One person's browser: its own cookie jar, signed in with its own invite link."""

    def __init__(self, app: Starlette, settings: Settings):
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url=settings.base_url,
            event_hooks={"request": [csrf_hook(settings.secret_key)]},  # as our pages do
        )
        self.session = ""

    async def sign_in(self, family: Family, name: str) -> Device:
        self.session = await join(self.client, family.links[name]["url"])
        return self

    async def get(self, path: str, **params: str) -> httpx.Response:
        return await self.client.get(path, params={"as": self.session, **params})

    async def post(self, path: str, data: dict[str, str]) -> httpx.Response:
        return await self.client.post(path, params={"as": self.session}, data=data)


@pytest.fixture
async def devices(app: Starlette, settings: Settings) -> AsyncIterator[list[Device]]:
    made: list[Device] = []

    def _make() -> Device:
        made.append(Device(app, settings))
        return made[-1]

    yield _make  # type: ignore[misc]
    for device in made:
        await device.client.aclose()


async def audit_rows(settings: Settings, family_id: str | None = None) -> list[AuditEvent]:
    engine = create_engine(settings.database_url)
    try:
        async with engine.connect() as conn:
            query = select(AuditEvent).order_by(AuditEvent.id)
            if family_id is not None:
                query = query.where(AuditEvent.family_id == family_id)
            return list((await conn.execute(query)).all())  # type: ignore[arg-type]
    finally:
        await engine.dispose()


async def rename(settings: Settings, family: Family, person: str, new_name: str) -> None:
    engine = create_engine(settings.database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                update(Person)
                .where(Person.family_id == family.family_id, Person.name == person)
                .values(name=new_name)
            )
    finally:
        await engine.dispose()


PAGES = ("log", "export", "erase")


async def test_no_session_gets_401(devices: object, settings: Settings) -> None:
    family = await make_family(settings)
    stranger = devices()  # type: ignore[operator]
    for page in PAGES:
        response = await stranger.get(f"/families/{family.family_id}/{page}")
        assert response.status_code == 401, page
    erase = await stranger.post(f"/families/{family.family_id}/erase", {"confirm_name": "x"})
    assert erase.status_code == 401


async def test_other_familys_coordinator_gets_404_everywhere(
    devices: object, settings: Settings
) -> None:
    ours = await make_family(settings, "Familie Ons")
    theirs = await make_family(settings, "Familie Ander")
    intruder = await devices().sign_in(theirs, COORDINATOR)  # type: ignore[operator]
    for page in (*PAGES, "plan/seen"):
        response = await intruder.get(f"/families/{ours.family_id}/{page}")
        assert response.status_code == 404, page
        assert "Familie Ons" not in response.text and COORDINATOR not in response.text
    erase = await intruder.post(
        f"/families/{ours.family_id}/erase", {"confirm_name": "Familie Ons"}
    )
    assert erase.status_code == 404
    refused = [r for r in await audit_rows(settings, ours.family_id) if r.outcome == "refused"]
    assert {r.action for r in refused} == {"view_log", "export_family", "erase_family"}
    # nothing was erased
    engine = create_engine(settings.database_url)
    async with engine.connect() as conn:
        assert await conn.scalar(select(FamilyRow.name).where(FamilyRow.id == ours.family_id))
    await engine.dispose()


@pytest.mark.parametrize("name", [NETWORK, PROFESSIONAL, FAMILY])
async def test_others_at_the_table_get_403(devices: object, settings: Settings, name: str) -> None:
    family = await make_family(settings, "Familie Ons")
    member = await devices().sign_in(family, name)  # type: ignore[operator]
    for page in PAGES:
        response = await member.get(f"/families/{family.family_id}/{page}")
        assert response.status_code == 403, (name, page)
        assert not response.headers["content-type"].startswith("application/json")
        assert "<table" not in response.text
    erase = await member.post(
        f"/families/{family.family_id}/erase", {"confirm_name": "Familie Ons"}
    )
    assert erase.status_code == 403
    seen = await member.get(f"/families/{family.family_id}/plan/seen")
    assert seen.status_code == (200 if name == FAMILY else 403), name


async def test_coordinator_reads_the_log_newest_first_with_names(
    devices: object, settings: Settings
) -> None:
    family = await make_family(settings)
    esther = await devices().sign_in(family, PROFESSIONAL)  # type: ignore[operator]
    await esther.get(f"/families/{family.family_id}/plan")
    lotte = await devices().sign_in(family, COORDINATOR)  # type: ignore[operator]
    page = await lotte.get(f"/families/{family.family_id}/log")
    assert page.status_code == 200
    text = page.text
    for expected in (
        "Logboek van Familie Test",
        "Esther de Wit",
        "hulpverlener",
        "Plan bekeken",
        "Gelukt",
        "Aangemeld met een link",
        " om ",
        " uur",
    ):
        assert expected in text, expected
    # newest first: Lotte's sign-in comes before Esther's plan view on the page
    assert text.index("Lotte Smit") < text.index("Esther de Wit")
    assert [r.action for r in await audit_rows(settings, family.family_id)][-1] == "view_log"


async def test_log_is_paginated(devices: object, settings: Settings) -> None:
    family = await make_family(settings)
    esther = await devices().sign_in(family, PROFESSIONAL)  # type: ignore[operator]
    for _ in range(55):
        await esther.get(f"/families/{family.family_id}/plan")
    lotte = await devices().sign_in(family, COORDINATOR)  # type: ignore[operator]
    first = await lotte.get(f"/families/{family.family_id}/log")
    assert first.text.count("<tr class=") == 50 and "Oudere regels" in first.text
    second = await lotte.get(f"/families/{family.family_id}/log", page="2")
    assert 0 < second.text.count("<tr class=") < 50 and "Nieuwere regels" in second.text
    odd = await lotte.get(f"/families/{family.family_id}/log", page="-1'")
    assert odd.status_code == 200 and "Pagina 1" in odd.text


async def test_log_never_names_someone_of_another_family(
    devices: object, settings: Settings
) -> None:
    ours = await make_family(settings, "Familie Ons")
    theirs = await make_family(settings, "Familie Ander")
    await rename(settings, theirs, PROFESSIONAL, "Mevrouw Geheim")
    prober = await devices().sign_in(theirs, PROFESSIONAL)  # type: ignore[operator]
    await prober.get(f"/families/{ours.family_id}/plan")  # refused, written to our log
    lotte = await devices().sign_in(ours, COORDINATOR)  # type: ignore[operator]
    page = await lotte.get(f"/families/{ours.family_id}/log")
    assert "Geweigerd" in page.text and "Onbekend of verwijderd" in page.text
    assert "Mevrouw Geheim" not in page.text and "Familie Ander" not in page.text


async def test_family_page_shows_only_its_own_plan_rows(
    devices: object, settings: Settings
) -> None:
    ours = await make_family(settings, "Familie Ons")
    theirs = await make_family(settings, "Familie Ander")
    await rename(settings, theirs, PROFESSIONAL, "Mevrouw Geheim")
    outsider = await devices().sign_in(theirs, PROFESSIONAL)  # type: ignore[operator]
    await outsider.get(f"/families/{theirs.family_id}/plan")  # their own family: not ours
    await outsider.get(f"/families/{ours.family_id}/plan")  # a probe: refused
    esther = await devices().sign_in(ours, PROFESSIONAL)  # type: ignore[operator]
    await esther.get(f"/families/{ours.family_id}/plan")
    await esther.get(f"/families/{ours.family_id}/plan/print")
    sanne = await devices().sign_in(ours, FAMILY)  # type: ignore[operator]
    page = await sanne.get(f"/families/{ours.family_id}/plan/seen")
    assert page.status_code == 200
    main = page.text.split('<main id="main" tabindex="-1">', 1)[1].split("</main>", 1)[0]
    assert "Wie heeft ons plan bekeken of veranderd?" in main
    assert "<strong>Esther de Wit</strong> (hulpverlener) heeft het plan bekeken." in main
    assert "heeft het plan afgedrukt." in main
    assert "Mevrouw Geheim" not in main and "Onbekend" not in main
    assert "Aangemeld" not in main and "Geweigerd" not in main  # logins and refusals: no
    assert HEX_ID.search(main) is None  # no internal ids in what people read
    # the other family's page does not show our professional's view
    other = await outsider.get(f"/families/{theirs.family_id}/plan/seen")
    assert other.status_code == 403  # a professional, not the family


async def test_print_view_is_audited_and_opens_the_dialog(
    devices: object, settings: Settings
) -> None:
    family = await make_family(settings)
    sanne = await devices().sign_in(family, FAMILY)  # type: ignore[operator]
    plan = await sanne.get(f"/families/{family.family_id}/plan")
    assert f"/families/{family.family_id}/plan/print?as=" in plan.text
    printed = await sanne.get(f"/families/{family.family_id}/plan/print", version="1")
    assert printed.status_code == 200 and "data-autoprint" in printed.text
    missing = await sanne.get(f"/families/{family.family_id}/plan/print", version="9")
    assert missing.status_code == 404
    actions = [(r.action, r.outcome) for r in await audit_rows(settings, family.family_id)]
    assert ("print_plan", "ok") in actions


async def test_export_has_everything_without_secrets(devices: object, settings: Settings) -> None:
    family = await make_family(settings)
    await make_history(settings, family)
    lotte = await devices().sign_in(family, COORDINATOR)  # type: ignore[operator]
    response = await lotte.get(f"/families/{family.family_id}/export")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["family"] == {**data["family"], "id": family.family_id, "name": "Familie Test"}
    assert {p["name"] for p in data["people"]} >= {COORDINATOR, FAMILY, NETWORK, PROFESSIONAL}
    assert [v["number"] for v in data["plan_versions"]] == [1, 2, 3]
    assert data["plan_versions"][0]["plan"]["goals"]
    assert [d["meeting_id"] for d in data["live_documents"]] == [family.meeting_id]
    assert "goals" in data["live_documents"][0]["document"]
    assert data["invites"] and all("token_hash" not in i for i in data["invites"])
    assert data["sessions"] and all("token_hash" not in s for s in data["sessions"])
    assert all("join_code" not in m for m in data["meetings"])
    assert {"start_session", "export_family"} - {r["action"] for r in data["audit_log"]} == {
        "export_family"  # the export's own row is written after the file is made
    }
    assert [r.action for r in await audit_rows(settings, family.family_id)][-1] == ("export_family")


async def test_xss_in_a_goal_and_a_name_is_inert_in_export_and_log(
    devices: object, settings: Settings
) -> None:
    family = await make_family(settings)
    await make_history(settings, family)  # a goal whose text is XSS
    name_xss = "<script>alert('naam')</script>"
    await rename(settings, family, PROFESSIONAL, name_xss)
    esther = await devices().sign_in(family, PROFESSIONAL)  # type: ignore[operator]
    await esther.get(f"/families/{family.family_id}/plan")
    lotte = await devices().sign_in(family, COORDINATOR)  # type: ignore[operator]
    export = await lotte.get(f"/families/{family.family_id}/export")
    body = export.content.decode()
    assert "<" not in body and ">" not in body  # every markup character escaped
    data = json.loads(body)
    assert name_xss in {p["name"] for p in data["people"]}  # ...and the text is intact
    assert any(g["text"] == XSS for v in data["plan_versions"] for g in v["plan"]["goals"])
    log_page = await lotte.get(f"/families/{family.family_id}/log")
    assert name_xss not in log_page.text and "&lt;script&gt;" in log_page.text
    sanne = await devices().sign_in(family, FAMILY)  # type: ignore[operator]
    seen = await sanne.get(f"/families/{family.family_id}/plan/seen")
    assert name_xss not in seen.text and "&lt;script&gt;" in seen.text


async def test_erase_needs_the_familys_name_and_a_same_origin_post(
    devices: object, settings: Settings
) -> None:
    family = await make_family(settings, "Familie Ons")
    lotte = await devices().sign_in(family, COORDINATOR)  # type: ignore[operator]
    form = await lotte.get(f"/families/{family.family_id}/erase")
    assert form.status_code == 200 and 'name="confirm_name"' in form.text
    wrong = await lotte.post(f"/families/{family.family_id}/erase", {"confirm_name": "Familie"})
    assert wrong.status_code == 400 and "Die naam klopt niet" in wrong.text
    forged = await lotte.client.post(
        f"/families/{family.family_id}/erase",
        params={"as": lotte.session},
        data={"confirm_name": "Familie Ons"},
        headers={"Origin": "https://evil.example"},
    )
    assert forged.status_code == 403
    still = await lotte.get(f"/families/{family.family_id}")
    assert still.status_code == 200
    done = await lotte.post(
        f"/families/{family.family_id}/erase", {"confirm_name": " familie  ons"}
    )
    assert done.status_code == 200 and "Het gezin is gewist" in done.text
    after = await lotte.get(f"/families/{family.family_id}")
    assert after.status_code == 401  # the session went with the family
