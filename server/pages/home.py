"""The landing page, a personal invite link (confirm, then use it), and the meeting room."""

from __future__ import annotations

import json
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import plans
from ..access import guard
from ..access.sessions import find_invite, redeem_invite
from ..errors import InviteError
from ..privacy import audit
from ..privacy.audit import Action, Actor, Outcome
from ..services import services
from ..storage.models import Family, Meeting
from .base import session_cookie_redirect
from .templating import TEMPLATES


async def home(request: Request) -> Response:
    return TEMPLATES.TemplateResponse(request, "home.html", {})


async def join_confirm(request: Request) -> Response:
    """Show who the link is for; nothing is used up until the person confirms."""
    state = services(request)
    async with state.sessions() as db:
        invite = await find_invite(db, state.settings.secret_key, request.path_params["token"])
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
    state = services(request)
    ttl = timedelta(hours=state.settings.session_ttl_hours)
    try:
        async with state.sessions.begin() as db:
            session, cookie = await redeem_invite(
                db, state.settings.secret_key, request.path_params["token"], ttl
            )
    except InviteError:
        # a failed login: who tried is unknown, and the token itself is never written down
        await audit.record(
            state.engine,
            Actor(None, "anonymous"),
            Action.START_SESSION,
            Outcome.REFUSED,
            access_point="/join",
            detail="invite link not usable",
        )
        raise
    await audit.record(
        state.engine,
        Actor(session.person_id, session.role, session.family_id),
        Action.START_SESSION,
        Outcome.OK,
        access_point="/join",  # not the path: it holds the token
    )
    return session_cookie_redirect(
        request, f"/meetings/{session.meeting_id}?as={session.id}", session.id, cookie, ttl
    )


async def meeting_page(request: Request) -> Response:
    state = services(request)
    principal, meeting = await guard.for_meeting(
        request, request.path_params["meeting_id"], Action.OPEN_MEETING
    )
    async with state.sessions() as db:
        last = await plans.latest_version(db, meeting.family_id)
    await guard.audited(request, principal, Action.OPEN_MEETING)
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
