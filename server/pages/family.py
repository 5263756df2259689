"""The coordinator's family page: the people at the table, the plan versions, the live meeting,
and a personal invite link (with a QR code) per person.

The coordinator reaches it after a staff login (from the list of their families) or with an
invite link of the family.

Access rules, as in ``api.py``: no session → 401; another family's id or an unknown id → 404
(nothing about other families can be learned); someone else of the family → 403 with a kind
page that points to the plan. An invite token is shown exactly once, in the page that answers
the POST that made it; it is never stored in plain text, logged or written to the audit log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import segno
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .. import file_actions, people
from ..access import guard
from ..access.admission import withdraw_links
from ..access.sessions import Principal, create_invite
from ..errors import FileError, NotFound, PlanError
from ..messages import language_query, long_date, long_date_time, t
from ..privacy.audit import Action, Outcome
from ..services import services
from ..storage.models import Family, Invite, Meeting, MeetingStatus, Person, PlanVersion
from .base import family_member, read_form
from .templating import TEMPLATES

GROUPS = ("family", "network", "professional", "coordinator")  # the order on the page
SCREEN = "screen"  # the key of the shared screen among the people's keys
TITLE_MAX = 200
STYLE_ATTRIBUTE = re.compile(r"""\sstyle=(?:"[^"]*"|'[^']*')""")


@dataclass
class Made:
    """A link just made: shown once, in the answer to the POST that made it."""

    key: str  # person id, or SCREEN
    name: str
    url: str
    qr: Markup


@dataclass
class PageState:
    """What the family page shows besides the database: a message and a link just made."""

    error: str = ""
    made: Made | None = None
    title: str = ""
    notice: str = ""  # what just happened, e.g. a link withdrawn


def link_lifetime(hours: float) -> str:
    """How long a new link works, in words: ``3 dagen``, ``1 dag`` or ``12 uur``."""
    if hours >= 24 and hours % 24 == 0:
        days = int(hours // 24)
        return t("family.days", days=days)
    return t("family.hours", hours=hours)  # 1,5 in Dutch, 1.5 in English


def qr_svg(url: str, label: str) -> Markup:
    """The link as an inline SVG QR code: no style attributes (the CSP forbids inline styles),
    scalable by CSS (viewBox, no size), and named for screen readers."""
    svg = segno.make(url, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", omitsize=True, svgclass="family-qr"
    )
    svg = STYLE_ATTRIBUTE.sub("", svg)  # segno 1.6 writes none; a later one must not slip in
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))


async def _live_meeting(db: AsyncSession, family_id: str) -> Meeting | None:
    meeting: Meeting | None = await db.scalar(
        select(Meeting).where(Meeting.family_id == family_id, Meeting.status == MeetingStatus.LIVE)
    )
    return meeting


async def _render(
    request: Request, principal: Principal, page: PageState, status: int = 200
) -> Response:
    state = services(request)
    family_id = principal.family_id
    async with state.sessions() as db:
        family = await db.get(Family, family_id)
        if family is None:  # a session outlived its family (erased)
            raise NotFound()
        members = await people.of_family(db, family_id)
        versions = list(
            await db.scalars(
                select(PlanVersion)
                .where(PlanVersion.family_id == family_id)
                .order_by(PlanVersion.number.desc())
            )
        )
        meeting = await _live_meeting(db, family_id)
        planned = list(
            await db.scalars(
                select(Meeting)
                .where(Meeting.family_id == family_id, Meeting.status == MeetingStatus.SCHEDULED)
                .order_by(Meeting.starts_at.is_(None), Meeting.starts_at, Meeting.created_at)
            )
        )
        invites = (
            list(await db.scalars(select(Invite).where(Invite.meeting_id == meeting.id)))
            if meeting
            else []
        )
    groups = {role: [p for p in members if p.role == role] for role in GROUPS}
    return TEMPLATES.TemplateResponse(
        request,
        "family.html",
        {
            "principal": principal,
            "family": family,
            "groups": groups,
            "versions": [
                {
                    "number": v.number,
                    "title": str(v.plan.get("title") or ""),
                    "date": long_date(v.closed_at),
                }
                for v in versions
            ],
            "meeting": meeting,
            "planned": [
                {
                    "id": m.id,
                    "title": m.title,
                    "when": long_date_time(m.starts_at) if m.starts_at else "",
                    "place": m.place,
                }
                for m in planned
            ],
            "closed": long_date(family.closed_at) if family.closed_at else "",
            "default_title": f"Rondetafeloverleg {family.name}",  # as plans.start_meeting
            "link_state": _link_state(invites),
            "lifetime": link_lifetime(state.settings.invite_ttl_hours),
            "page": page,
        },
        status,
    )


