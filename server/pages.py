"""HTML pages: the landing page, the invite confirmation, and the meeting room shell."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from . import audit, plans
from .access import (
    COOKIE_PREFIX,
    REMOVED,
    InviteError,
    Principal,
    authenticate,
    find_invite,
    find_session,
    redeem_invite,
)
from .audit import Actor
from .join_codes import display as display_join_code
from .messages import t
from .models import Family, Meeting

TEMPLATES = Jinja2Templates(
    directory=Path(__file__).resolve().parent.parent / "web" / "templates"
)  # autoescapes .html
TEMPLATES.env.globals["t"] = t
TEMPLATES.env.globals["join_code_display"] = display_join_code


async def home(request: Request) -> Response:
    return TEMPLATES.TemplateResponse(request, "home.html", {})


async def join_confirm(request: Request) -> Response:
    """Show who the link is for; nothing is used up until the person confirms."""
    state = request.app.state
    async with state.sessions() as db:
        try:
            invite = await find_invite(db, state.settings.secret_key, request.path_params["token"])
        except InviteError as exc:
            return _invite_error(request, exc)
        meeting = await db.get(Meeting, invite.meeting_id)
        family = await db.get(Family, meeting.family_id) if meeting else None
    return TEMPLATES.TemplateResponse(
        request,
        "join.html",
        {
            "label": invite.label,
            "role": invite.role,
            "family": family.name if family else "",
            "used": invite.used_at is not None,
        },
    )


async def join(request: Request) -> Response:
    """Use the invite: start a session in a cookie of its own and open the meeting."""
    state = request.app.state
    ttl = timedelta(hours=state.settings.session_ttl_hours)
    async with state.sessions.begin() as db:
        try:
            session, cookie = await redeem_invite(
                db, state.settings.secret_key, request.path_params["token"], ttl
            )
        except InviteError as exc:
            return _invite_error(request, exc)
    await audit.record(
        state.engine,
        Actor(session.person_id, session.role, session.family_id),
        "start_session",
        "ok",
        access_point=request.url.path,
    )
    response = RedirectResponse(f"/meetings/{session.meeting_id}?as={session.id}", 303)
    response.set_cookie(
        COOKIE_PREFIX + session.id,
        cookie,
        max_age=int(ttl.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=state.settings.base_url.startswith("https://"),
    )
    return response


def _invite_error(request: Request, exc: InviteError) -> Response:
    return TEMPLATES.TemplateResponse(request, "invite_error.html", {"reason": exc.reason}, 410)


async def current_principal(request: Request) -> Principal | None:
    """The session behind a page request (``?as=`` picks one of several cookies)."""
    state = request.app.state
    async with state.sessions() as db:
        principal: Principal | None = await authenticate(
            db, state.settings.secret_key, request.cookies, request.query_params.get("as")
        )
    return principal


def not_signed_in(request: Request) -> Response:
    return TEMPLATES.TemplateResponse(request, "not_signed_in.html", {}, 401)


async def not_admitted_or_signed_in(request: Request) -> Response:
    """No principal: 403 for a tablet that waits for admission, was refused or removed (with
    where to go), else 401."""
    state = request.app.state
    chosen = request.query_params.get("as")
    async with state.sessions() as db:
        session = await find_session(db, state.settings.secret_key, request.cookies, chosen)
    if session is None:
        return not_signed_in(request)
    await audit.record(
        state.engine,
        Actor(session.person_id, session.role, session.family_id),
        "open_meeting",
        "refused",
        access_point=request.url.path,
        detail=f"session {session.admission}",
    )
    removed = session.admission == REMOVED
    return TEMPLATES.TemplateResponse(
        request, "not_admitted.html", {"removed": removed, "session_id": session.id}, 403
    )


def not_found(request: Request) -> Response:
    return TEMPLATES.TemplateResponse(request, "not_found.html", {}, 404)


async def meeting_page(request: Request) -> Response:
    state = request.app.state
    principal = await current_principal(request)
    if principal is None:
        return await not_admitted_or_signed_in(request)
    async with state.sessions() as db:
        meeting = await db.get(Meeting, request.path_params["meeting_id"])
        if meeting is None or meeting.family_id != principal.family_id:
            return not_found(request)
        last = await plans.latest_version(db, meeting.family_id)
    await audit.record(
        state.engine, principal.actor, "open_meeting", "ok", access_point=request.url.path
    )
    # last time's scores travel with the page: "Vorige keer: 4" without another request
    last_scores = {g["id"]: g.get("score") for g in last.plan.get("goals", [])} if last else {}
    return TEMPLATES.TemplateResponse(
        request,
        "meeting.html",
        {"meeting": meeting, "principal": principal, "last_scores": json.dumps(last_scores)},
    )


routes = [
    Route("/", home),
    Route("/join/{token}", join_confirm, methods=["GET"]),
    Route("/join/{token}", join, methods=["POST"]),
    Route("/meetings/{meeting_id}", meeting_page),
]
