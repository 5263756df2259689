"""The family's own copy: the plan as a PDF. A family member downloads her family's plan (any
version) and reads it back: every goal, action, decision and name, Dutch diacritics and a
Turkish name intact, typed HTML as text; a member of another family gets the same 404 as an
unknown id, nobody signed in 401; every download is audited and shown to the family."""

from __future__ import annotations

import io
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

from server.pages.pdf_layout import plan_pdf
from server.settings import Settings
from tests.conftest import join, make_family
from tests.pages.test_plan import CLOSED_2, XSS, add_version, first_plan, make_history


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def outline(items: list) -> list[str]:  # type: ignore[type-arg]
    """The bookmarks' titles, depth first."""
    return [
        t for item in items for t in (outline(item) if isinstance(item, list) else [item.title])
    ]


async def test_a_family_member_downloads_her_familys_plan(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    family = await make_family(settings)
    await make_history(settings, family)
    sanne = await join(client, family.links["Sanne Bakker"]["url"])
    response = await client.get(f"/families/{family.family_id}/plan/pdf?as={sanne}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="gezinsplan-3.pdf"'
    assert "no-store" in response.headers["cache-control"]
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata is not None and reader.metadata.title == "Plan van Familie Test"
    assert outline(reader.outline)[:3] == [
        "Plan van Familie Test",
        "Zo willen we dat het wordt",
        "Wat gaat goed",
    ]
    text = " ".join(text_of(response.content).split())
    for expected in (
        "Plan 3, gemaakt op 3 februari 2027.",
        "Daan gaat elke dag naar school",
        "7 van de 10",
        XSS,  # typed HTML, as text
        "Oma Ria belt elke zondag",
    ):
        assert expected in text, expected
    second = await client.get(f"/families/{family.family_id}/plan/pdf?version=2&as={sanne}")
    text = " ".join(text_of(second.content).split())
    for expected in (
        "De veiligheid van Daan gaat voor.",
        "Iedereen was er.",
        "Volgende rondetafel: 3 februari 2027",
    ):
        assert expected in text, expected
    old = await client.get(f"/families/{family.family_id}/plan/pdf?version=1&as={sanne}")
    assert "Plan 1, gemaakt op" in text_of(old.content)
    missing = await client.get(f"/families/{family.family_id}/plan/pdf?version=9&as={sanne}")
    assert missing.status_code == 404
    seen = await client.get(f"/families/{family.family_id}/plan/seen?as={sanne}")
    assert "heeft het plan gedownload als pdf." in seen.text
    with sqlite3.connect(settings.sqlite_path()) as db:
        rows = db.execute(
            "select count(*) from audit_log where action='download_plan' and outcome='ok'"
        ).fetchone()
    assert rows == (4,)


async def test_another_family_gets_no_copy(client: httpx.AsyncClient, settings: Settings) -> None:
    ours = await make_family(settings, "Familie Een")
    theirs = await make_family(settings, "Familie Twee")
    outsider = await join(client, theirs.links["Sanne Bakker"]["url"])
    for family_id in (ours.family_id, "0" * 32):
        response = await client.get(f"/families/{family_id}/plan/pdf?as={outsider}")
        assert response.status_code == 404 and b"%PDF" not in response.content
    async with httpx.AsyncClient(transport=client._transport, base_url=client.base_url) as nobody:
        assert (await nobody.get(f"/families/{ours.family_id}/plan/pdf")).status_code == 401
    with sqlite3.connect(settings.sqlite_path()) as db:
        refused = db.execute(
            "select family_id from audit_log where action='download_plan' and outcome='refused'"
        ).fetchall()
    assert (ours.family_id,) in refused


async def test_names_from_everywhere_and_without_the_font(settings: Settings) -> None:
    family = await make_family(settings)
    plan = await first_plan(settings, family.family_id)
    plan["vision"] = "Şükrü en Zoë wonen samen; Łukasz helpt. Coördinator: ‘€ 20’ — 😀"
    await add_version(settings, family.family_id, 2, plan, CLOSED_2)
    shown = {
        "version": {"number": 2, "date": "16 december 2026", "closed_by": "Lotte Smit"},
        "plan": {k: plan.get(k, "") for k in ("vision", "strengths", "concerns", "minutes")}
        | {"next_meeting": ""},
        "goals": [],
        "other_actions": [],
        "contacts": [],
        "decisions": [],
    }
    fonts = Path(settings.pdf_font_dir)
    assert (fonts / "DejaVuSans.ttf").is_file(), "make test installs fonts-dejavu-core"
    made = datetime(2026, 12, 2, 13, 5, tzinfo=UTC).isoformat()
    full = text_of(plan_pdf("Familie Yılmaz", shown, made, fonts))
    assert "Şükrü en Zoë wonen samen; Łukasz helpt." in full and "Familie Yılmaz" in full
    bare = text_of(plan_pdf("Familie Yılmaz", shown, made, Path("/nonexistent")))
    assert "Zoë" in bare and "?ükrü" in bare  # Latin-1 only, but never a failure


def test_words_written_in_arabic_are_shaped_in_a_dutch_readers_copy(settings: Settings) -> None:
    """The vision's language says it runs right to left: its letters are joined and ordered
    as written (read back in logical order), not set left to right one by one."""
    vision = "نريد أن يذهب دان إلى المدرسة كل يوم"
    shown = {
        "version": {"number": 2, "date": "16 december 2026", "closed_by": "Lotte Smit"},
        "plan": {"vision": vision + ".", "strengths": "Daan speelt voetbal."}
        | {"concerns": "", "minutes": "", "next_meeting": ""},
        "goals": [],
        "other_actions": [],
        "contacts": [],
        "decisions": [],
    }
    fonts = Path(settings.pdf_font_dir)
    unmarked = text_of(plan_pdf("Familie Bakker", shown, "nu", fonts))
    assert vision not in unmarked  # (what a text without its language looked like)
    shaped = text_of(
        plan_pdf("Familie Bakker", shown | {"languages": {"vision": "ar"}}, "nu", fonts)
    )
    assert vision in shaped
    assert "Daan speelt voetbal." in shaped and "Familie Bakker · plan 2 · 1/1" in shaped


@pytest.mark.parametrize("role", ["Esther de Wit", "Lotte Smit", "Oma Ria"])
async def test_everyone_who_reads_the_plan_may_keep_a_copy(
    client: httpx.AsyncClient, settings: Settings, role: str
) -> None:
    family = await make_family(settings)
    session = await join(client, family.links[role]["url"])
    response = await client.get(f"/families/{family.family_id}/plan/pdf?as={session}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_font_setting_has_a_default() -> None:
    assert replace(Settings(), pdf_font_dir="/x").pdf_font_dir == "/x"
    assert Settings().pdf_font_dir.endswith("dejavu")


async def test_a_goal_not_scored_this_time_reads_as_on_the_plan_page(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    """A goal left without a score at this meeting says last time's, as the plan page does."""
    family = await make_family(settings)
    plan = await first_plan(settings, family.family_id)
    school = next(g for g in plan["goals"] if g["id"] == "doel-school")
    school["score"], school["last_score"] = None, 4
    await add_version(settings, family.family_id, 2, plan, CLOSED_2)
    sanne = await join(client, family.links["Sanne Bakker"]["url"])
    said = "Deze keer geen nieuw cijfer. Vorige keer: 4 van de 10."
    page = await client.get(f"/families/{family.family_id}/plan?as={sanne}")
    assert said in page.text
    pdf = await client.get(f"/families/{family.family_id}/plan/pdf?as={sanne}")
    text = " ".join(text_of(pdf.content).split())
    assert said in text
    assert "Nog geen cijfer" not in text