def _link_state(invites: list[Invite]) -> dict[str, str]:
    """Per person id (or SCREEN): ``used`` when a link of this meeting was used, else ``made``
    when one was made. Lets the coordinator see who is in without showing any link again."""
    found: dict[str, str] = {}
    for invite in invites:
        key = invite.person_id or SCREEN
        if invite.used_at is not None:
            found[key] = "used"
        elif invite.revoked_at is None:
            found.setdefault(key, "made")
    return found


async def family_page(request: Request) -> Response:
    principal = await family_member(request, Action.VIEW_FAMILY)
    await guard.audited(request, principal, Action.VIEW_FAMILY)
    return await _render(request, principal, PageState())


async def start_meeting(request: Request) -> Response:
    """Start a round table now (without planning it first)."""
    principal = await family_member(request, Action.START_MEETING)
    form = await read_form(request)
    title = " ".join(form.get("title", "").split())[:TITLE_MAX]
    try:
        await file_actions.start_meeting(request, principal, None, title)
    except (PlanError, FileError) as exc:  # audited as refused by file_actions
        return await _render(request, principal, PageState(error=t(exc.key), title=title), 409)
    return RedirectResponse(
        f"/families/{principal.family_id}?as={principal.session_id}#overleg", 303
    )


async def make_invite(request: Request) -> Response:
    """Make a personal link for one person (or the shared screen) of the live meeting, and
    show it once: the answer is the page itself (200), not a redirect."""
    state = services(request)
    principal = await family_member(request, Action.CREATE_INVITE)
    form = await read_form(request)
    person_id = form.get("person_id", "")
    for_screen = bool(form.get("screen")) and not person_id
    ttl = timedelta(hours=state.settings.invite_ttl_hours)
    async with state.sessions.begin() as db:
        person = await db.get(Person, person_id) if person_id else None
        unknown = person is None and not for_screen
        if person is not None and (
            person.family_id != principal.family_id or person.removed_at is not None
        ):
            unknown = True
        meeting = None if unknown else await _live_meeting(db, principal.family_id)
        token = None
        if meeting is not None:
            role = person.role if person is not None else "screen"
            token = await create_invite(db, state.settings.secret_key, meeting, person, role, ttl)
    key = person.id if person is not None else SCREEN
    if unknown:
        await guard.audited(
            request, principal, Action.CREATE_INVITE, Outcome.REFUSED, detail="unknown person"
        )
        raise NotFound()
    if meeting is None or token is None:
        await guard.audited(
            request,
            principal,
            Action.CREATE_INVITE,
            Outcome.REFUSED,
            detail=f"no live meeting; for {key}",
        )
        return await _render(request, principal, PageState(error=t("family.error_no_meeting")), 409)
    await guard.audited(
        request,
        principal,
        Action.CREATE_INVITE,
        Outcome.OK,
        detail=f"meeting {meeting.id}; for {key}",
    )
    name = person.name if person is not None else t("family.screen")
    url = (
        f"{state.settings.base_url}/join/{token}{language_query(person.language if person else '')}"
    )
    made = Made(key, name, url, qr_svg(url, t("family.qr_label", name=name)))
    return await _render(request, principal, PageState(made=made))


async def withdraw_invite(request: Request) -> Response:
    """Withdraw the unused links of one person (or the shared screen) for the live meeting."""
    state = services(request)
    principal = await family_member(request, Action.WITHDRAW_INVITE)
    form = await read_form(request)
    person_id = form.get("person_id", "") or None
    async with state.sessions.begin() as db:
        person = await db.get(Person, person_id) if person_id else None
        if person_id and (person is None or person.family_id != principal.family_id):
            await guard.audited(
                request, principal, Action.WITHDRAW_INVITE, Outcome.REFUSED, "unknown person"
            )
            raise NotFound("unknown person")
        meeting = await _live_meeting(db, principal.family_id)
        withdrawn = await withdraw_links(db, meeting.id, person_id) if meeting else 0
    detail = f"for {person_id or SCREEN}; links {withdrawn}"
    await guard.audited(request, principal, Action.WITHDRAW_INVITE, Outcome.OK, detail)
    name = person.name if person is not None else t("family.screen")
    return await _render(request, principal, PageState(notice=t("family.withdrawn", name=name)))


routes = [
    Route("/families/{family_id}", family_page, methods=["GET"]),
    Route("/families/{family_id}/meetings", start_meeting, methods=["POST"]),
    Route("/families/{family_id}/invites", make_invite, methods=["POST"]),
    Route("/families/{family_id}/invites/withdraw", withdraw_invite, methods=["POST"]),
]
