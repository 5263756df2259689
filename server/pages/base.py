"""HTML pages: the landing page, the invite confirmation, and the meeting room shell."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from jinja2 import pass_context
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from .. import plans
from ..access import guard
from ..access.sessions import (
    COOKIE_PREFIX,
    InviteError,
    Principal,
    Visitor,
    expected_token,
    find_invite,
    redeem_invite,
)
from ..join_codes import display as display_join_code
from ..messages import t
from ..privacy import audit
from ..privacy.audit import Actor
from ..storage.models import Family, Meeting, utcnow

TEMPLATES = Jinja2Templates(
    directory=Path(__file__).resolve().parents[2] / "web" / "templates"
)  # autoescapes .html
TEMPLATES.env.globals["t"] = t
TEMPLATES.env.globals["join_code_display"] = display_join_code


@pass_context
def _csrf_token(context: Mapping[str, Any]) -> str:
    """The CSRF token for forms and scripts on this page (see ``server/middleware/csrf.py``)."""
    request: Request = context["request"]
    if "login_token" in context:
        return str(context["login_token"])
    return expected_token(request, request.app.state.settings.secret_key) or ""


@pass_context
def _visitor(context: Mapping[str, Any]) -> Visitor | None:
    """The session behind this page, when the handler looked it up (else None)."""
    return getattr(context["request"].state, "visitor", None)


@pass_context
def _warning_seconds(context: Mapping[str, Any]) -> int:
    return int(context["request"].app.state.settings.session_warning_minutes * 60)


def _seconds_until(moment: datetime) -> int:
    return max(0, int((moment - utcnow()).total_seconds()))


TEMPLATES.env.globals["csrf_token"] = _csrf_token
TEMPLATES.env.globals["warning_seconds"] = _warning_seconds
TEMPLATES.env.globals["seconds_until"] = _seconds_until
TEMPLATES.env.globals["current_visitor"] = _visitor


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
    try:
        async with state.sessions.begin() as db:
            session, cookie = await redeem_invite(
                db, state.settings.secret_key, request.path_params["token"], ttl
            )
    except InviteError as exc:
        # a failed login: who tried is unknown, and the token itself is never written down
        await audit.record(
            state.engine,
            Actor(None, "anonymous"),
            "start_session",
            "refused",
            access_point="/join",
            detail="invite link not usable",
        )
        return _invite_error(request, exc)
    await audit.record(
        state.engine,
        Actor(session.person_id, session.role, session.family_id),
        "start_session",
        "ok",
        access_point="/join",  # not the path: it holds the token
    )
    return session_cookie_redirect(
        request, f"/meetings/{session.meeting_id}?as={session.id}", session.id, cookie, ttl
    )


def session_cookie_redirect(
    request: Request, location: str, session_id: str, cookie: str, ttl: timedelta
) -> RedirectResponse:
    """Go on to ``location`` with a new session's cookie: its own name (a browser can hold
    several sessions), HttpOnly, SameSite=Lax, Secure behind https, as long as the session."""
    response = RedirectResponse(location, 303)
    response.set_cookie(
        COOKIE_PREFIX + session_id,
        cookie,
        max_age=int(ttl.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.base_url.startswith("https://"),
    )
    return response


def _invite_error(request: Request, exc: InviteError) -> Response:
    return TEMPLATES.TemplateResponse(request, "invite_error.html", {"reason": exc.reason}, 410)


async def family_member(
    request: Request, action: str, roles: Collection[str] = ("coordinator",)
) -> Principal | Response:
    """The principal at the family in the path if their role is one of ``roles``; otherwise the
    response that refuses the request (401, 404 for another family, 403 for the wrong role).
    Every refusal is audited under ``action``."""
    family_id = str(request.path_params["family_id"])
    principal = await guard.for_family(request, family_id, action)
    if isinstance(principal, guard.Refusal):
        return refused(request, principal)
    if principal.role not in roles:
        await guard.audited(
            request, principal, action, "refused", detail=f"role {principal.role} may not"
        )
        return TEMPLATES.TemplateResponse(
            request, "family_forbidden.html", {"principal": principal}, 403
        )
    return principal


FORM_MAX = 4096  # bytes of a posted form; ours are a few short fields


async def read_form(request: Request) -> dict[str, str]:
    """The fields of a small url-encoded form (first value of each). Read by hand: these forms
    are a few short fields, and a body beyond ``FORM_MAX`` bytes is ignored, not buffered."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > FORM_MAX:
            return {}
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}


def refused(request: Request, refusal: guard.Refusal) -> Response:
    if refusal in (guard.NOT_ADMITTED, guard.REMOVED):
        # a tablet that joined by code: where it stands, and the way back to the waiting page
        session = getattr(request.state, "unadmitted", None)  # None: staff, removed
        return TEMPLATES.TemplateResponse(
            request,
            "not_admitted.html",
            {"removed": refusal is guard.REMOVED, "session_id": session.id if session else ""},
            403,
        )
    return not_signed_in(request) if refusal is guard.NOT_SIGNED_IN else not_found(request)


def not_signed_in(request: Request) -> Response:
    return TEMPLATES.TemplateResponse(request, "not_signed_in.html", {}, 401)


def not_found(request: Request) -> Response:
    return TEMPLATES.TemplateResponse(request, "not_found.html", {}, 404)


async def meeting_page(request: Request) -> Response:
    state = request.app.state
    found = await guard.for_meeting(request, request.path_params["meeting_id"], "open_meeting")
    if isinstance(found, guard.Refusal):
        return refused(request, found)
    principal, meeting = found
    async with state.sessions() as db:
        last = await plans.latest_version(db, meeting.family_id)
    await guard.audited(request, principal, "open_meeting")
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
