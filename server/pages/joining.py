"""Joining by code: ``/code`` (type the code, or arrive from the QR code), the pick list, the
waiting page and the small status endpoint it polls.

The code never travels in a URL (the QR code carries it after ``#``, which browsers do not
send), so it stays out of access logs; it is posted in a form body. Every attempt, right or
wrong, goes through ``JoinGuard`` before the code is even looked up. A right code shows only the
first names of the family and network people to pick from: no plan, no meeting content. The
chosen person gets a *pending* session (its own ``rt_<id>`` cookie) that reaches nothing but
``/wait`` until the coordinator admits it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..access import guard
from ..access.admission import people_to_pick, request_admission, waiting_for
from ..access.returning import waiting_held
from ..errors import JoinCodeRefused, UnknownPerson
from ..join_codes import normalise
from ..messages import DEFAULT_LANGUAGE, t
from ..privacy.audit import Action, Actor, Outcome
from ..services import services
from ..storage.models import Meeting, MeetingStatus, Person
from .base import read_form, session_cookie_redirect
from .templating import TEMPLATES

log = logging.getLogger(__name__)


def _code_page(request: Request, error: str = "", status: int = 200) -> Response:
    return TEMPLATES.TemplateResponse(request, "code.html", {"error": error}, status)


async def code_form(request: Request) -> Response:
    """The code page; a browser that asked already and still waits goes back to waiting."""
    state = services(request)
    async with state.sessions() as db:
        waiting = await waiting_held(db, state.settings.secret_key, request.cookies)
    if waiting is not None:
        return RedirectResponse(f"/wait?as={waiting}", 303)
    return _code_page(request)


async def _meeting_for_code(request: Request, typed: str) -> Meeting:
    """The live meeting whose code was typed; else ``JoinCodeRefused``."""
    state = services(request)
    limits = state.join_guard
    client = guard.client_address(request)
    if not await limits.admit_attempt(client):
        log.warning("join code attempt from %s refused: too many attempts", client)
        raise JoinCodeRefused("too_many", typed)
    code = normalise(typed)
    meeting: Meeting | None = None
    if code is not None:
        async with state.sessions() as db:
            meeting = await db.scalar(
                select(Meeting).where(
                    Meeting.join_code == code, Meeting.status == MeetingStatus.LIVE
                )
            )
    if meeting is None:
        log.info("wrong join code from %s", client)  # never the code itself
        await guard.audited_as(
            request,
            guard.ANONYMOUS,
            Action.VIEW_JOIN_LIST,
            Outcome.REFUSED,
            f"wrong code; from {client}",
        )
        raise JoinCodeRefused("wrong", typed)
    await limits.right()
    if not await limits.admit_request(meeting.id):
        log.warning("meeting %s: too many join requests; refused %s", meeting.id, client)
        raise JoinCodeRefused("meeting_busy", typed)
    return meeting


async def code_submit(request: Request) -> Response:
    """A typed (or scanned) code: show who one can be, from this family only."""
    form = await read_form(request)
    meeting = await _meeting_for_code(request, form.get("code", ""))
    return await _pick_page(request, meeting, form.get("code", ""))


async def _pick_page(request: Request, meeting: Meeting, code: str, error: str = "") -> Response:
    state = services(request)
    async with state.sessions() as db:
        people = await people_to_pick(db, meeting)
    anonymous = Actor(None, guard.ANONYMOUS.role, meeting.family_id)
    detail = f"meeting {meeting.id}; from {guard.client_address(request)}"
    await guard.audited_as(request, anonymous, Action.VIEW_JOIN_LIST, Outcome.OK, detail)
    groups = {role: [p for p in people if p.role == role] for role in ("family", "network")}
    return TEMPLATES.TemplateResponse(
        request,
        "code_pick.html",
        {"groups": groups, "code": code, "error": error},
        400 if error else 200,
    )


async def pick(request: Request) -> Response:
    """Ask to join as the chosen person: a pending session, then the waiting page."""
    state = services(request)
    form = await read_form(request)
    meeting = await _meeting_for_code(request, form.get("code", ""))
    ttl = timedelta(hours=state.settings.session_ttl_hours)
    try:
        async with state.sessions.begin() as db:
            session, cookie = await request_admission(
                db, state.settings.secret_key, meeting, form.get("person_id", ""), ttl
            )
    except UnknownPerson:
        anonymous = Actor(None, guard.ANONYMOUS.role, meeting.family_id)
        detail = f"not family or network of this family: {form.get('person_id', '')[:64]}"
        await guard.audited_as(
            request, anonymous, Action.REQUEST_ADMISSION, Outcome.REFUSED, detail
        )
        return await _pick_page(request, meeting, form.get("code", ""), t("join.pick_unknown"))
    actor = Actor(session.person_id, session.role, session.family_id)
    detail = f"meeting {meeting.id}; session {session.id}"
    await guard.audited_as(request, actor, Action.REQUEST_ADMISSION, Outcome.OK, detail)
    async with state.sessions() as db:
        person = await db.get(Person, session.person_id) if session.person_id else None
    # a tablet passed round the table: each person's pick sets the device to their language
    lang = (person.language if person else "") or DEFAULT_LANGUAGE
    return session_cookie_redirect(
        request, f"/wait?lang={lang}&as={session.id}", session.id, cookie, ttl
    )


async def wait_page(request: Request) -> Response:
    waiting = await waiting_for(request)
    if waiting is None:
        return TEMPLATES.TemplateResponse(request, "not_signed_in.html", {}, 401)
    return TEMPLATES.TemplateResponse(request, "wait.html", {"w": waiting})


routes = [
    Route("/code", code_form, methods=["GET"]),
    Route("/code", code_submit, methods=["POST"]),
    Route("/code/pick", pick, methods=["POST"]),
    Route("/wait", wait_page, methods=["GET"]),
]
