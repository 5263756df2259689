"""What a coordinator does to a family's file, each step checked, stored and audited: the one
place the pages (``server/pages/file.py``, ``people.py``) and the JSON API
(``server/api/families.py``) both call, so both keep the same rules.

Every function gets the request (for the audit row's access point) and the principal the
guard found: the caller has already checked that it is the family's coordinator. A refusal
raised inside (bad input, a person of another family, a closed file, a second live meeting)
is audited with its code and raised on; nothing is stored then. Sockets are closed and the
running meeting is told only after the commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from . import families, field_checks, people, plans
from .access import guard
from .access.sessions import Principal, Visitor, create_invite
from .errors import BadInput, FileError, NotFound, WrongRole
from .messages import language_query
from .privacy.audit import Action, Actor, Outcome
from .services import services
from .storage.models import Family, Meeting, MeetingStatus, Person, User, utcnow


async def own_open_family(db: AsyncSession, principal: Principal) -> Family:
    """The principal's family, for a change: gone (erased) is 404, closed is refused."""
    family = await db.get(Family, principal.family_id)
    if family is None:
        raise NotFound("family gone")
    families.require_open(family)
    return family


async def create_family(conn: HTTPConnection, visitor: Visitor, data: Mapping[str, object]) -> str:
    """A coordinator account starts a new family's file and becomes its coordinator."""
    state = services(conn)
    actor = guard.actor_of(visitor)
    if visitor.role != "coordinator" or visitor.user_id is None:
        await guard.audited_as(
            conn, actor, Action.CREATE_FAMILY, Outcome.REFUSED, "not a coordinator"
        )
        raise WrongRole("only a coordinator account creates a family")
    try:
        async with state.sessions.begin() as db:
            user = await db.get(User, visitor.user_id)
            assert user is not None  # the visitor's session is valid, so is its account
            family = await families.create(db, data.get("name"), data.get("note"), user)
    except BadInput as exc:
        await guard.audited_as(conn, actor, Action.CREATE_FAMILY, Outcome.REFUSED, exc.code)
        raise
    await guard.audited_as(conn, actor, Action.CREATE_FAMILY, Outcome.OK, "", family.id)
    return family.id


async def change_family(
    conn: HTTPConnection, principal: Principal, data: Mapping[str, object]
) -> list[str]:
    state = services(conn)
    async with (
        guard.refusals_audited(conn, principal, Action.CHANGE_FAMILY),
        state.sessions.begin() as db,
    ):
        family = await own_open_family(db, principal)
        changed = families.rename(
            family, data.get("name", family.name), data.get("note", family.note)
        )
    await guard.audited(conn, principal, Action.CHANGE_FAMILY, Outcome.OK, _fields(changed))
    return changed


async def add_person(
    conn: HTTPConnection, principal: Principal, data: Mapping[str, object]
) -> Person:
    state = services(conn)
    async with guard.refusals_audited(conn, principal, Action.ADD_PERSON):
        values = people.checked(data, data.get("role"))
        async with state.sessions.begin() as db:
            family = await own_open_family(db, principal)
            person = await people.add(db, family, values)
            meeting = await people.live_meeting(db, family.id)
    await people.tell_meeting(state, meeting.id if meeting else None, person.id, person)
    detail = f"person {person.id}; role {person.role}"
    await guard.audited(conn, principal, Action.ADD_PERSON, Outcome.OK, detail)
    return person


async def change_person(
    conn: HTTPConnection, principal: Principal, person_id: str, data: Mapping[str, object]
) -> Person:
    state = services(conn)
    subject = f"person {person_id[:64]}"
    async with (
        guard.refusals_audited(conn, principal, Action.CHANGE_PERSON, subject),
        state.sessions.begin() as db,
    ):
        person = await people.find(db, principal.family_id, person_id)
        current = {key: getattr(person, key) for key in ("name", *people.EMPTY)}
        values = people.checked({**current, **data}, person.role)
        await own_open_family(db, principal)
        changed = people.change(person, values)
        meeting = await people.live_meeting(db, principal.family_id)
    await people.tell_meeting(state, meeting.id if meeting else None, person.id, person)
    detail = f"{subject}; {_fields(changed)}"
    await guard.audited(conn, principal, Action.CHANGE_PERSON, Outcome.OK, detail)
    return person


async def remove_person(conn: HTTPConnection, principal: Principal, person_id: str) -> int:
    """Take a person out of the file; returns how many of their sockets were closed."""
    state = services(conn)
    subject = f"person {person_id[:64]}"
    async with (
        guard.refusals_audited(conn, principal, Action.REMOVE_PERSON, subject),
        state.sessions.begin() as db,
    ):
        person = await people.find(db, principal.family_id, person_id)
        await own_open_family(db, principal)
        revoked = await people.remove(db, person, principal.person_id)
        meeting = await people.live_meeting(db, principal.family_id)
    closed = await people.after_removal(state, meeting.id if meeting else None, person.id, revoked)
    detail = f"{subject}; sessions {len(revoked)}; sockets {closed}"
    await guard.audited(conn, principal, Action.REMOVE_PERSON, Outcome.OK, detail)
    return closed


