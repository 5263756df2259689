"""``rondetafel demo``: the demo family, with an earlier plan version and a live meeting, an
invite link per person and (demo mode only) staff accounts for the coordinator and the
professionals.

Running it again reuses the demo family and its live meeting and prints fresh links (invite
tokens are stored hashed, so old links cannot be printed again) and a fresh demo password
(likewise stored only as an argon2 hash). The accounts of the demo family are named after
the person (``lotte``); those of other families get the family id's start appended, so each
test family has accounts of its own."""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
from datetime import timedelta
from typing import Any

from pycrdt import Doc
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .. import plans
from ..access import accounts
from ..access.sessions import create_invite
from ..crdt import schema
from ..join_codes import new_join_code
from ..settings import Settings
from ..storage.db import create_engine, migrate, sessionmaker
from ..storage.models import Family, Meeting, MeetingStatus, Person, PlanVersion, User, utcnow

DEMO_FAMILY = "Familie Bakker (demo)"


def add_to(commands: Any) -> None:
    demo = commands.add_parser("demo", help="create a demo family and print invite links")
    demo.add_argument("--json", action="store_true", help="print JSON")
    demo.set_defaults(handle=handle)


def handle(args: argparse.Namespace) -> int:
    settings = Settings.from_env(demo=True)
    migrate(settings.database_url)
    result = asyncio.run(create_demo(settings))
    if args.json:
        keys = ("family_id", "meeting_id", "links", "accounts", "password")
        print(json.dumps({k: result[k] for k in keys}))
        return 0
    print(f"Demo-gezin klaar. Deelnamecode: {result['join_code']}")
    for name, link in result["links"].items():
        print(f"  {name:<20} {link['role']:<13} {link['url']}")
    print("\nAccounts (alleen in de demo; het wachtwoord is nieuw bij elke start):")
    for name, username in result["accounts"].items():
        print(f"  {name:<20} gebruikersnaam {username}")
    print(
        f"  wachtwoord: {result['password']}\n\n"
        f"Meld je aan als regisseur: {settings.base_url}/login "
        f"(gebruikersnaam {result['accounts'].get('Lotte Smit', '?')})\n",
        flush=True,
    )
    return 0


PEOPLE = [  # name, role, relation, organisation, offers
    ("Sanne Bakker", "family", "moeder", "", ""),
    ("Mark Bakker", "family", "vader", "", ""),
    ("Daan Bakker", "family", "zoon, 14 jaar", "", ""),
    ("Oma Ria", "network", "oma van Daan", "", "Kan op woensdag koken en oppassen."),
    ("Fatima El Amrani", "network", "buurvrouw", "", "Kan Daan naar voetbal brengen."),
    ("Esther de Wit", "professional", "schoolmaatschappelijk werker", "Het Baken College", ""),
    ("Joost Verhoef", "professional", "schuldhulpverlener", "Schuldhulp Gemeente", ""),
    ("Lotte Smit", "coordinator", "regisseur", "Wijkteam Noord", ""),
]


def _first_plan(ids: dict[str, str]) -> dict[str, Any]:
    plan = schema.empty_plan("Eerste rondetafeloverleg")
    plan["vision"] = "Over een jaar hebben we rust in huis en gaat Daan elke dag naar school."
    plan["strengths"] = "We praten weer met elkaar. Oma Ria helpt veel."
    plan["concerns"] = "Er zijn schulden. Daan is vaak niet op school."
    plan["goals"] = [
        {
            "id": "doel-school",
            "text": "Daan gaat elke dag naar school.",
            "domain": "onderwijs",
            "author_id": ids["Daan Bakker"],
            "author_role": "family",
            "score": 4,
            "professional_view": "School wil een vast gesprek per week.",
        },
        {
            "id": "doel-geld",
            "text": "We hebben overzicht over ons geld.",
            "domain": "financien",
            "author_id": ids["Sanne Bakker"],
            "author_role": "family",
            "score": 3,
            "professional_view": "Eerst alle post en rekeningen op een rij.",
        },
    ]
    plan["actions"] = [
        {
            "id": "actie-wekker",
            "goal_id": "doel-school",
            "text": "Daan samen wekker zetten",
            "owner_id": ids["Oma Ria"],
            "due": None,
            "status": "done",
            "evaluation": "",
            "carried_from": None,
        },
        {
            "id": "actie-post",
            "goal_id": "doel-geld",
            "text": "Post sorteren met Joost",
            "owner_id": ids["Joost Verhoef"],
            "due": "2026-12-15",
            "status": "open",
            "evaluation": "",
            "carried_from": None,
        },
        {
            "id": "actie-gesprek",
            "goal_id": "doel-school",
            "text": "Wekelijks gesprek op school",
            "owner_id": ids["Esther de Wit"],
            "due": "2026-12-01",
            "status": "open",
            "evaluation": "",
            "carried_from": None,
        },
    ]
    plan["contacts"] = {"onderwijs": ids["Esther de Wit"], "financien": ids["Joost Verhoef"]}
    plan["people"] = {}
    return plan


