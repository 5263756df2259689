"""The people of a family's file: adding, changing and removing them, and telling a running
meeting (its document's ``people`` map, which only the server writes).

What each role has (the words of ``DOMAIN.md``): family members a relation and, for children,
a birth year; the network a relation and what they offer; professionals (and the coordinator)
an organisation, a function (stored as ``relation``: it is how they relate to the family), a
phone number and an e-mail address. Fields that do not belong to the role are stored empty.

Removing keeps the row (``removed_at``): earlier plan versions hold the name as they were
written, and the log resolves the id to the name. A removed person takes part in nothing: their
sessions are revoked and their unused links withdrawn in the same transaction, and the caller
closes their open sockets right after the commit (``after_removal``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from . import field_checks
from .crdt import schema
from .crdt.schema import Role
from .errors import BadInput, FileError, NotFound
from .services import Services
from .storage.models import Family, Invite, Meeting, MeetingStatus, Person, Session, utcnow

ROLES = (Role.FAMILY, Role.NETWORK, Role.PROFESSIONAL, Role.COORDINATOR)  # the page's order
STAFF_FIELDS = ("relation", "organisation", "phone", "email")
FIELDS_OF: dict[str, tuple[str, ...]] = {
    Role.FAMILY: ("relation", "birth_year", "language"),
    Role.NETWORK: ("relation", "offers", "language"),
    Role.PROFESSIONAL: (*STAFF_FIELDS, "language"),
    Role.COORDINATOR: (*STAFF_FIELDS, "language"),
}
EMPTY: dict[str, Any] = {
    "relation": "",
    "organisation": "",
    "offers": "",
    "birth_year": None,
    "phone": "",
    "email": "",
    "language": "",
}


def checked(data: Mapping[str, object], role: object) -> dict[str, Any]:
    """The fields of a person as they will be stored, for ``role``; raises ``BadInput``."""
    if role not in ROLES:
        raise BadInput("role_invalid")
    wanted = FIELDS_OF[str(role)]
    checks: dict[str, Callable[[object], object]] = {
        "relation": lambda v: field_checks.line(v, "relation"),
        "organisation": lambda v: field_checks.line(v, "organisation"),
        "offers": lambda v: field_checks.text(v, "offers"),
        "birth_year": field_checks.birth_year,
        "phone": field_checks.phone,
        "email": field_checks.email,
        "language": field_checks.language,
    }
    values: dict[str, Any] = {"name": field_checks.name(data.get("name")), "role": str(role)}
    for key, empty in EMPTY.items():
        values[key] = checks[key](data.get(key)) if key in wanted else empty
    return values


async def of_family(db: AsyncSession, family_id: str) -> list[Person]:
    """The family's people (not the removed), oldest first."""
    found = await db.scalars(
        select(Person)
        .where(Person.family_id == family_id, Person.removed_at.is_(None))
        .order_by(Person.created_at)
    )
    return list(found)


async def find(db: AsyncSession, family_id: str, person_id: str) -> Person:
    """A person of this family; another family's, a removed one or an unknown id: 404."""
    person = await db.get(Person, person_id) if person_id else None
    if person is None or person.family_id != family_id or person.removed_at is not None:
        raise NotFound("no such person in this family")
    return person


async def add(db: AsyncSession, family: Family, values: Mapping[str, Any]) -> Person:
    person = Person(family_id=family.id, **values)
    db.add(person)
    await db.flush()
    return person


def change(person: Person, values: Mapping[str, Any]) -> list[str]:
    """Apply ``values`` (a person's role stays: a parent does not become a professional);
    returns the names of the fields that changed (for the audit row: names, not values)."""
    changed = []
    for key, value in values.items():
        if key != "role" and getattr(person, key) != value:
            setattr(person, key, value)
            changed.append(key)
    return changed


async def remove(db: AsyncSession, person: Person, by_person_id: str | None) -> list[str]:
    """Take a person out of the family's file; returns the ids of the sessions revoked."""
    if person.id == by_person_id:
        raise FileError("remove_yourself")
    now = utcnow()
    person.removed_at = now
    revoked = list(
        await db.scalars(
            select(Session.id).where(Session.person_id == person.id, Session.revoked_at.is_(None))
        )
    )
    await db.execute(
        update(Session)
        .where(Session.id.in_(revoked))
        .values(admission="removed", revoked_at=now, decided_at=now)
    )
    await db.execute(
        update(Invite)
        .where(Invite.person_id == person.id, Invite.used_at.is_(None), Invite.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return revoked


async def live_meeting(db: AsyncSession, family_id: str) -> Meeting | None:
    found: Meeting | None = await db.scalar(
        select(Meeting).where(Meeting.family_id == family_id, Meeting.status == MeetingStatus.LIVE)
    )
    return found


async def after_removal(
    state: Services, meeting_id: str | None, person_id: str, revoked: list[str]
) -> int:
    """After the commit: close every socket of the removed person (their sessions', and a
    staff member's, whose session spans families) and drop them from the running meeting."""
    closed = await state.connections.revoke(revoked)
    if meeting_id is not None:
        closed += await state.connections.remove_person(meeting_id, person_id)
        await tell_meeting(state, meeting_id, person_id, None)
    return closed


async def tell_meeting(
    state: Services, meeting_id: str | None, person_id: str, person: Person | None
) -> None:
    """Write a person (None: their removal) into the running meeting's ``people`` map, as a
    server-side edit, and wait until it is stored and relayed to everyone at the table."""
    if meeting_id is None:
        return
    fields = None if person is None else live_fields(person)
    async with state.rooms.hold(meeting_id) as room:
        seq = room.change(lambda doc: schema.put_person(doc, person_id, fields))
        await room.wait_committed(seq)


async def family_language(db: AsyncSession, family_id: str) -> str:
    """The language most of the family (role family) reads, when it is not Dutch; else ""."""
    rows = await db.scalars(
        select(Person.language).where(
            Person.family_id == family_id,
            Person.role == Role.FAMILY,
            Person.removed_at.is_(None),
            Person.language.not_in(("", "nl")),
        )
    )
    counted = Counter(rows)
    return counted.most_common(1)[0][0] if counted else ""


def live_fields(person: Person) -> dict[str, str]:
    return {key: str(getattr(person, key) or "") for key in schema.PERSON_FIELDS}
