"""The family's file from the browser: a new family, its name and note, planning and starting
a round table, handing the family over, closing the file.

Each form posts to the path it was shown at; what it asks is done by
``server/file_actions.py`` (the same rules and audit rows as the JSON API). Bad input shows
the form again with what was typed and the Dutch text beside it (400), and stores nothing.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .. import families, file_actions
from ..access import guard
from ..access.sessions import Principal
from ..errors import BadInput, FileError, NotSignedIn, RondetafelError, WrongRole
from ..messages import t
from ..privacy.audit import Action
from ..services import services
from .base import family_member, own_family, read_form
from .templating import TEMPLATES

FORM_MAX = 32 * 1024  # a name of 10,000 characters must reach the check, to be told so
REFUSED_HERE = (BadInput, FileError)  # shown beside the form; the rest is an error page


def family_url(principal: Principal, anchor: str = "") -> str:
    return f"/families/{principal.family_id}?as={principal.session_id}{anchor}"


def form_page(
    request: Request,
    template: str,
    context: dict[str, Any],
    error: RondetafelError | None = None,
) -> Response:
    """A form: fresh, or again with what was typed and the refusal's text."""
    shown = {**context, "error": t(error.key) if error else "", "error_code": ""}
    if error is not None:
        shown["error_code"] = error.code
    return TEMPLATES.TemplateResponse(request, template, shown, error.status if error else 200)


async def _family_context(request: Request, principal: Principal) -> dict[str, Any]:
    async with services(request).sessions() as db:
        family = await own_family(db, principal)
    return {"principal": principal, "family": family}


async def new_family(request: Request) -> Response:
    visitor = await guard.visitor(request)
    if visitor is None or not visitor.is_staff:
        raise NotSignedIn()
    context: dict[str, Any] = {"visitor": visitor, "form": {}}
    if request.method == "GET":
        if visitor.role != "coordinator":
            raise WrongRole("only a coordinator account creates a family")
        return form_page(request, "family_new.html", context)
    form = await read_form(request, FORM_MAX)
    try:
        family_id = await file_actions.create_family(request, visitor, form)
    except BadInput as exc:
        return form_page(request, "family_new.html", {**context, "form": form}, exc)
    return RedirectResponse(f"/families/{family_id}?as={visitor.session_id}", 303)


async def edit_family(request: Request) -> Response:
    principal = await family_member(request, Action.CHANGE_FAMILY)
    context = await _family_context(request, principal)
    family = context["family"]
    context["form"] = {"name": family.name, "note": family.note}
    if request.method == "GET":
        families.require_open(family)
        return form_page(request, "family_edit.html", context)
    form = await read_form(request, FORM_MAX)
    try:
        await file_actions.change_family(request, principal, form)
    except REFUSED_HERE as exc:
        return form_page(request, "family_edit.html", {**context, "form": form}, exc)
    return RedirectResponse(family_url(principal), 303)


async def plan_meeting(request: Request) -> Response:
    principal = await family_member(request, Action.PLAN_MEETING)
    context = await _family_context(request, principal)
    context["default_title"] = f"Rondetafeloverleg {context['family'].name}"
    context["form"] = {}
    if request.method == "GET":
        families.require_open(context["family"])
        return form_page(request, "meeting_plan.html", context)
    form = await read_form(request, FORM_MAX)
    data = dict(form)
    when = " ".join(part for part in (form.get("date", ""), form.get("time", "")) if part)
    data["starts_at"] = when.replace(" ", "T") if form.get("date") else ""
    if form.get("time") and not form.get("date"):
        data["starts_at"] = "T" + form["time"]  # a time without a day: refused as invalid
    if form.get("online"):
        data["place"] = t("file.online")
    try:
        await file_actions.plan_meeting(request, principal, data)
    except REFUSED_HERE as exc:
        return form_page(request, "meeting_plan.html", {**context, "form": form}, exc)
    return RedirectResponse(family_url(principal, "#overleg"), 303)


async def start_planned(request: Request) -> Response:
    principal = await family_member(request, Action.START_MEETING)
    meeting = await file_actions.start_meeting(
        request, principal, request.path_params["meeting_id"]
    )
    return RedirectResponse(f"/meetings/{meeting.id}?as={principal.session_id}", 303)


async def hand_over(request: Request) -> Response:
    principal = await family_member(request, Action.HAND_OVER_FAMILY)
    context = await _family_context(request, principal)
    async with services(request).sessions() as db:
        context["coordinators"] = await families.coordinators(db, principal.user_id)
    if request.method == "GET":
        families.require_open(context["family"])
        return form_page(request, "family_handover.html", context)
    form = await read_form(request)
    try:
        new = await file_actions.hand_over(request, principal, form.get("username", ""))
    except REFUSED_HERE as exc:
        return form_page(request, "family_handover.html", context, exc)
    done = t("file.handed_over", family=context["family"].name, name=new.name)
    return TEMPLATES.TemplateResponse(request, "family_done.html", {"message": done})


async def close_file(request: Request) -> Response:
    principal = await family_member(request, Action.CLOSE_FAMILY)
    context = await _family_context(request, principal)
    context["years"] = services(request).settings.retention_years
    if request.method == "GET":
        families.require_open(context["family"])
        return form_page(request, "family_close.html", context)
    await read_form(request)
    try:
        await file_actions.close_family(request, principal)
    except REFUSED_HERE as exc:
        return form_page(request, "family_close.html", context, exc)
    return RedirectResponse(family_url(principal), 303)


routes = [
    Route("/families/new", new_family, methods=["GET", "POST"]),
    Route("/families/{family_id}/edit", edit_family, methods=["GET", "POST"]),
    Route("/families/{family_id}/meetings/new", plan_meeting, methods=["GET", "POST"]),
    Route("/families/{family_id}/meetings/{meeting_id}/start", start_planned, methods=["POST"]),
    Route("/families/{family_id}/handover", hand_over, methods=["GET", "POST"]),
    Route("/families/{family_id}/close", close_file, methods=["GET", "POST"]),
]
