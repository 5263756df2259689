"""Staff login and logout, and the staff home (their families).

A login always starts a *new* session (new id, new cookie token); a session cookie the
browser brought along is left alone and never lifted to the logged-in one (no session
fixation). Failed logins are limited per username and per client address (``LoginLimiter``);
an unknown username costs one argon2 verification like a wrong password.
"""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .. import families
from ..access import accounts, guard
from ..access.sessions import (
    COOKIE_PREFIX,
    PRE_SESSION_COOKIE,
    new_pre_session_token,
    revoke_session,
    start_staff_session,
)
from ..errors import TooBusy
from ..messages import long_date_time, t
from ..privacy import audit
from ..privacy.audit import Action, Actor, Outcome
from ..services import services
from ..storage.models import MeetingStatus
from .base import read_form, session_cookie_redirect
from .templating import TEMPLATES

USERNAME_FIELD_MAX = 200
PASSWORD_FIELD_MAX = 1024  # argon2 hashes anything, but not megabytes per guess


def _login_page(
    request: Request, error: str = "", username: str = "", status: int = 200
) -> Response:
    token = request.cookies.get(PRE_SESSION_COOKIE) or new_pre_session_token()
    response = TEMPLATES.TemplateResponse(
        request,
        "login.html",
        {"error": error, "username": username, "login_token": token},
        status,
    )
    response.set_cookie(
        PRE_SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=services(request).settings.base_url.startswith("https://"),
    )
    return response


async def login_form(request: Request) -> Response:
    return _login_page(request)


async def login(request: Request) -> Response:
    state = services(request)
    form = await read_form(request)
    username = accounts.normalise(form.get("username", ""))[:USERNAME_FIELD_MAX]
    password = form.get("password", "")[:PASSWORD_FIELD_MAX]
    address = guard.client_address(request)
    limiter = state.login_limiter

    async def refused(why: str, text: str, status: int) -> Response:
        # which account was tried, and from where (never the password)
        detail = f"{why}; username {username[:64]!r}; from {address}"
        staff = Actor(None, "staff")
        await audit.record(state.engine, staff, Action.LOGIN, Outcome.REFUSED, detail=detail)
        return _login_page(request, t(text), username, status)

    try:
        attempt = await limiter.begin(username, address)
    except TooBusy:  # the shared limits cannot count now (Redis away): the door stays shut
        return await refused("limits unavailable", "errors.busy", 429)
    if attempt is None:
        return await refused("rate limited", "login.too_many", 429)
    try:
        async with state.sessions() as db:
            user = await accounts.check_password(db, username, password, state.password_checks)
    except TooBusy:
        await limiter.release(username, address, attempt)  # not a guess: it was never checked
        return await refused("busy", "errors.busy", 429)
    if user is None:
        return await refused("wrong credentials", "login.wrong", 401)
    await limiter.succeeded(username, address, attempt)
    ttl = timedelta(hours=state.settings.session_ttl_hours)
    async with state.sessions.begin() as db:
        session, cookie = await start_staff_session(db, state.settings.secret_key, user, ttl)
    await audit.record(state.engine, Actor(user.id, user.role), Action.LOGIN, Outcome.OK)
    response = session_cookie_redirect(request, f"/home?as={session.id}", session.id, cookie, ttl)
    response.delete_cookie(PRE_SESSION_COOKIE)
    return response


async def logout(request: Request) -> Response:
    state = services(request)
    found = await guard.visitor(request, touch=False)
    response = RedirectResponse("/login", 303)
    if found is not None:
        async with state.sessions.begin() as db:
            await revoke_session(db, found.session_id)
        await audit.record(state.engine, guard.actor_of(found), Action.LOGOUT, Outcome.OK)
        response.delete_cookie(COOKIE_PREFIX + found.session_id)
    return response


async def staff_home(request: Request) -> Response:
    """A staff member's families: only those where a person is linked to their account."""
    found = await guard.visitor(request)
    if found is None or not found.is_staff:
        return RedirectResponse("/login", 303)
    assert found.user_id is not None
    async with services(request).sessions() as db:
        mine = await accounts.memberships(db, found.user_id)
        overviews = await families.overviews(db, [m.family_id for m in mine])
    await audit.record(
        services(request).engine, guard.actor_of(found), Action.VIEW_HOME, Outcome.OK
    )
    cards = [
        {"membership": m, "overview": overviews[m.family_id], **_next(overviews[m.family_id])}
        for m in mine
    ]
    return TEMPLATES.TemplateResponse(
        request,
        "staff_home.html",
        {"visitor": found, "families": cards, "can_create": found.role == "coordinator"},
    )


def _next(overview: families.Overview) -> dict[str, str]:
    """The family's next round table in words, and the live meeting's id (to go to it)."""
    meeting = overview.next_meeting
    if overview.closed_at is not None:
        return {"next": t("file.home_closed"), "live": ""}
    if meeting is None:
        return {"next": t("file.home_no_meeting"), "live": ""}
    if meeting.status == MeetingStatus.LIVE:
        return {"next": t("file.home_live"), "live": meeting.id}
    when = long_date_time(meeting.starts_at) if meeting.starts_at else meeting.title
    place = f", {meeting.place}" if meeting.place and meeting.starts_at else ""
    return {"next": t("file.home_next", when=when + place), "live": ""}


routes = [
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/home", staff_home, methods=["GET"]),
]
