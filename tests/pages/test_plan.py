"""The family plan pages in process (httpx over ASGI): access rules, what the family reads, inert
user text, older versions and the compare page."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pycrdt import Doc
from sqlalchemy import select

from server import plans
from server.access.sessions import create_invite
from server.crdt import carry, schema
from server.settings import Settings
from server.storage.db import create_engine, sessionmaker
from server.storage.models import AuditEvent, Person, PlanVersion
from server.storage.models import Family as FamilyRow
from tests.conftest import Family as DemoFamily
from tests.conftest import join, make_family

XSS = "<img src=x onerror=alert(1)>"
CLOSED_2 = datetime(2026, 12, 16, 10, 0, tzinfo=UTC)
CLOSED_3 = datetime(2027, 2, 3, 15, 30, tzinfo=UTC)


async def first_plan(settings: Settings, family_id: str) -> dict[str, Any]:
    engine = create_engine(settings.database_url)
    try:
        async with sessionmaker(engine)() as db:
            version = await plans.latest_version(db, family_id)
            assert version is not None
            return copy.deepcopy(version.plan)
    finally:
        await engine.dispose()


async def add_version(
    settings: Settings,
    family_id: str,
    number: int,
    plan: dict[str, Any],
    closed_at: datetime,
    odd: bool = False,
) -> None:
    """Store a plan version directly, as closing a meeting would (an ``odd`` plan, which
    ``schema.seed`` cannot write, gets an empty document as its snapshot)."""
    doc: Doc = Doc()
    schema.seed(doc, schema.empty_plan() if odd else plan, status="closed")
    engine = create_engine(settings.database_url)
    try:
        async with sessionmaker(engine).begin() as db:
            closer = await db.scalar(
                select(Person.id).where(Person.family_id == family_id, Person.name == "Lotte Smit")
            )
            db.add(
                PlanVersion(
                    family_id=family_id,
                    number=number,
                    closed_by=closer,
                    closed_at=closed_at,
                    plan=plan,
                    snapshot=doc.get_update(),
                )
            )
    finally:
        await engine.dispose()


def person_id(plan: dict[str, Any], name: str) -> str:
    return next(pid for pid, p in plan["people"].items() if p["name"] == name)


async def make_history(settings: Settings, family: DemoFamily) -> None:
    """Plan versions 2 and 3 after the demo's version 1: scores go up, a goal typed with HTML,
    an action without a goal, a decision, the minutes."""
    v1 = await first_plan(settings, family.family_id)
    v2 = carry.carry_forward(v1, 1)
    v2["title"] = "Tweede rondetafeloverleg"
    next(g for g in v2["goals"] if g["id"] == "doel-school")["score"] = 6
    next(g for g in v2["goals"] if g["id"] == "doel-geld")["score"] = 5
    v2["goals"].append(
        {
            "id": "doel-xss",
            "text": XSS,
            "domain": "huisvesting",
            "author_id": person_id(v2, "Sanne Bakker"),
            "author_role": "family",
            "score": 2,
            "professional_view": "",
        }
    )
    post = next(a for a in v2["actions"] if a["id"] == "actie-post")
    post["status"] = "partly"
    post["evaluation"] = "De helft van de post is gesorteerd."
    v2["actions"].append(
        {
            "id": "actie-los",
            "goal_id": None,
            "text": "Oma Ria belt elke zondag",
            "owner_id": person_id(v2, "Oma Ria"),
            "due": "2027-01-10",
            "status": "open",
            "evaluation": "",
            "carried_from": None,
        }
    )
    v2["decisions"] = [
        {
            "id": "besluit-1",
            "text": "Daan gaat naar een time-outplek als het thuis niet veilig is.",
            "reason": "De veiligheid van Daan gaat voor.",
            "options": "Als het thuis rustig blijft, dan is dit niet nodig.",
            "decided_by": person_id(v2, "Lotte Smit"),
        }
    ]
    v2["minutes"] = "Iedereen was er. We hebben de doelen besproken."
    v2["next_meeting"] = "2027-02-03"
    await add_version(settings, family.family_id, 2, v2, CLOSED_2)
    v3 = carry.carry_forward(v2, 2)
    v3["title"] = "Derde rondetafeloverleg"
    next(g for g in v3["goals"] if g["id"] == "doel-school")["score"] = 7
    await add_version(settings, family.family_id, 3, v3, CLOSED_3)


def internal_links(html: str) -> list[str]:
    return [u for u in re.findall(r'<a [^>]*href="(/[^"]*)"', html)]


def forms(html: str) -> list[str]:
    return re.findall(r"<form .*?</form>", html, re.S)


async def audit_rows(settings: Settings, outcome: str) -> list[Any]:
    engine = create_engine(settings.database_url)
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                select(AuditEvent).where(
                    AuditEvent.action == "view_plan", AuditEvent.outcome == outcome
                )
            )
        ).all()
    await engine.dispose()
    return list(rows)


async def test_no_session_is_401(client: httpx.AsyncClient, settings: Settings) -> None:
    family = await make_family(settings)
    for path in ("plan", "plan/versions/1", "plan/compare?from=1&to=1"):
        response = await client.get(f"/families/{family.family_id}/{path}")
        assert response.status_code == 401, path
        assert "niet aangemeld" in response.text
    forged = await client.get(f"/families/{family.family_id}/plan?as=0123456789abcdef")
    assert forged.status_code == 401


async def test_another_family_is_not_found_like_an_unknown_id(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    ours = await make_family(settings, "Familie Een")
    theirs = await make_family(settings, "Familie Twee")
    session_id = await join(client, ours.links["Sanne Bakker"]["url"])
    unknown = await client.get(f"/families/{'f' * 32}/plan?as={session_id}")
    assert unknown.status_code == 404
    for path in ("plan", "plan/versions/1", "plan/compare?from=1&to=1"):
        sep = "&" if "?" in path else "?"
        response = await client.get(f"/families/{theirs.family_id}/{path}{sep}as={session_id}")
        assert response.status_code == 404, path
        assert response.text == unknown.text
        assert "Familie Twee" not in response.text
    assert len(await audit_rows(settings, "refused")) == 4
    very_long = await client.get(f"/families/{'x' * 300}/plan?as={session_id}")
    assert very_long.status_code == 404


async def test_current_plan_shows_everything_in_plain_dutch(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    await make_history(settings, family)
    session_id = await join(client, family.links["Sanne Bakker"]["url"])
    response = await client.get(f"/families/{family.family_id}/plan?as={session_id}")
    assert response.status_code == 200
    html = response.text
    for expected in (
        "Plan van Familie Test",
        "Plan 3, gemaakt op 3 februari 2027.",
        "Afgesloten door Lotte Smit.",
        "Zo willen we dat het wordt",
        "Over een jaar hebben we rust in huis",
        "Wat gaat goed",
        "Zorgen",
        "Daan gaat elke dag naar school.",
        "School",  # the life domain, from the common catalogue
        "Bedacht door Daan Bakker (gezin)",
        "School wil een vast gesprek per week.",
        "7 van de 10",
        "Cijfer: 4 → 6 → 7",
        '<title id="chart-title-1">Cijfer per plan: plan 1: 4, plan 2: 6, plan 3: 7.</title>',
        "Post sorteren met Joost",
        "Joost Verhoef",
        "15 december 2026",
        "Nog te doen",
        "Andere afspraken",
        "Oma Ria belt elke zondag",
        "Bij wie kun je terecht?",
        "Esther de Wit",
        "Afdrukken",
        "data-print",
        "Alle plannen",
        "16 december 2026",  # version 2 in the history list
    ):
        assert expected in html, expected
    # the carried action's evaluation was reset for the new meeting: last time's shows, marked
    # as last time's, never as this plan's own
    last = html.index("Hoe ging het (vorige keer)")
    assert html.index("De helft van de post is gesorteerd.") > last
    assert html.count("De helft van de post") == 1
    assert "Wekelijks gesprek op school" in html
    # the action that was done in version 1 is no longer in the plan
    assert "Daan samen wekker zetten" not in html
    # the chart uses presentation attributes only: the CSP forbids inline styles
    assert "style=" not in html and "<style" not in html
    rows = await audit_rows(settings, "ok")
    assert [r.access_point for r in rows] == [f"/families/{family.family_id}/plan"]


async def test_each_text_is_marked_with_the_language_it_was_written_in(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """So read aloud speaks an Arabic vision with an Arabic voice on any reader's page; a
    version from before texts kept their language, or an odd tag, reads as Dutch."""
    family = await make_family(settings)
    plan = await first_plan(settings, family.family_id)
    plan.pop("languages", None)  # as an older release stored it
    plan["vision"], plan["strengths"] = "أريد بيتا هادئا.", "Daan speelt voetbal."
    await add_version(settings, family.family_id, 2, plan, CLOSED_2)
    plan = {**plan, "languages": {"vision": "ar", "strengths": "nl; DROP", "minutes": "tr"}}
    plan["minutes"] = "Herkes geldi."
    await add_version(settings, family.family_id, 3, plan, CLOSED_3)
    session_id = await join(client, family.links["Sanne Bakker"]["url"])
    base = f"/families/{family.family_id}/plan"

    def lang_of(html: str, words: str) -> str:
        found = re.search(rf'<p class="plan-text"[^>]* lang="([^"]*)"[^>]*>{words}</p>', html)
        assert found, words
        return found[1]

    html = (await client.get(f"{base}?as={session_id}")).text
    assert lang_of(html, "أريد بيتا هادئا.") == "ar"
    assert lang_of(html, "Daan speelt voetbal.") == "nl"
    assert lang_of(html, "Herkes geldi.") == "tr"
    older = (await client.get(f"{base}/versions/2?as={session_id}")).text
    assert lang_of(older, "أريد بيتا هادئا.") == "nl"


async def test_every_link_and_form_keeps_the_session(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    await make_history(settings, family)
    session_id = await join(client, family.links["Mark Bakker"]["url"])
    base = f"/families/{family.family_id}/plan"
    for path in (base, f"{base}/versions/2", f"{base}/compare?from=1&to=3"):
        html = (await client.get(f"{path}{'&' if '?' in path else '?'}as={session_id}")).text
        links = internal_links(html)
        assert len(links) >= 4, path
        for url in links:
            assert f"as={session_id}" in url, (path, url)
        assert forms(html), path
        for form in forms(html):
            assert 'method="get"' in form
            assert f'<input type="hidden" name="as" value="{session_id}">' in form


async def test_typed_html_stays_text(client: httpx.AsyncClient, settings: Settings) -> None:
    family = await make_family(settings)
    await make_history(settings, family)
    session_id = await join(client, family.links["Sanne Bakker"]["url"])
    base = f"/families/{family.family_id}/plan"
    for path in (base, f"{base}/versions/2", f"{base}/compare?from=1&to=2"):
        html = (await client.get(f"{path}{'&' if '?' in path else '?'}as={session_id}")).text
        assert XSS not in html, path
        assert "&lt;img src=x onerror=alert(1)&gt;" in html, path


async def test_older_version_says_so_and_links_to_the_newest(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    await make_history(settings, family)
    session_id = await join(client, family.links["Sanne Bakker"]["url"])
    base = f"/families/{family.family_id}/plan"
    response = await client.get(f"{base}/versions/2?as={session_id}")
    assert response.status_code == 200
    html = response.text
    assert "dit is een oud plan (plan 2)" in html
    assert f'href="{base}?as={session_id}">Naar het nieuwste plan' in html
    assert "De helft van de post is gesorteerd." in html  # the evaluation of version 2
    assert "Deels gedaan" in html
    assert "Cijfer: 4 → 6" in html and "Cijfer: 4 → 6 → 7" not in html
    assert "De veiligheid van Daan gaat voor." in html
    assert "Als het thuis rustig blijft" in html
    assert "Iedereen was er." in html
    assert "Volgende rondetafel: 3 februari 2027" in html
    assert 'aria-current="page"' in html
    latest = await client.get(f"{base}/versions/3?as={session_id}")
    assert latest.status_code == 200 and "oud plan" not in latest.text
    for missing in ("4", "0", "abc", "-1", "99999999999999999999"):
        gone = await client.get(f"{base}/versions/{missing}?as={session_id}")
        assert gone.status_code == 404, missing


async def test_compare_puts_the_diff_into_words(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    await make_history(settings, family)
    session_id = await join(client, family.links["Sanne Bakker"]["url"])
    url = f"/families/{family.family_id}/plan/compare"
    response = await client.get(f"{url}?from=1&to=2&as={session_id}")
    assert response.status_code == 200
    html = response.text
    for expected in (
        "Wat is er veranderd?",
        "Van plan 1 (",
        "naar plan 2 (16 december 2026).",
        "Cijfers",
        "van 4 naar 6",
        "hoger",
        "Nieuwe doelen",
        "Wonen",
        "Nieuwe afspraken",
        "Oma Ria belt elke zondag",
        "Afspraken die klaar zijn",
        "Daan samen wekker zetten",
        "Afspraken die anders zijn",
        "Hoe staat het",
        "Eerst:",
        "Deels gedaan",
    ):
        assert expected in html, expected
    # the other way round reads the same: always from the older to the newer plan
    swapped = await client.get(f"{url}?from=2&to=1&as={session_id}")
    assert swapped.status_code == 200 and "van 4 naar 6" in swapped.text
    same = await client.get(f"{url}?from=2&to=2&as={session_id}")
    assert "hetzelfde plan" in same.text
    quiet = await client.get(f"{url}?from=2&to=3&as={session_id}")
    assert "van 6 naar 7" in quiet.text
    bad = await client.get(f"{url}?from=x&to=2&as={session_id}")
    assert bad.status_code == 400 and "Kies hieronder twee plannen" in bad.text
    unknown = await client.get(f"{url}?from=1&to=9&as={session_id}")
    assert unknown.status_code == 404
    default = await client.get(f"{url}?as={session_id}")
    assert default.status_code == 200 and "naar plan 3" in default.text


async def test_nothing_changed_says_so(client: httpx.AsyncClient, settings: Settings) -> None:
    family = await make_family(settings)
    v1 = await first_plan(settings, family.family_id)
    await add_version(settings, family.family_id, 2, v1, CLOSED_2)
    session_id = await join(client, family.links["Sanne Bakker"]["url"])
    html = (
        await client.get(f"/families/{family.family_id}/plan/compare?from=1&to=2&as={session_id}")
    ).text
    assert "Er is niets veranderd" in html


async def test_only_one_version_has_no_compare_form(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    session_id = await join(client, family.links["Oma Ria"]["url"])
    html = (await client.get(f"/families/{family.family_id}/plan?as={session_id}")).text
    assert "Er is nog maar één plan." in html
    assert "<form" not in html
    assert "Cijfer: 4" in html


async def family_without_plan(settings: Settings) -> DemoFamily:
    """A family whose first round table has not closed yet, with one invite link."""
    engine = create_engine(settings.database_url)
    try:
        async with sessionmaker(engine).begin() as db:
            family = FamilyRow(name="Familie Nieuw")
            db.add(family)
            await db.flush()
            person = Person(family_id=family.id, name="Ayla Nieuw", role="family")
            db.add(person)
            meeting = await plans.start_meeting(db, family, "Eerste overleg")
            token = await create_invite(
                db, settings.secret_key, meeting, person, "family", timedelta(hours=1)
            )
            url = f"{settings.base_url}/join/{token}"
            return DemoFamily(family.id, meeting.id, {"Ayla Nieuw": {"role": "family", "url": url}})
    finally:
        await engine.dispose()


async def test_a_family_without_a_plan_gets_a_friendly_page(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await family_without_plan(settings)
    family_id = family.family_id
    session_id = await join(client, family.links["Ayla Nieuw"]["url"])
    for path in ("plan", "plan/compare"):
        response = await client.get(f"/families/{family_id}/{path}?as={session_id}")
        assert response.status_code == 200, path
        assert "Er is nog geen plan" in response.text
    meeting_link = re.search(r'href="(/meetings/[^"]+)"', response.text)
    assert meeting_link and f"as={session_id}" in meeting_link.group(1)
    missing = await client.get(f"/families/{family_id}/plan/versions/1?as={session_id}")
    assert missing.status_code == 404


async def test_odd_plan_content_still_renders(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """Live clients can write anything into the document; the page shows what it can."""
    family = await make_family(settings)
    plan = await first_plan(settings, family.family_id)
    plan["goals"] = [
        {"id": "g1", "text": "Naar de maan", "domain": "maan", "score": 99},
        {"id": "g2", "text": "Geen cijfer", "score": "7"},
        {"id": "g3", "text": "Geen getal", "score": float("nan")},
        "not a goal",
    ]
    plan["actions"] = [
        {
            "id": "a1",
            "goal_id": "g1",
            "text": "Raket bouwen",
            "owner_id": "nobody",
            "due": "volgende week",
            "status": "weird",
            "carried_from": True,
        },
    ]
    plan["contacts"] = ["not", "a", "mapping"]
    plan["people"] = None
    plan["next_meeting"] = "2027-03-01T14:00"
    await add_version(settings, family.family_id, 2, plan, CLOSED_2, odd=True)
    session_id = await join(client, family.links["Sanne Bakker"]["url"])
    base = f"/families/{family.family_id}/plan"
    response = await client.get(f"{base}?as={session_id}")
    assert response.status_code == 200
    html = response.text
    for expected in (
        "Naar de maan",
        "maan",  # an unknown life domain is shown as typed
        "10 van de 10",
        "Nog geen cijfer",
        "volgende week",
        "Onbekend",
        "Nog te doen",
        "Volgende rondetafel: 1 maart 2027 om 14:00 uur",
    ):
        assert expected in html, expected
    compared = await client.get(f"{base}/compare?from=1&to=2&as={session_id}")
    assert compared.status_code == 200
    for odd in ("²", "٣", "1.0", " "):
        assert (await client.get(f"{base}/versions/{odd}?as={session_id}")).status_code == 404


def test_long_dates() -> None:
    from datetime import date

    from server.messages import long_date

    assert long_date(date(2026, 11, 25)) == "25 november 2026"
    assert long_date("2026-01-05") == "5 januari 2026"
    # stored in UTC, shown in Dutch time: late in the evening is the next day already
    assert long_date(datetime(2026, 11, 25, 23, 30, tzinfo=UTC)) == "26 november 2026"
    assert long_date(datetime(2026, 7, 1, 12, 0)) == "1 juli 2026"  # naive = UTC (SQLite)
    assert long_date("na de zomer") == "na de zomer"
    assert long_date(None) == ""