async def hand_over(conn: HTTPConnection, principal: Principal, username: object) -> Person:
    """Give the family to another coordinator account: audited as given by the old and as
    received by the new coordinator. The old one's sockets at the family close at once."""
    state = services(conn)
    async with (
        guard.refusals_audited(conn, principal, Action.HAND_OVER_FAMILY),
        state.sessions.begin() as db,
    ):
        family = await own_open_family(db, principal)
        old = await people.find(db, family.id, principal.person_id or "")
        new, revoked = await families.hand_over(db, family, old, username)
        meeting = await people.live_meeting(db, family.id)
    meeting_id = meeting.id if meeting else None
    await people.tell_meeting(state, meeting_id, new.id, new)
    closed = await people.after_removal(state, meeting_id, old.id, revoked)
    detail = f"to person {new.id}; user {new.user_id}; sockets {closed}"
    await guard.audited(conn, principal, Action.HAND_OVER_FAMILY, Outcome.OK, detail)
    received = Actor(new.id, new.role, family.id, on_behalf_of=old.id)
    await guard.audited_as(
        conn, received, Action.RECEIVE_FAMILY, Outcome.OK, f"from person {old.id}"
    )
    return new


async def close_family(conn: HTTPConnection, principal: Principal) -> None:
    state = services(conn)
    async with (
        guard.refusals_audited(conn, principal, Action.CLOSE_FAMILY),
        state.sessions.begin() as db,
    ):
        family = await db.get(Family, principal.family_id)
        if family is None:
            raise NotFound("family gone")
        await families.close(db, family)
    await guard.audited(conn, principal, Action.CLOSE_FAMILY, Outcome.OK)


async def plan_meeting(
    conn: HTTPConnection, principal: Principal, data: Mapping[str, object]
) -> Meeting:
    """Plan the next round table: a title, when (optional) and where (a place, or online)."""
    state = services(conn)
    async with guard.refusals_audited(conn, principal, Action.PLAN_MEETING):
        title = field_checks.line(data.get("title"), "title")
        place = field_checks.line(data.get("place"), "place")
        starts_at = field_checks.starts_at(data.get("starts_at"))
        async with state.sessions.begin() as db:
            family = await own_open_family(db, principal)
            meeting = await plans.plan_meeting(db, family, title, starts_at, place)
    await guard.audited(conn, principal, Action.PLAN_MEETING, Outcome.OK, f"meeting {meeting.id}")
    return meeting


async def start_meeting(
    conn: HTTPConnection, principal: Principal, meeting_id: str | None = None, title: str = ""
) -> Meeting:
    """Start a planned meeting (``meeting_id``), or a new one now; one live at a time."""
    state = services(conn)
    subject = f"meeting {meeting_id[:64]}" if meeting_id else ""
    async with (
        guard.refusals_audited(conn, principal, Action.START_MEETING, subject),
        state.sessions.begin() as db,
    ):
        family = await own_open_family(db, principal)
        planned = await db.get(Meeting, meeting_id) if meeting_id else None
        if meeting_id and (planned is None or planned.family_id != family.id):
            raise NotFound("no such meeting in this family")
        meeting = await plans.start_meeting(db, family, title, planned)
    await guard.audited(conn, principal, Action.START_MEETING, Outcome.OK, f"meeting {meeting.id}")
    return meeting


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    expires_at: datetime


async def make_link(conn: HTTPConnection, principal: Principal, person_id: str) -> Link:
    """A personal link to the live meeting for one person of the family (shown once)."""
    state = services(conn)
    subject = f"person {person_id[:64]}"
    ttl = timedelta(hours=state.settings.invite_ttl_hours)
    async with (
        guard.refusals_audited(conn, principal, Action.CREATE_INVITE, subject),
        state.sessions.begin() as db,
    ):
        person = await people.find(db, principal.family_id, person_id)
        await own_open_family(db, principal)
        meeting = await people.live_meeting(db, principal.family_id)
        if meeting is None or meeting.status != MeetingStatus.LIVE:
            raise FileError("no_live_meeting")
        token = await create_invite(
            db, state.settings.secret_key, meeting, person, person.role, ttl
        )
    detail = f"meeting {meeting.id}; for {person.id}"
    await guard.audited(conn, principal, Action.CREATE_INVITE, Outcome.OK, detail)
    return Link(
        f"{state.settings.base_url}/join/{token}{language_query(person.language)}", utcnow() + ttl
    )


def _fields(changed: list[str]) -> str:
    """Which fields changed, by name (never their values: the audit row holds no names)."""
    return "fields " + (",".join(changed) if changed else "none")
