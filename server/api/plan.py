"""JSON under ``/api``: a family's plan, its versions and their differences; closing.

Every route checks the session's family. Another family's ids answer 404, exactly like ids
that do not exist, so nothing about other families can be learned here."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import plans
from ..access import guard
from ..access.sessions import Principal
from ..crdt import schema
from ..crdt.manager import RoomShut
from ..storage.models import Meeting, PlanVersion


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


NOT_FOUND = ApiError(404, "not_found", "Niet gevonden.")
NOT_SIGNED_IN = ApiError(
    401, "not_signed_in", "Je bent niet aangemeld. Meld je aan of open je persoonlijke link."
)


NOT_ADMITTED = ApiError(403, "not_admitted", "Je bent niet toegelaten tot het overleg.")


def _raise(refusal: guard.Refusal) -> ApiError:
    if refusal is guard.NOT_SIGNED_IN:
        return NOT_SIGNED_IN
    if refusal in (guard.NOT_ADMITTED, guard.REMOVED):
        return NOT_ADMITTED
    return NOT_FOUND


async def _family(request: Request, action: str) -> Principal:
    found = await guard.for_family(request, request.path_params["family_id"], action)
    if isinstance(found, guard.Refusal):
        raise _raise(found)
    await guard.audited(request, found, action)
    return found


async def _meeting(request: Request, action: str) -> tuple[Principal, Meeting]:
    """The principal at the meeting's family and the meeting (else 401/404)."""
    found = await guard.for_meeting(request, request.path_params["meeting_id"], action)
    if isinstance(found, guard.Refusal):
        raise _raise(found)
    return found


def handles_errors(endpoint: Any) -> Any:
    async def wrapped(request: Request) -> Response:
        try:
            result: Response = await endpoint(request)
        except ApiError as exc:
            return JSONResponse({"error": exc.code, "message": exc.message}, exc.status)
        except plans.PlanError as exc:
            return JSONResponse({"error": "conflict", "message": str(exc)}, 409)
        except RoomShut:  # the family was erased while this request ran
            return JSONResponse({"error": NOT_FOUND.code, "message": NOT_FOUND.message}, 404)
        return result

    return wrapped


async def _versions(request: Request) -> list[PlanVersion]:
    async with request.app.state.sessions() as db:
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
    raise NOT_FOUND


@handles_errors
async def current_plan(request: Request) -> Response:
    await _family(request, "view_plan")
    versions = await _versions(request)
    if not versions:
        raise NOT_FOUND
    return JSONResponse(plans.version_json(versions[-1]))


@handles_errors
async def list_versions(request: Request) -> Response:
    await _family(request, "view_plan")
    return JSONResponse(
        {
            "versions": [
                {k: v for k, v in plans.version_json(version).items() if k != "plan"}
                for version in await _versions(request)
            ]
        }
    )


@handles_errors
async def get_version(request: Request) -> Response:
    await _family(request, "view_plan")
    return JSONResponse(plans.version_json(await _version(request, _int(request, "number"))))


@handles_errors
async def diff_versions(request: Request) -> Response:
    await _family(request, "view_plan")
    old = await _version(request, _int(request, "from"))
    new = await _version(request, _int(request, "to"))
    return JSONResponse(
        {"from": old.number, "to": new.number, "diff": plans.diff(old.plan, new.plan)}
    )


@handles_errors
async def close_meeting(request: Request) -> Response:
    state = request.app.state
    principal, meeting = await _meeting(request, "close_meeting")
    meeting_id = meeting.id
    if principal.role != "coordinator":
        await guard.audited(request, principal, "close_meeting", "refused")
        raise ApiError(403, "not_allowed", "Alleen de regisseur kan het overleg afsluiten.")
    version = await plans.close_meeting(
        state.sessions, state.rooms, meeting_id, principal.person_id
    )
    await guard.audited(
        request, principal, "close_meeting", "ok", detail=f"plan version {version.number}"
    )
    return JSONResponse(plans.version_json(version), 201)


@handles_errors
async def meeting_changes(request: Request) -> Response:
    """What changed in the live meeting since the family's last plan version."""
    state = request.app.state
    principal, meeting = await _meeting(request, "view_plan")
    async with state.sessions() as db:
        last = await plans.latest_version(db, meeting.family_id)
    async with state.rooms.hold(meeting.id) as room:
        current = schema.extract(room.doc)
    await guard.audited(request, principal, "view_plan")
    before = last.plan if last else schema.empty_plan()
    return JSONResponse(
        {"from": last.number if last else None, "diff": plans.diff(before, current)}
    )


def _int(request: Request, name: str) -> int:
    raw = request.path_params.get(name, request.query_params.get(name))
    try:
        return int(str(raw))
    except (TypeError, ValueError):
        raise ApiError(400, "bad_request", f"'{name}' moet een getal zijn.") from None


routes = [
    Route("/api/families/{family_id}/plan", current_plan),
    Route("/api/families/{family_id}/plan/versions", list_versions),
    Route("/api/families/{family_id}/plan/versions/{number}", get_version),
    Route("/api/families/{family_id}/plan/diff", diff_versions),
    Route("/api/meetings/{meeting_id}/close", close_meeting, methods=["POST"]),
    Route("/api/meetings/{meeting_id}/changes", meeting_changes),
]
