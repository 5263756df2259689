"""How long the session has left, which every page polls to warn before it ends, and the
"stay signed in" button."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..access import guard
from ..access.sessions import Visitor
from ..messages import t
from ..storage.models import utcnow


def _status(found: Visitor) -> dict[str, object]:
    now = utcnow()
    return {
        "ends_in": max(0, int((found.ends_at - now).total_seconds())),
        "expires_in": max(0, int((found.expires_at - now).total_seconds())),
    }


async def session_status(request: Request) -> Response:
    """How long the session has left; asking does not count as activity."""
    found = await guard.visitor(request, touch=False)
    if found is None:
        return JSONResponse({"error": "not_signed_in", "message": t("session.ended")}, 401)
    return JSONResponse(_status(found))


async def keep_alive(request: Request) -> Response:
    """The "stay signed in" button: counts as activity, so the idle timeout starts over."""
    found = await guard.visitor(request, touch=True)
    if found is None:
        return JSONResponse({"error": "not_signed_in", "message": t("session.ended")}, 401)
    return JSONResponse(_status(found))


routes = [
    Route("/session", session_status, methods=["GET"]),
    Route("/session/keepalive", keep_alive, methods=["POST"]),
]
