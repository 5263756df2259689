"""What every page shares: who may see a family's pages, small forms, session cookies, and
the one place a raised error becomes a page (``error_page``, registered in ``app.py``)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta
from urllib.parse import parse_qs

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..access import guard
from ..access.sessions import COOKIE_PREFIX, Principal
from ..errors import (
    ForeignRequest,
    InviteError,
    JoinCodeRefused,
    NotAdmitted,
    NotFound,
    NotSignedIn,
    Removed,
    RondetafelError,
    WrongRole,
)
from ..join_codes import TYPED_MAX
from ..messages import t
from ..privacy.audit import Action
from ..services import services
from ..storage.models import Family
from .templating import TEMPLATES


async def family_member(
    request: Request, action: Action, roles: Collection[str] = ("coordinator",)
) -> Principal:
    """The principal at the family in the path if their role is one of ``roles``; otherwise it
    raises (``NotSignedIn``, ``NotFound`` for another family, ``WrongRole``). Every refusal is
    audited under ``action``."""
    return await guard.in_role(request, str(request.path_params["family_id"]), action, roles)


async def own_family(db: AsyncSession, principal: Principal) -> Family:
    """The principal's family; a session can outlive its family (erased): then 404."""
    family = await db.get(Family, principal.family_id)
    if family is None:
        raise NotFound("family gone")
    return family


FORM_MAX = 4096  # bytes of a posted form; ours are a few short fields


async def read_form(request: Request, limit: int = FORM_MAX) -> dict[str, str]:
    """The fields of a small url-encoded form (first value of each). Read by hand: these forms
    are a few short fields, and a body beyond ``limit`` bytes is ignored, not buffered."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return {}
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0] for name, values in fields.items()}


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
        secure=services(request).settings.base_url.startswith("https://"),
    )
    return response


def error_page(request: Request, exc: RondetafelError) -> Response:
    """The page for a raised error; the status is the error's own."""
    context: dict[str, object] = {}
    if isinstance(exc, NotAdmitted):
        # a tablet that joined by code: where it stands, and the way back to the waiting page
        session = getattr(request.state, "unadmitted", None)  # None: staff, removed
        template = "not_admitted.html"
        context = {"removed": isinstance(exc, Removed), "session_id": session.id if session else ""}
    elif isinstance(exc, WrongRole) and exc.principal is not None:
        template, context = "family_forbidden.html", {"principal": exc.principal}
    elif isinstance(exc, JoinCodeRefused):
        # what was typed stays in the field (a long code is corrected, not retyped)
        template, context = "code.html", {"error": t(exc.key), "typed": exc.typed[:TYPED_MAX]}
    elif isinstance(exc, InviteError):
        template, context = "invite_error.html", {"reason": t(exc.key)}
    else:
        template = _TEMPLATES.get(type(exc), "error.html")
        context = {"message": t(exc.key, **exc.values)}
    # an error page is the same whatever the path's query held (the language menu keeps only ?as=)
    context = {**context, "error_page": True}
    return TEMPLATES.TemplateResponse(request, template, context, exc.status)


_TEMPLATES: dict[type[RondetafelError], str] = {
    NotSignedIn: "not_signed_in.html",
    NotFound: "not_found.html",
    ForeignRequest: "request_refused.html",
}
