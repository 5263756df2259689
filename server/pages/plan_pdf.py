"""The family's own copy of its plan: ``GET /families/{id}/plan/pdf`` (the newest plan, or
``?version=N``) downloads it as a PDF to keep, print or send on.

Access as on the plan pages (``plan.open_plan``): no session 401, another family's or an
unknown id 404 (the same answer, audited in the asked family's log); whoever may read the
plan may keep a copy of it, as they may print it. Audited as ``download_plan``, which the
family sees on its "who looked at our plan" page: a download is a way the plan leaves the app.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..errors import NotFound
from ..messages import long_date_time, time_zone
from ..privacy.audit import Action
from ..services import services
from ..storage.models import utcnow
from .pdf_layout import plan_pdf
from .plan import open_plan, version_number, version_view


async def download_plan(request: Request) -> Response:
    ctx = await open_plan(request, Action.DOWNLOAD_PLAN)
    if not ctx.versions:
        raise NotFound("no plan yet")
    wanted = version_number(request.query_params.get("version", str(ctx.versions[-1].number)))
    version = next((v for v in ctx.versions if v.number == wanted), None)
    if version is None:
        raise NotFound("no such plan version")
    state = services(request)
    made = long_date_time(utcnow(), time_zone(ctx.family.time_zone))  # loaded with the plan
    font_dir = Path(state.settings.pdf_font_dir)
    body = plan_pdf(ctx.family.name, version_view(ctx, version), made, font_dir)
    return Response(
        body,
        media_type="application/pdf",
        headers={
            "content-disposition": f'attachment; filename="gezinsplan-{version.number}.pdf"',
            "cache-control": "no-store",
        },
    )


routes = [Route("/families/{family_id}/plan/pdf", download_plan, methods=["GET"])]
