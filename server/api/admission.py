"""What a tablet's waiting page polls until the coordinator admits or refuses it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..access.admission import waiting_for
from ..messages import t


async def admission_status(request: Request) -> Response:
    """What the waiting page polls: ``{"status": …}`` and, once admitted, where to go."""
    waiting = await waiting_for(request)
    if waiting is None:
        return JSONResponse(
            {"error": "not_signed_in", "message": t("common.not_signed_in_text")}, 401
        )
    return JSONResponse({"status": waiting.status, "meeting_url": waiting.meeting_url})


routes = [Route("/api/admission", admission_status, methods=["GET"])]