async def _create_family(db: AsyncSession, name: str) -> Family:
    family = Family(name=name)
    db.add(family)
    await db.flush()
    people = [
        Person(family_id=family.id, name=n, role=r, relation=rel, organisation=org, offers=off)
        for n, r, rel, org, off in PEOPLE
    ]
    db.add_all(people)
    await db.flush()
    ids = {p.name: p.id for p in people}
    plan = _first_plan(ids)
    plan["people"] = await plans.people_of(db, family.id)
    first = Meeting(
        family_id=family.id,
        title=plan["title"],
        status=MeetingStatus.CLOSED,
        join_code=new_join_code(),
        started_at=utcnow(),
        closed_at=utcnow(),
        closed_by=ids["Lotte Smit"],
    )
    db.add(first)
    await db.flush()
    doc: Doc = Doc()
    schema.seed(doc, plan, status=schema.DocStatus.CLOSED)
    db.add(
        PlanVersion(
            family_id=family.id,
            number=1,
            meeting_id=first.id,
            closed_by=ids["Lotte Smit"],
            plan=plan,
            snapshot=doc.get_update(),
        )
    )
    await db.flush()
    return family


async def create_demo(settings: Settings, family_name: str = DEMO_FAMILY) -> dict[str, Any]:
    """Create (or reuse) the demo family; return ids and a fresh invite link per person."""
    engine = create_engine(settings.database_url)
    try:
        async with sessionmaker(engine).begin() as db:
            family = await db.scalar(select(Family).where(Family.name == family_name))
            if family is None:
                family = await _create_family(db, family_name)
            meeting = await db.scalar(
                select(Meeting).where(
                    Meeting.family_id == family.id, Meeting.status == MeetingStatus.LIVE
                )
            )
            if meeting is None:
                meeting = await plans.start_meeting(db, family, "Rondetafeloverleg december")
            links = await _links(db, settings, family, meeting)
            password = secrets.token_urlsafe(9) if settings.demo else ""
            logins = await _accounts(db, family, password) if password else {}
    finally:
        await engine.dispose()
    return {
        "family_id": family.id,
        "meeting_id": meeting.id,
        "join_code": meeting.join_code,
        "links": links,
        "accounts": logins,
        "password": password,
    }


async def _accounts(db: AsyncSession, family: Family, password: str) -> dict[str, str]:
    """A staff account per coordinator and professional of the family, linked to the person,
    all with this (fresh) password. Returns person name → username."""
    password_hash = accounts.hash_password(password)  # once: argon2 is slow on purpose
    staff = await db.scalars(
        select(Person)
        .where(Person.family_id == family.id, Person.role.in_(("coordinator", "professional")))
        .order_by(Person.created_at)
    )
    logins = {}
    for person in staff:
        first = person.name.split()[0].lower()
        username = first if family.name == DEMO_FAMILY else f"{first}-{family.id[:8]}"
        user = await db.scalar(select(User).where(User.username == username))
        if user is None:
            user = await accounts.create_user(db, username, person.name, person.role, password_hash)
        else:
            user.password_hash = password_hash
        person.user_id = user.id
        logins[person.name] = username
    return logins


async def _links(
    db: AsyncSession, settings: Settings, family: Family, meeting: Meeting
) -> dict[str, dict[str, str]]:
    ttl = timedelta(hours=settings.invite_ttl_hours)
    people = (
        await db.scalars(
            select(Person).where(Person.family_id == family.id).order_by(Person.created_at)
        )
    ).all()
    links = {}
    for person in [*people, None]:
        role = person.role if person else "screen"
        token = await create_invite(db, settings.secret_key, meeting, person, role, ttl)
        name = person.name if person else "Gedeeld scherm"
        links[name] = {"role": role, "url": f"{settings.base_url}/join/{token}"}
    return links
