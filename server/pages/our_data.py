""" "What does Rondetafel know about us?": the family's right of access, in plain Dutch
(``GET /families/{id}/our-data``).

The coordinator's export (``pages/privacy.py``) is one JSON file for the record; this page is
for the family itself: who is on their file and what is written about each, their meetings
and plans, the links and sign-ins made for them (never a token), how long it is kept, and
what they can do about it (correct, a copy as PDF, who looked, erasure through the
coordinator).

Access: the family's own members and its coordinator (``base.family_member``); no session
401, another family 404, the network and professionals 403 (it lists every person of the
family). Audited as ``view_own_data``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..access import guard
from ..crdt.schema import Role
from ..messages import long_date, long_date_time, time_zone
from ..privacy.audit import Action
from ..services import services
from ..storage.models import Invite, Meeting, Person, PlanVersion, Session
from .base import family_member, own_family
from .templating import TEMPLATES

READERS = (Role.FAMILY, Role.COORDINATOR)
ROLE_ORDER = (Role.FAMILY, Role.NETWORK, Role.PROFESSIONAL, Role.COORDINATOR)


@dataclass(frozen=True, slots=True)
class MeetingLine:
    title: str
    status: str
    started: str
    closed: str


async def our_data(request: Request) -> Response:
    principal = await family_member(request, Action.VIEW_OWN_DATA, READERS)
    state = services(request)
    async with state.sessions() as db:
        family = await own_family(db, principal)
        zone = time_zone(family.time_zone)
        people = sorted(
            await db.scalars(select(Person).where(Person.family_id == family.id)),
            key=lambda p: (ROLE_ORDER.index(p.role) if p.role in ROLE_ORDER else 9, p.name),
        )
        meetings = [
            MeetingLine(
                m.title,
                m.status,
                long_date_time(m.started_at, zone) if m.started_at else "",
                long_date_time(m.closed_at, zone) if m.closed_at else "",
            )
            for m in await db.scalars(
                select(Meeting).where(Meeting.family_id == family.id).order_by(Meeting.created_at)
            )
        ]
        versions = [
            (number, long_date(closed_at, zone))
            for number, closed_at in await db.execute(
                select(PlanVersion.number, PlanVersion.closed_at)
                .where(PlanVersion.family_id == family.id)
                .order_by(PlanVersion.number)
            )
        ]
        links = await db.scalar(
            select(func.count())
            .select_from(Invite)
            .join(Meeting, Meeting.id == Invite.meeting_id)
            .where(Meeting.family_id == family.id)
        )
        sign_ins = await db.scalar(
            select(func.count()).select_from(Session).where(Session.family_id == family.id)
        )
    await guard.audited(request, principal, Action.VIEW_OWN_DATA)
    return TEMPLATES.TemplateResponse(
        request,
        "our_data.html",
        {
            "principal": principal,
            "family": family,
            "since": long_date(family.created_at, zone),
            "people": people,
            "meetings": meetings,
            "versions": versions,
            "links": int(links or 0),
            "sign_ins": int(sign_ins or 0),
            "retention_years": state.settings.retention_years,
            "coordinators": [p.name for p in people if p.role == Role.COORDINATOR],
        },
    )


routes = [Route("/families/{family_id}/our-data", our_data, methods=["GET"])]
