"""JSON for municipal systems and tests: a family's file, its people and its meetings.

The same rules as the pages (both call ``server/file_actions.py``): only the family's
coordinator manages it; someone else of the family gets 403, another family's coordinator
(and an admin, who takes part in no family) 404. Origin and CSRF token are checked by
``server/middleware/csrf.py`` like every other state change. Errors are JSON with a stable
``error`` code and a Dutch ``message`` (``app.render_error``); bad input stores nothing.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import file_actions, people
from ..access import guard
from ..access.sessions import Principal
from ..errors import BadInput, NotFound, NotSignedIn
from ..privacy.audit import Action, Outcome
from ..services import services
from ..storage.models import Family, Meeting, Person

COORDINATOR = ("coordinator",)
BODY_MAX = 32 * 1024  # a person or a family is a few short fields


async def read_json(request: Request) -> dict[str, Any]:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > BODY_MAX:
            raise BadInput("json_invalid")
    try:
        data = json.loads(body or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadInput("json_invalid") from None
    if not isinstance(data, dict):
        raise BadInput("json_invalid")
    return data


async def _coordinator(request: Request, action: Action) -> Principal:
    return await guard.in_role(request, request.path_params["family_id"], action, COORDINATOR)


async def _body(request: Request, principal: Principal, action: Action) -> dict[str, Any]:
    """The JSON body; one that is not an object is refused and audited like bad input."""
    async with guard.refusals_audited(request, principal, action):
        return await read_json(request)


async def create_family(request: Request) -> Response:
    visitor = await guard.visitor(request)
    if visitor is None:
        raise NotSignedIn()
    try:
        data = await read_json(request)
    except BadInput as exc:
        actor = guard.actor_of(visitor)
        await guard.audited_as(request, actor, Action.CREATE_FAMILY, Outcome.REFUSED, exc.code)
        raise
    family_id = await file_actions.create_family(request, visitor, data)
    return JSONResponse({"id": family_id}, 201)


def family_json(family: Family, members: list[Person]) -> dict[str, Any]:
    return {
        "id": family.id,
        "name": family.name,
        "note": family.note,
        "closed_at": family.closed_at.isoformat() if family.closed_at else None,
        "people": [person_json(p) for p in members],
    }


def person_json(person: Person) -> dict[str, Any]:
    fields = ("name", "role", "relation", "organisation", "offers", "birth_year", "phone", "email")
    return {"id": person.id, **{key: getattr(person, key) for key in fields}}


async def get_family(request: Request) -> Response:
    principal = await _coordinator(request, Action.VIEW_FAMILY)
    async with services(request).sessions() as db:
        family = await db.get(Family, principal.family_id)
        if family is None:
            raise NotFound("family gone")
        members = await people.of_family(db, family.id)
    await guard.audited(request, principal, Action.VIEW_FAMILY)
    return JSONResponse(family_json(family, members))


async def change_family(request: Request) -> Response:
    principal = await _coordinator(request, Action.CHANGE_FAMILY)
    data = await _body(request, principal, Action.CHANGE_FAMILY)
    changed = await file_actions.change_family(request, principal, data)
    return JSONResponse({"id": principal.family_id, "changed": changed})


async def add_person(request: Request) -> Response:
    principal = await _coordinator(request, Action.ADD_PERSON)
    data = await _body(request, principal, Action.ADD_PERSON)
    person = await file_actions.add_person(request, principal, data)
    return JSONResponse({"id": person.id}, 201)


async def change_person(request: Request) -> Response:
    principal = await _coordinator(request, Action.CHANGE_PERSON)
    data = await _body(request, principal, Action.CHANGE_PERSON)
    person_id = request.path_params["person_id"]
    person = await file_actions.change_person(request, principal, person_id, data)
    return JSONResponse(person_json(person))


async def remove_person(request: Request) -> Response:
    principal = await _coordinator(request, Action.REMOVE_PERSON)
    person_id = request.path_params["person_id"]
    closed = await file_actions.remove_person(request, principal, person_id)
    return JSONResponse({"id": person_id, "removed": True, "sockets_closed": closed})


async def make_invite(request: Request) -> Response:
    principal = await _coordinator(request, Action.CREATE_INVITE)
    link = await file_actions.make_link(request, principal, request.path_params["person_id"])
    return JSONResponse({"url": link.url, "expires_at": link.expires_at.isoformat()}, 201)


async def plan_meeting(request: Request) -> Response:
    principal = await _coordinator(request, Action.PLAN_MEETING)
    data = await _body(request, principal, Action.PLAN_MEETING)
    meeting = await file_actions.plan_meeting(request, principal, data)
    return JSONResponse({"id": meeting.id}, 201)


async def start_meeting(request: Request) -> Response:
    """Start a planned meeting; the meeting's family decides whose coordinator may."""
    meeting_id = request.path_params["meeting_id"]
    async with services(request).sessions() as db:
        meeting = await db.get(Meeting, meeting_id)
    # an unknown id asks for no family: the guard answers 404 as for another family's
    family_id = meeting.family_id if meeting else "0" * 32
    principal = await guard.in_role(request, family_id, Action.START_MEETING, COORDINATOR)
    if meeting is None:
        raise NotFound("no such meeting")
    started = await file_actions.start_meeting(request, principal, meeting.id)
    return JSONResponse({"id": started.id, "status": started.status})


routes = [
    Route("/api/families", create_family, methods=["POST"]),
    Route("/api/families/{family_id}", get_family, methods=["GET"]),
    Route("/api/families/{family_id}", change_family, methods=["PATCH"]),
    Route("/api/families/{family_id}/people", add_person, methods=["POST"]),
    Route("/api/families/{family_id}/people/{person_id}", change_person, methods=["PATCH"]),
    Route("/api/families/{family_id}/people/{person_id}", remove_person, methods=["DELETE"]),
    Route("/api/families/{family_id}/people/{person_id}/invites", make_invite, methods=["POST"]),
    Route("/api/families/{family_id}/meetings", plan_meeting, methods=["POST"]),
    Route("/api/meetings/{meeting_id}/start", start_meeting, methods=["POST"]),
]
