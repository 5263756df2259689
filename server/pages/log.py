"""Reading the audit log: the coordinator's log of a family (``/families/{id}/log``) and the
family's own page "who looked at or changed our plan?" (``/families/{id}/plan/seen``).

Access, checked in ``_allowed`` only: no session → 401; another family's id or an unknown id
→ 404 (audited as refused, in the requested family's log); a role that may not see the page →
403. Viewing the full log is itself audited (``view_log``); the family's page is not, so that
looking at who looked does not itself become a line on that page.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..access import guard
from ..errors import NotFound
from ..privacy.audit import Action
from ..privacy.audit_view import family_log
from ..services import services
from ..storage.models import Family
from .base import family_member
from .templating import TEMPLATES

MAX_PAGE = 100_000


def _page(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    if raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_PAGE:
        return int(raw)
    return 1


async def coordinator_log(request: Request) -> Response:
    principal = await family_member(request, Action.VIEW_LOG, {"coordinator"})
    state = services(request)
    async with state.sessions() as db:
        family = await db.get(Family, principal.family_id)
        if family is None:
            raise NotFound()
        page = await family_log(db, family.id, _page(request))
    await guard.audited(request, principal, Action.VIEW_LOG)
    return TEMPLATES.TemplateResponse(
        request, "audit_log.html", {"principal": principal, "family": family, "log": page}
    )


async def family_seen(request: Request) -> Response:
    principal = await family_member(request, Action.VIEW_LOG, {"family", "coordinator"})
    async with services(request).sessions() as db:
        family = await db.get(Family, principal.family_id)
        if family is None:
            raise NotFound()
        page = await family_log(db, family.id, _page(request), family_view=True)
    return TEMPLATES.TemplateResponse(
        request, "audit_seen.html", {"principal": principal, "family": family, "log": page}
    )


routes = [
    Route("/families/{family_id}/log", coordinator_log),
    Route("/families/{family_id}/plan/seen", family_seen),
]
