"""Reading the audit log: the coordinator's log of a family (``/families/{id}/log``) and the
family's own page "who looked at or changed our plan?" (``/families/{id}/plan/seen``).

Access, checked in ``_allowed`` only: no session → 401; another family's id or an unknown id
→ 404 (audited as refused, in the requested family's log); a role that may not see the page →
403. Viewing the full log is itself audited (``view_log``); the family's page is not, so that
looking at who looked does not itself become a line on that page.
"""

from __future__ import annotations

from collections.abc import Collection

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import audit
from .access import Principal
from .audit_view import family_log
from .models import Family
from .pages import TEMPLATES, current_principal, not_found, not_signed_in

MAX_PAGE = 100_000


async def _allowed(request: Request, action: str, roles: Collection[str]) -> Principal | Response:
    """The principal if it is of the family in the path and has one of ``roles``."""
    state = request.app.state
    principal = await current_principal(request)
    if principal is None:
        return not_signed_in(request)
    family_id = str(request.path_params["family_id"])
    refusal = ""
    if principal.family_id != family_id:
        refusal = "another or unknown family"
    elif principal.role not in roles:
        refusal = f"role {principal.role} may not"
    if refusal:
        await audit.record(
            state.engine,
            principal.actor,
            action,
            "refused",
            family_id=family_id,
            access_point=request.url.path,
            detail=refusal,
        )
        if principal.family_id != family_id:
            return not_found(request)
        return TEMPLATES.TemplateResponse(
            request, "family_forbidden.html", {"principal": principal}, 403
        )
    return principal


def _page(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    if raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_PAGE:
        return int(raw)
    return 1


async def coordinator_log(request: Request) -> Response:
    principal = await _allowed(request, "view_log", {"coordinator"})
    if isinstance(principal, Response):
        return principal
    state = request.app.state
    async with state.sessions() as db:
        family = await db.get(Family, principal.family_id)
        if family is None:
            return not_found(request)
        page = await family_log(db, family.id, _page(request))
    await audit.record(
        state.engine, principal.actor, "view_log", "ok", access_point=request.url.path
    )
    return TEMPLATES.TemplateResponse(
        request, "audit_log.html", {"principal": principal, "family": family, "log": page}
    )


async def family_seen(request: Request) -> Response:
    principal = await _allowed(request, "view_log", {"family", "coordinator"})
    if isinstance(principal, Response):
        return principal
    async with request.app.state.sessions() as db:
        family = await db.get(Family, principal.family_id)
        if family is None:
            return not_found(request)
        page = await family_log(db, family.id, _page(request), family_view=True)
    return TEMPLATES.TemplateResponse(
        request, "audit_seen.html", {"principal": principal, "family": family, "log": page}
    )


routes = [
    Route("/families/{family_id}/log", coordinator_log),
    Route("/families/{family_id}/plan/seen", family_seen),
]
