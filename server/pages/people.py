"""The people of a family's file from the browser: add one (the family page's buttons say as
whom: gezinslid, netwerk, hulpverlener), change their details, remove them.

The form shows the fields of the person's role only (``people.FIELDS_OF``). Removing asks
once more on the person's page; the person's sockets close right after (``file_actions``).
A professional's page leaves a place for linking an account
(``/families/{id}/people/{pid}/account``), which the staff-accounts work builds.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .. import families, file_actions, people
from ..access import guard
from ..errors import BadInput
from ..privacy.audit import Action
from ..services import services
from .base import family_member, own_family, read_form
from .file import FORM_MAX, REFUSED_HERE, family_url, form_page

ACCOUNT_ROLES = ("professional", "coordinator")  # the people an account can stand behind


def _person_form(person: Any) -> dict[str, str]:
    return {
        key: "" if getattr(person, key) is None else str(getattr(person, key))
        for key in ("name", *people.EMPTY)
    }


async def _context(request: Request, action: Action, person_id: str | None) -> dict[str, Any]:
    principal = await family_member(request, action)
    async with services(request).sessions() as db:
        family = await own_family(db, principal)
        person = await people.find(db, family.id, person_id) if person_id else None
    return {"principal": principal, "family": family, "person": person}


async def new_person(request: Request) -> Response:
    context = await _context(request, Action.ADD_PERSON, None)
    role = request.query_params.get("role", "family")
    if role not in people.ROLES:
        raise BadInput("role_invalid")
    context |= {"role": role, "fields": people.FIELDS_OF[role], "form": {}}
    if request.method == "GET":
        families.require_open(context["family"])
        return form_page(request, "person_form.html", context)
    form = await read_form(request, FORM_MAX)
    try:
        person = await file_actions.add_person(
            request, context["principal"], {**form, "role": role}
        )
    except REFUSED_HERE as exc:
        return form_page(request, "person_form.html", {**context, "form": form}, exc)
    return RedirectResponse(family_url(context["principal"], f"#person-{person.id}"), 303)


async def edit_person(request: Request) -> Response:
    person_id = request.path_params["person_id"]
    context = await _context(request, Action.VIEW_PERSON, person_id)
    person = context["person"]
    context |= {
        "role": person.role,
        "fields": people.FIELDS_OF[person.role],
        "form": _person_form(person),
        "account_link": person.role in ACCOUNT_ROLES,
    }
    if request.method == "GET":
        detail = f"person {person_id}"
        await guard.audited(request, context["principal"], Action.VIEW_PERSON, detail=detail)
        return form_page(request, "person_form.html", context)
    form = await read_form(request, FORM_MAX)
    try:
        await file_actions.change_person(request, context["principal"], person_id, form)
    except REFUSED_HERE as exc:
        return form_page(request, "person_form.html", {**context, "form": form}, exc)
    return RedirectResponse(family_url(context["principal"], f"#person-{person_id}"), 303)


async def remove_person(request: Request) -> Response:
    principal = await family_member(request, Action.REMOVE_PERSON)
    await read_form(request)
    await file_actions.remove_person(request, principal, request.path_params["person_id"])
    return RedirectResponse(family_url(principal, "#people-title"), 303)


routes = [
    Route("/families/{family_id}/people/new", new_person, methods=["GET", "POST"]),
    Route("/families/{family_id}/people/{person_id}", edit_person, methods=["GET", "POST"]),
    Route("/families/{family_id}/people/{person_id}/remove", remove_person, methods=["POST"]),
]
