"""JSON for the coordinator's table panel in the meeting room: the join code (and renewing it),
waiting requests (admit, refuse) and the people at the table (remove).

Only the meeting's own coordinator may read the lists or decide; the shared screen may read the
join code to show it. Every decision is audited; a removal closes the person's sockets (4410)
right after its commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import plans
from ..access import admission, guard
from ..access.admission import Seat
from ..access.sessions import Principal
from ..errors import NotLive, WrongRole
from ..join_codes import display, new_join_code
from ..messages import clock_time, long_date, t
from ..pages.family import qr_svg
from ..privacy.audit import Action, Outcome
from ..services import services
from ..storage.models import Meeting, MeetingStatus, as_utc

CODE_READERS = frozenset({"coordinator", "screen"})


async def _allowed(
    request: Request, action: Action, roles: frozenset[str]
) -> tuple[Principal, Meeting]:
    """The principal and meeting, if the principal's role may do ``action`` (else 403).
    (Origin and CSRF token of the POSTs are checked by ``server/middleware/csrf.py``.)"""
    principal, meeting = await guard.for_meeting(request, request.path_params["meeting_id"], action)
    if principal.role not in roles:
        await guard.audited(
            request, principal, action, Outcome.REFUSED, detail="not the coordinator"
        )
        raise WrongRole("not the coordinator")
    return principal, meeting


def code_json(request: Request, meeting: Meeting) -> dict[str, Any]:
    """The join code as the screen shows it, with its QR code (inline SVG markup)."""
    if meeting.status != MeetingStatus.LIVE:
        return {"live": False}
    code = display(meeting.join_code)
    base = services(request).settings.base_url
    return {
        "live": True,
        "code": code,
        "url": f"{base}/code",
        "qr": str(qr_svg(f"{base}/code#{code}", t("meeting.table.qr_label", code=code))),
    }


def _seat_json(seat: Seat, zone: Any) -> dict[str, Any]:
    # staff signed in with an account have no session of this meeting: removed by person
    who = f"participants/{seat.session_id}" if seat.session_id else f"people/{seat.person_id}"
    return {
        "session_id": seat.session_id,
        "remove_path": f"{who}/remove",
        "person_id": seat.person_id,
        "name": seat.name or t("meeting.table.screen"),
        "role": seat.role,
        "since": as_utc(seat.since).isoformat(),
        "since_text": long_date(seat.since, zone),
        "since_time": clock_time(seat.since, zone),  # in the family's zone, not the browser's
        "is_you": seat.is_you,
        "at_table": seat.at_table,
    }


async def join_code(request: Request) -> Response:
    _, meeting = await _allowed(request, Action.VIEW_JOIN_CODE, CODE_READERS)
    body = code_json(request, meeting)
    if body["live"]:
        async with services(request).sessions() as db:
            body["waiting"] = await admission.waiting_count(db, meeting)
    return JSONResponse(body)


async def renew_code(request: Request) -> Response:
    state = services(request)
    principal, meeting = await _allowed(request, Action.RENEW_JOIN_CODE, frozenset({"coordinator"}))
    async with state.sessions.begin() as db:
        renewed = await db.execute(
            update(Meeting)
            .where(Meeting.id == meeting.id, Meeting.status == MeetingStatus.LIVE)
            .values(join_code=new_join_code())
            .returning(Meeting.join_code)
        )
        code = renewed.scalar_one_or_none()
    if code is None:
        raise NotLive()
    meeting.join_code = code
    await guard.audited(request, principal, Action.RENEW_JOIN_CODE)
    return JSONResponse(code_json(request, meeting))


async def table(request: Request) -> Response:
    state = services(request)
    principal, meeting = await _allowed(request, Action.VIEW_TABLE, frozenset({"coordinator"}))
    room = state.rooms.rooms.get(meeting.id)
    connected = {peer.identity.person_id for peer in room.peers} if room else set()
    async with state.sessions() as db:
        waiting, seated = await admission.table(db, meeting, principal, connected)
        zone = await plans.family_zone(db, meeting.family_id)
    return JSONResponse(
        {
            "join": code_json(request, meeting),
            "waiting": [_seat_json(s, zone) for s in waiting],
            "seated": [
                # staff seats are listed because they are connected
                {
                    **_seat_json(s, zone),
                    "connected": not s.session_id or state.connections.count(s.session_id) > 0,
                }
                for s in seated
            ],
        }
    )


async def _decide(request: Request, admit: bool) -> Response:
    state = services(request)
    action = Action.ADMIT_PARTICIPANT if admit else Action.REFUSE_PARTICIPANT
    principal, meeting = await _allowed(request, action, frozenset({"coordinator"}))
    session_id = request.path_params["session_id"]
    async with (
        guard.refusals_audited(request, principal, action, f"session {session_id[:64]}"),
        state.sessions.begin() as db,
    ):
        session = await admission.decide(db, meeting, session_id, admit)
    detail = f"session {session.id}; person {session.person_id}"
    await guard.audited(request, principal, action, Outcome.OK, detail=detail)
    return JSONResponse({"session_id": session.id, "admission": session.admission})


async def admit(request: Request) -> Response:
    return await _decide(request, admit=True)


async def refuse(request: Request) -> Response:
    return await _decide(request, admit=False)


async def remove(request: Request) -> Response:
    state = services(request)
    principal, meeting = await _allowed(
        request, Action.REMOVE_PARTICIPANT, frozenset({"coordinator"})
    )
    session_id = request.path_params["session_id"]
    subject = f"session {session_id[:64]}"
    async with (
        guard.refusals_audited(request, principal, Action.REMOVE_PARTICIPANT, subject),
        state.sessions.begin() as db,
    ):
        target, revoked = await admission.remove(db, meeting, session_id, principal)
    closed = await state.connections.revoke(revoked)  # after the commit: see live/connections.py
    await guard.audited(
        request,
        principal,
        Action.REMOVE_PARTICIPANT,
        Outcome.OK,
        f"person {target.person_id or 'screen'}; sessions {len(revoked)}; sockets {closed}",
    )
    return JSONResponse({"removed": revoked, "sockets_closed": closed})


async def remove_staff(request: Request) -> Response:
    """Take a professional who signed in with an account out of the meeting."""
    state = services(request)
    principal, meeting = await _allowed(
        request, Action.REMOVE_PARTICIPANT, frozenset({"coordinator"})
    )
    person_id = request.path_params["person_id"]
    async with (
        guard.refusals_audited(
            request, principal, Action.REMOVE_PARTICIPANT, f"person {person_id[:64]}"
        ),
        state.sessions.begin() as db,
    ):
        user_id = await admission.remove_staff(db, meeting, person_id, principal)
    closed = await state.connections.remove_person(meeting.id, person_id)  # after the commit
    await guard.audited(
        request,
        principal,
        Action.REMOVE_PARTICIPANT,
        Outcome.OK,
        f"person {person_id}; user {user_id}; sockets {closed}",
    )
    return JSONResponse({"removed": [person_id], "sockets_closed": closed})


routes = [
    Route("/api/meetings/{meeting_id}/join-code", join_code, methods=["GET"]),
    Route("/api/meetings/{meeting_id}/join-code", renew_code, methods=["POST"]),
    Route("/api/meetings/{meeting_id}/table", table, methods=["GET"]),
    Route("/api/meetings/{meeting_id}/requests/{session_id}/admit", admit, methods=["POST"]),
    Route("/api/meetings/{meeting_id}/requests/{session_id}/refuse", refuse, methods=["POST"]),
    Route("/api/meetings/{meeting_id}/participants/{session_id}/remove", remove, methods=["POST"]),
    Route("/api/meetings/{meeting_id}/people/{person_id}/remove", remove_staff, methods=["POST"]),
]
