"""Who is asking, as whom at a family: the one place pages, the API and the websocket ask.

``visitor(conn)`` finds the request's session (``?as=`` picks one of several cookies);
``for_family`` and ``for_meeting`` turn it into the ``Principal`` at that family, or say why
not: ``NOT_SIGNED_IN`` (no valid session: 401 / close 4401), ``NOT_FOUND`` (another
family's or an unknown id: 404 / close 4403, the same answer for both so ids of other
families cannot be probed), ``NOT_ADMITTED`` (a tablet that joined by code and waits for the
coordinator, or was refused: 403 / close 4403) or ``REMOVED`` (403 / close 4410).
"""

from __future__ import annotations

import enum
from datetime import timedelta

from starlette.requests import HTTPConnection

from ..privacy import audit
from ..privacy.audit import Actor
from ..storage.models import Meeting
from .admission import is_removed
from .sessions import ADMITTED, Principal, Visitor, find_session, find_visitor, principal_for
from .sessions import REMOVED as SESSION_REMOVED


class Refusal(enum.Enum):
    NOT_SIGNED_IN = "not_signed_in"
    NOT_FOUND = "not_found"
    NOT_ADMITTED = "not_admitted"  # a tablet that joined by code: waiting, or refused
    REMOVED = "removed"  # taken out of the meeting by the coordinator


NOT_SIGNED_IN = Refusal.NOT_SIGNED_IN
NOT_FOUND = Refusal.NOT_FOUND
NOT_ADMITTED = Refusal.NOT_ADMITTED
REMOVED = Refusal.REMOVED


def session_id_of(conn: HTTPConnection) -> str | None:
    return conn.query_params.get("as")


async def visitor(conn: HTTPConnection, *, touch: bool = True) -> Visitor | None:
    state = conn.app.state
    idle = timedelta(minutes=state.settings.session_idle_minutes)
    async with state.sessions() as db:
        found: Visitor | None = await find_visitor(
            db, state.settings.secret_key, conn.cookies, session_id_of(conn), idle, touch=touch
        )
    conn.state.visitor = found  # for the page: logout button, warning before the session ends
    return found


async def for_family(conn: HTTPConnection, family_id: str, action: str) -> Principal | Refusal:
    """The principal at this family; a refusal is written to the audit log under ``action``."""
    found = await visitor(conn)
    if found is None:
        return await _no_visitor(conn, action)
    async with conn.app.state.sessions() as db:
        principal = await principal_for(db, found, family_id)
    if principal is None:
        await _refused(conn, found, action, family_id)
        return NOT_FOUND
    return principal


async def for_meeting(
    conn: HTTPConnection, meeting_id: str, action: str
) -> tuple[Principal, Meeting] | Refusal:
    """The principal at the meeting's family, and the meeting."""
    found = await visitor(conn)
    if found is None:
        return await _no_visitor(conn, action)
    async with conn.app.state.sessions() as db:
        meeting = await db.get(Meeting, meeting_id)
        principal = await principal_for(db, found, meeting.family_id) if meeting else None
        removed = (
            principal is not None
            and found.user_id is not None
            and await is_removed(db, meeting_id, found.user_id)
        )
    if meeting is None or principal is None:
        await _refused(conn, found, action, meeting.family_id if meeting else None)
        return NOT_FOUND
    if removed:  # a professional the coordinator took out of this meeting
        await _refused(conn, found, action, meeting.family_id, "removed from the meeting")
        return REMOVED
    return principal, meeting


async def _no_visitor(conn: HTTPConnection, action: str) -> Refusal:
    """No valid session: not signed in, or a session that was not (or no longer) admitted."""
    state = conn.app.state
    async with state.sessions() as db:
        session = await find_session(
            db, state.settings.secret_key, conn.cookies, session_id_of(conn)
        )
    if session is None or session.admission == ADMITTED:
        return NOT_SIGNED_IN
    conn.state.unadmitted = session  # for the page that says what to do now
    actor = Actor(session.person_id, session.role, session.family_id)
    await audited_as(conn, actor, action, "refused", f"session {session.admission}")
    return REMOVED if session.admission == SESSION_REMOVED else NOT_ADMITTED


async def audited(
    conn: HTTPConnection, principal: Principal, action: str, outcome: str = "ok", detail: str = ""
) -> None:
    """Audit what ``principal`` did (or was refused) through this request; its path is the
    access point, the principal's family the subject."""
    await audited_as(conn, principal.actor, action, outcome, detail, principal.family_id)


async def audited_as(
    conn: HTTPConnection,
    actor: Actor,
    action: str,
    outcome: str,
    detail: str = "",
    family_id: str | None = None,
) -> None:
    """Audit what ``actor`` (no principal yet: someone joining, refused or unadmitted) did
    through this request; the subject is ``family_id``, else the actor's family."""
    await audit.record(
        conn.app.state.engine,
        actor,
        action,
        outcome,
        family_id=family_id,
        access_point=conn.url.path,
        detail=detail,
    )


def actor_of(found: Visitor) -> Actor:
    return Actor(found.person_id or found.user_id, found.role, found.family_id)


async def _refused(
    conn: HTTPConnection,
    found: Visitor,
    action: str,
    family_id: str | None,
    detail: str = "no part in this family, or unknown id",
) -> None:
    await audited_as(conn, actor_of(found), action, "refused", detail, family_id)
