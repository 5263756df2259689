"""Who is asking, as whom at a family: the one place pages, the API and the websocket ask.

``visitor(conn)`` finds the request's session (``?as=`` picks one of several cookies);
``for_family`` and ``for_meeting`` turn it into the ``Principal`` at that family, or write
the refusal to the audit log and raise it (``server/errors.py``): ``NotSignedIn`` (no valid
session), ``NotFound`` (another family's or an unknown id: the same answer for both, so ids
of other families cannot be probed), ``NotAdmitted`` (a tablet that joined by code and waits
for the coordinator, or was refused) or ``Removed``. Pages, the API and the websocket
endpoint each render the raised error once.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Collection
from datetime import timedelta

from starlette.requests import HTTPConnection

from ..errors import NotAdmitted, NotFound, NotSignedIn, Removed, RondetafelError, WrongRole
from ..messages import prefer_language
from ..privacy import audit
from ..privacy.audit import Action, Actor, Outcome
from ..services import services
from ..storage.models import Meeting
from .admission import is_removed
from .sessions import Admission, Principal, Visitor, find_session, find_visitor, principal_for


def session_id_of(conn: HTTPConnection) -> str | None:
    return conn.query_params.get("as")


async def visitor(conn: HTTPConnection, *, touch: bool = True) -> Visitor | None:
    state = services(conn)
    idle = timedelta(minutes=state.settings.session_idle_minutes)
    async with state.sessions() as db:
        found: Visitor | None = await find_visitor(
            db, state.settings.secret_key, conn.cookies, session_id_of(conn), idle, touch=touch
        )
    conn.state.visitor = found  # for the page: logout button, warning before the session ends
    if found is not None:
        prefer_language(found.language)  # the page speaks the person's language
    return found


async def for_family(conn: HTTPConnection, family_id: str, action: Action) -> Principal:
    """The principal at this family; a refusal is written to the audit log under ``action``."""
    found = await visitor(conn)
    if found is None:
        raise await _no_visitor(conn, action)
    async with services(conn).sessions() as db:
        principal = await principal_for(db, found, family_id)
    if principal is None:
        await _refused(conn, found, action, family_id)
        raise NotFound()
    return principal


async def in_role(
    conn: HTTPConnection, family_id: str, action: Action, roles: Collection[str]
) -> Principal:
    """``for_family``, and the principal's role there must be one of ``roles`` (else
    ``WrongRole``, 403: someone of the family, not someone who may do this)."""
    principal = await for_family(conn, family_id, action)
    if principal.role not in roles:
        await audited(conn, principal, action, Outcome.REFUSED, f"role {principal.role} may not")
        raise WrongRole(f"role {principal.role}", principal=principal)
    return principal


@contextlib.asynccontextmanager
async def refusals_audited(
    conn: HTTPConnection, principal: Principal, action: Action, subject: str = ""
) -> AsyncIterator[None]:
    """A refusal raised inside (bad input, another family's id, a conflict) is audited under
    ``action`` with its code (``subject: code``), then raised on to be rendered."""
    try:
        yield
    except RondetafelError as exc:
        detail = f"{subject}: {exc.code}" if subject else exc.code
        await audited(conn, principal, action, Outcome.REFUSED, detail=detail)
        raise


async def for_meeting(
    conn: HTTPConnection, meeting_id: str, action: Action
) -> tuple[Principal, Meeting]:
    """The principal at the meeting's family, and the meeting."""
    found = await visitor(conn)
    if found is None:
        raise await _no_visitor(conn, action)
    async with services(conn).sessions() as db:
        meeting = await db.get(Meeting, meeting_id)
        principal = await principal_for(db, found, meeting.family_id) if meeting else None
        removed = (
            principal is not None
            and found.user_id is not None
            and await is_removed(db, meeting_id, found.user_id)
        )
    if meeting is None or principal is None:
        await _refused(conn, found, action, meeting.family_id if meeting else None)
        raise NotFound()
    if found.meeting_id is not None and found.meeting_id != meeting.id:
        # a link or code admits to one meeting: the next one needs a new link or admission
        await _refused(conn, found, action, meeting.family_id, "session of another meeting")
        raise NotFound()
    if removed:  # a professional the coordinator took out of this meeting
        await _refused(conn, found, action, meeting.family_id, "removed from the meeting")
        raise Removed()
    return principal, meeting


async def _no_visitor(conn: HTTPConnection, action: Action) -> NotSignedIn | NotAdmitted:
    """Why there is no valid session: not signed in, or not (or no longer) admitted."""
    state = services(conn)
    async with state.sessions() as db:
        session = await find_session(
            db, state.settings.secret_key, conn.cookies, session_id_of(conn)
        )
    if session is None or session.admission == Admission.ADMITTED:
        # no session, or one that ended: who knocked is unknown, where from is not
        detail = "no valid session" + (f"; session {session.id}" if session else "")
        await audited_as(conn, ANONYMOUS, action, Outcome.REFUSED, from_where(conn, detail))
        return NotSignedIn()
    conn.state.unadmitted = session  # for the page that says what to do now
    actor = Actor(session.person_id, session.role, session.family_id)
    await audited_as(conn, actor, action, Outcome.REFUSED, f"session {session.admission}")
    return Removed() if session.admission == Admission.REMOVED else NotAdmitted()


async def audited(
    conn: HTTPConnection,
    principal: Principal,
    action: Action,
    outcome: Outcome = Outcome.OK,
    detail: str = "",
) -> None:
    """Audit what ``principal`` did (or was refused) through this request; its path is the
    access point, the principal's family the subject."""
    await audited_as(conn, principal.actor, action, outcome, detail, principal.family_id)


async def audited_as(
    conn: HTTPConnection,
    actor: Actor,
    action: Action,
    outcome: Outcome,
    detail: str = "",
    family_id: str | None = None,
) -> None:
    """Audit what ``actor`` (no principal yet: someone joining, refused or unadmitted) did
    through this request; the subject is ``family_id``, else the actor's family."""
    await audit.record(
        services(conn).engine,
        actor,
        action,
        outcome,
        family_id=family_id,
        access_point=conn.url.path,
        detail=detail,
    )


ANONYMOUS = audit.ANONYMOUS


def client_address(conn: HTTPConnection) -> str:
    # behind a reverse proxy run uvicorn with --proxy-headers, or every tablet is one client
    return conn.client.host if conn.client else "unknown"


def from_where(conn: HTTPConnection, detail: str) -> str:
    """``detail`` and the client's address: a refusal without a person still says from where."""
    return f"{detail}; from {client_address(conn)}"


def actor_of(found: Visitor) -> Actor:
    return Actor(found.person_id or found.user_id, found.role, found.family_id)


async def _refused(
    conn: HTTPConnection,
    found: Visitor,
    action: Action,
    family_id: str | None,
    detail: str = "no part in this family, or unknown id",
) -> None:
    await audited_as(conn, actor_of(found), action, Outcome.REFUSED, detail, family_id)
