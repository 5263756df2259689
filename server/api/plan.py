"""JSON under ``/api``: a family's plan, its versions and their differences; closing.

Every route checks the session's family. Another family's ids answer 404, exactly like ids
that do not exist, so nothing about other families can be learned here. Errors are raised
and rendered as JSON once, by ``app.py``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import plan_diff, plan_words, plans
from ..access import guard
from ..access.sessions import Principal
from ..crdt import schema
from ..errors import BadRequest, NotFound, WrongRole
from ..privacy.audit import Action, Outcome
from ..services import services
from ..storage.models import PlanVersion


async def _family(request: Request, action: Action) -> Principal:
    principal = await guard.for_family(request, request.path_params["family_id"], action)
    await guard.audited(request, principal, action)
    return principal


async def _versions(request: Request) -> list[PlanVersion]:
    async with services(request).sessions() as db:
        rows = await db.scalars(
            select(PlanVersion)
            .where(PlanVersion.family_id == request.path_params["family_id"])
            .order_by(PlanVersion.number)
        )
        return list(rows)


async def _version(request: Request, number: int) -> PlanVersion:
    for version in await _versions(request):
        if version.number == number:
            return version
    raise NotFound()


async def current_plan(request: Request) -> Response:
    await _family(request, Action.VIEW_PLAN)
    versions = await _versions(request)
    if not versions:
        raise NotFound()
    return JSONResponse(plans.version_json(versions[-1]))


async def list_versions(request: Request) -> Response:
    await _family(request, Action.VIEW_PLAN)
    return JSONResponse(
        {
            "versions": [
                {k: v for k, v in plans.version_json(version).items() if k != "plan"}
                for version in await _versions(request)
            ]
        }
    )


async def get_version(request: Request) -> Response:
    await _family(request, Action.VIEW_PLAN)
    return JSONResponse(plans.version_json(await _version(request, _int(request, "number"))))


async def diff_versions(request: Request) -> Response:
    await _family(request, Action.VIEW_PLAN)
    old = await _version(request, _int(request, "from"))
    new = await _version(request, _int(request, "to"))
    async with services(request).sessions() as db:
        people = await plans.people_of(db, old.family_id)
    return JSONResponse(_changes(old.number, new.number, old.plan, new.plan, people))


async def close_meeting(request: Request) -> Response:
    state = services(request)
    principal, meeting = await guard.for_meeting(
        request, request.path_params["meeting_id"], Action.CLOSE_MEETING
    )
    meeting_id = meeting.id
    if principal.role != "coordinator":
        await guard.audited(request, principal, Action.CLOSE_MEETING, Outcome.REFUSED)
        raise WrongRole("only the coordinator closes")
    version = await plans.close_meeting(
        state.sessions, state.rooms, meeting_id, principal.person_id
    )
    await guard.audited(
        request,
        principal,
        Action.CLOSE_MEETING,
        Outcome.OK,
        detail=f"plan version {version.number}",
    )
    return JSONResponse(plans.version_json(version), 201)


async def meeting_changes(request: Request) -> Response:
    """What changed in the meeting since the family's last plan version before it: the live
    document while it runs, the version it became once it is closed."""
    state = services(request)
    principal, meeting = await guard.for_meeting(
        request, request.path_params["meeting_id"], Action.VIEW_PLAN
    )
    async with state.sessions() as db:
        versions = list(
            await db.scalars(
                select(PlanVersion)
                .where(PlanVersion.family_id == meeting.family_id)
                .order_by(PlanVersion.number)
            )
        )
        people = await plans.people_of(db, meeting.family_id)
    own = next((v for v in versions if v.meeting_id == meeting.id), None)
    if own is not None:
        current, number = own.plan, own.number
        earlier = [v for v in versions if v.number < own.number]
    else:
        async with state.rooms.hold(meeting.id) as room:
            current, number = schema.extract(room.doc), None
        current["attendance"] = await plans.attendance_now(state.sessions, meeting.id, current)
        earlier = versions
    await guard.audited(request, principal, Action.VIEW_PLAN)
    last = earlier[-1] if earlier else None
    before = last.plan if last else schema.empty_plan()
    return JSONResponse(_changes(last.number if last else None, number, before, current, people))


def _changes(
    first: int | None,
    second: int | None,
    old: schema.Plan,
    new: schema.Plan,
    people: dict[str, dict[str, str]],
) -> dict[str, Any]:
    """The one diff, raw (``diff``, stable keys for scripts) and in words (``changes``)."""
    return {
        "from": first,
        "to": second,
        "diff": plan_diff.diff(old, new),
        "changes": plan_words.changes(old, new, people),
    }


def _int(request: Request, name: str) -> int:
    raw = request.path_params.get(name, request.query_params.get(name))
    try:
        return int(str(raw))
    except (TypeError, ValueError):
        raise BadRequest(f"{name} is not a number", name=name) from None


routes = [
    Route("/api/families/{family_id}/plan", current_plan),
    Route("/api/families/{family_id}/plan/versions", list_versions),
    Route("/api/families/{family_id}/plan/versions/{number}", get_version),
    Route("/api/families/{family_id}/plan/diff", diff_versions),
    Route("/api/meetings/{meeting_id}/close", close_meeting, methods=["POST"]),
    Route("/api/meetings/{meeting_id}/changes", meeting_changes),
]
