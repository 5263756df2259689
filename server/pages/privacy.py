"""The family's data rights, for its coordinator: download everything as one JSON file
(``GET /families/{id}/export``) and erase the family (``GET``/``POST /families/{id}/erase``,
confirmed by typing the family's name).

Access, checked in ``_coordinator`` only: no session → 401; another family's id or an unknown
id → 404; anyone but the family's coordinator → 403. Every outcome is audited. The export is an
attachment that is never cached; erasing needs a same-origin POST.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..access import guard
from ..access.sessions import Principal
from ..errors import ErasureError, NotFound
from ..privacy.audit import Action, Outcome
from ..privacy.erasure import erase_family
from ..privacy.export import export_family, to_json
from ..services import services
from ..storage.models import Family
from .base import family_member, read_form
from .templating import TEMPLATES

log = logging.getLogger(__name__)


async def export(request: Request) -> Response:
    principal = await family_member(request, Action.EXPORT_FAMILY)
    state = services(request)
    async with state.sessions() as db:
        family = await db.get(Family, principal.family_id)
        if family is None:
            raise NotFound()
        data = await export_family(db, state.rooms, family)
    await guard.audited(request, principal, Action.EXPORT_FAMILY)
    return Response(
        to_json(data),
        media_type="application/json; charset=utf-8",
        headers={
            "content-disposition": f'attachment; filename="rondetafel-gezin-{family.id}.json"',
            "cache-control": "no-store",
        },
    )


async def erase_form(request: Request) -> Response:
    principal = await family_member(request, Action.ERASE_FAMILY)
    return await _form_page(request, principal, "", 200)


async def _form_page(request: Request, principal: Principal, error: str, status: int) -> Response:
    async with services(request).sessions() as db:
        family = await db.get(Family, principal.family_id)
    if family is None:
        raise NotFound()
    return TEMPLATES.TemplateResponse(
        request,
        "erase.html",
        {"principal": principal, "family": family, "error": error},
        status,
    )


def _same_name(typed: str, name: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(name.split()).casefold()


async def erase(request: Request) -> Response:
    state = services(request)
    principal = await family_member(request, Action.ERASE_FAMILY)
    form = await read_form(request)
    async with state.sessions() as db:
        family = await db.get(Family, principal.family_id)
    if family is None:
        raise NotFound()
    if not _same_name(form.get("confirm_name", ""), family.name):
        await guard.audited(
            request, principal, Action.ERASE_FAMILY, Outcome.REFUSED, detail="name not confirmed"
        )
        return await _form_page(request, principal, "privacy.erase_wrong_name", 400)
    try:
        erased = await erase_family(state.engine, state.rooms, state.audio, family.id)
    except (ErasureError, LookupError) as exc:
        log.error("erasing family %s failed: %s", family.id, exc)
        await guard.audited(
            request, principal, Action.ERASE_FAMILY, Outcome.FAILED, detail=type(exc).__name__
        )
        return TEMPLATES.TemplateResponse(request, "erased.html", {"failed": True}, 500)
    await guard.audited(
        request, principal, Action.ERASE_FAMILY, Outcome.OK, detail=erased.summary()
    )
    return TEMPLATES.TemplateResponse(request, "erased.html", {"failed": False})


routes = [
    Route("/families/{family_id}/export", export, methods=["GET"]),
    Route("/families/{family_id}/erase", erase_form, methods=["GET"]),
    Route("/families/{family_id}/erase", erase, methods=["POST"]),
]
