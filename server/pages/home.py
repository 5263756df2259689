"""The landing page, a personal invite link (confirm, then use it), and the meeting room."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .. import people, plans
from ..access import guard
from ..access.returning import (
    landing,
    live_meeting_of,
    session_of_link,
    sessions_held,
    waiting_held,
)
from ..access.sessions import Visitor, find_invite, redeem_invite
from ..crdt.schema import Role
from ..errors import InviteError
from ..messages import prefer_language
from ..privacy import audit
from ..privacy.audit import Action, Actor, Outcome
from ..services import services
from ..storage.models import Family, Meeting, MeetingStatus
from . import plan_view as view
from .base import session_cookie_redirect
from .templating import TEMPLATES


@dataclass(frozen=True, slots=True)
class Place:
    """One family a signed-in family member (or network) belongs to, for their home page."""

    visitor: Visitor
    family: Family
    meeting_id: str | None  # their own meeting, while it is live
    other_live: bool  # another meeting of the family is live: it needs a new link
    versions: int
    goals: list[tuple[str, int | None]]  # the newest plan's goals: words and last score


def _idle(request: Request) -> timedelta:
    return timedelta(minutes=services(request).settings.session_idle_minutes)


async def home(request: Request) -> Response:
    """The app's home. Staff go to their families; someone of a family who comes back sees
    their family's plan and any live meeting; anyone else the welcome."""
    state = services(request)
    async with state.sessions() as db:
        held = await sessions_held(db, state.settings.secret_key, request.cookies, _idle(request))
        staff = [v for v in held if v.is_staff]
        if staff:
            return RedirectResponse(f"/home?as={staff[-1].session_id}", 303)
        found = [await _place(db, v) for v in held if v.family_id]
        waiting = await waiting_held(db, state.settings.secret_key, request.cookies)
    places = [p for p in found if p is not None]
    if not places and waiting:
        return RedirectResponse(f"/wait?as={waiting}", 303)
    if not places:
        return TEMPLATES.TemplateResponse(request, "home.html", {})
    for place in places:
        await audit.record(
            state.engine, _actor(place.visitor), Action.VIEW_HOME, Outcome.OK, access_point="/"
        )
    request.state.visitor = places[0].visitor  # the warning before the session ends
    return TEMPLATES.TemplateResponse(request, "family_home.html", {"places": places})


async def _place(db: AsyncSession, visitor: Visitor) -> Place | None:
    family = await db.get(Family, visitor.family_id)
    if family is None:  # erased while the session lived
        return None
    own = await live_meeting_of(db, visitor)
    other = await db.scalar(
        select(Meeting.id).where(
            Meeting.family_id == family.id, Meeting.status == MeetingStatus.LIVE
        )
    )
    latest = await plans.latest_version(db, family.id)
    goals = [
        (view.text(goal.get("text")), view.score(goal.get("score")))
        for goal in (view.items(latest.plan, "goals") if latest else [])
    ]
    versions = latest.number if latest else 0
    return Place(visitor, family, own, other is not None and other != own, versions, goals)


def _actor(visitor: Visitor) -> Actor:
    return Actor(visitor.person_id, visitor.role, visitor.family_id)


async def _come_back(request: Request) -> Response | None:
    """This browser's own valid session from this link: back to where it belongs."""
    state = services(request)
    token = request.path_params["token"]
    async with state.sessions() as db:
        found = await session_of_link(
            db, state.settings.secret_key, token, request.cookies, _idle(request)
        )
        if found is None:
            return None
        return RedirectResponse(await landing(db, found), 303)


async def join_confirm(request: Request) -> Response:
    """Show who the link is for; nothing is used up until the person confirms. A browser that
    already joined with this link goes straight back in."""
    back = await _come_back(request)
    if back is not None:
        return back
    state = services(request)
    async with state.sessions() as db:
        invite = await find_invite(db, state.settings.secret_key, request.path_params["token"])
        if invite.used_at is not None:  # used by another browser: say so before the button
            raise InviteError("used")
        meeting = await db.get(Meeting, invite.meeting_id)
        family = await db.get(Family, meeting.family_id) if meeting else None
    return TEMPLATES.TemplateResponse(
        request,
        "join.html",
        {
            "label": invite.label,
            "role": invite.role,
            "family": family.name if family else "",
        },
    )


async def join(request: Request) -> Response:
    """Use the invite: start a session in a cookie of its own and open the meeting. Confirming
    again (Back, then the button) from the browser that joined goes back in."""
    back = await _come_back(request)
    if back is not None:
        return back
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
            audit.ANONYMOUS,
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
        if principal.role == Role.SCREEN:  # the screen speaks the family's language, Dutch beside
            prefer_language(await people.family_language(db, meeting.family_id))
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
