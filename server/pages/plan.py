"""The family plan as pages to read and print: the newest plan version, any older version, and
what changed between two versions. Server-rendered, read-only, in plain Dutch (B1).

Access is per family: no session answers 401; a session of another family gets the same 404 as
an id that does not exist. Every page view is written to the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import plan_words, plans
from ..access import guard
from ..access.sessions import Principal
from ..crdt import part_trace, schema
from ..errors import NotFound
from ..messages import long_date, t, time_zone
from ..privacy.audit import Action
from ..services import services
from ..storage.models import Family, PlanVersion
from . import plan_view as view
from .templating import TEMPLATES

Person = dict[str, str]


TEMPLATES.env.filters["plan_date"] = long_date


@dataclass(frozen=True, slots=True)
class Version:
    number: int
    closed_at: datetime
    closed_by: str | None
    plan: schema.Plan


@dataclass(frozen=True, slots=True)
class Context:
    """Everything a plan page needs after the access check."""

    principal: Principal
    family: Family
    versions: list[Version]
    people: dict[str, Person]


async def open_plan(request: Request, action: Action = Action.VIEW_PLAN) -> Context:
    """Check the session and the family, write the audit row (``view_plan`` or
    ``print_plan``), load the versions."""
    state = services(request)
    requested = str(request.path_params["family_id"])
    principal = await guard.for_family(request, requested, action)
    async with state.sessions() as db:
        family = await db.get(Family, principal.family_id)
        if family is None:
            raise NotFound()
        rows = await db.execute(
            select(
                PlanVersion.number,
                PlanVersion.closed_at,
                PlanVersion.closed_by,
                PlanVersion.plan,
            )
            .where(PlanVersion.family_id == family.id)
            .order_by(PlanVersion.number)
        )
        versions = [Version(*row) for row in rows]
        people = await plans.people_of(db, family.id)
    await guard.audited(request, principal, action)
    return Context(principal, family, versions, people)


async def current_plan(request: Request) -> Response:
    ctx = await open_plan(request)
    if not ctx.versions:
        return _render(request, "plan_empty.html", ctx, {})
    return _render_version(request, ctx, ctx.versions[-1])


async def plan_version(request: Request) -> Response:
    ctx = await open_plan(request)
    number = version_number(str(request.path_params["number"]))
    version = next((v for v in ctx.versions if v.number == number), None)
    if version is None:
        raise NotFound()
    return _render_version(request, ctx, version)


async def compare(request: Request) -> Response:
    ctx = await open_plan(request)
    if not ctx.versions:
        return _render(request, "plan_empty.html", ctx, {})
    numbers = [v.number for v in ctx.versions]
    default_from = numbers[-2] if len(numbers) > 1 else numbers[-1]
    first = version_number(request.query_params.get("from", str(default_from)))
    second = version_number(request.query_params.get("to", str(numbers[-1])))
    if first is None or second is None:
        extra = {"bad_request": True, "selected": (default_from, numbers[-1])}
        return _render(request, "plan_compare.html", ctx, extra, 400)
    by_number = {v.number: v for v in ctx.versions}
    if first not in by_number or second not in by_number:
        raise NotFound()
    old, new = sorted((by_number[first], by_number[second]), key=lambda v: v.number)
    extra = {
        "old": _version_row(ctx, old),
        "new": _version_row(ctx, new),
        "same": old.number == new.number,
        "changes": plan_words.changes(old.plan, new.plan, ctx.people),
        "selected": (old.number, new.number),
    }
    return _render(request, "plan_compare.html", ctx, extra)


async def print_plan(request: Request) -> Response:
    """The plan (the newest, or ``?version=N``) laid out for paper; the page opens the print
    dialog itself. Audited as ``print_plan``: printing is a way the plan leaves the app."""
    ctx = await open_plan(request, Action.PRINT_PLAN)
    if not ctx.versions:
        return _render(request, "plan_empty.html", ctx, {})
    number = version_number(request.query_params.get("version", str(ctx.versions[-1].number)))
    version = next((v for v in ctx.versions if v.number == number), None)
    if version is None:
        raise NotFound()
    return _render_version(request, ctx, version, printing=True)


def version_number(raw: str) -> int | None:
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        return None
    return int(raw)


def _render(
    request: Request, template: str, ctx: Context, extra: dict[str, Any], status: int = 200
) -> Response:
    numbers = [v.number for v in ctx.versions]
    values = {
        "principal": ctx.principal,
        "family": ctx.family,
        "versions": [_version_row(ctx, v) for v in reversed(ctx.versions)],
        # the compare form starts at "what changed at the last round table"
        "selected": (numbers[-2], numbers[-1]) if len(numbers) > 1 else (None, None),
        **extra,
    }
    return TEMPLATES.TemplateResponse(request, template, values, status)


def _render_version(
    request: Request, ctx: Context, version: Version, printing: bool = False
) -> Response:
    extra = {**version_view(ctx, version), "printing": printing}
    earlier = [v for v in ctx.versions if v.number < version.number]
    if printing and earlier:  # on paper, what changed since the plan before belongs with it
        extra["since"] = earlier[-1].number
        changes = plan_words.changes(earlier[-1].plan, version.plan, ctx.people)
        # the report, who was there and the next date are under "Verslag" (once, as on the page)
        extra["changes"] = plan_words.plan_changes_only(changes)
    if version.number != ctx.versions[-1].number:
        # on an older plan, offer to compare it with the newest one
        extra["selected"] = (version.number, ctx.versions[-1].number)
    return _render(request, "plan.html", ctx, extra)


def version_view(ctx: Context, version: Version) -> dict[str, Any]:
    """One plan version as people read it (the plan page, its print view and its PDF)."""
    plan = version.plan
    words = plan_words.Words(plan, plan, ctx.people)
    history = [v for v in ctx.versions if v.number <= version.number]
    goal_ids: set[str] = set()
    goals = []
    for number, goal in enumerate(view.items(plan, "goals"), start=1):
        goal_ids.add(str(goal.get("id")))
        goals.append(
            {
                "number": number,
                **_goal_view(ctx, plan, goal, history),
                "trace": words.trace(goal, "goals"),
            }
        )
    actions = [
        {**_action_view(ctx, plan, a), "trace": words.trace(a, "actions")}
        for a in view.items(plan, "actions")
    ]
    for goal in goals:
        goal["actions"] = [a for a in actions if a["goal_id"] == goal["id"]]
    other_actions = [a for a in actions if a["goal_id"] not in goal_ids]
    contacts = [
        {"domain": view.domain(domain), "person": _person(ctx, plan, person_id)}
        for domain, person_id in view.mapping(plan, "contacts").items()
    ]
    decisions = [
        {
            "text": view.text(d.get("text")),
            "reason": view.text(d.get("reason")),
            "options": view.text(d.get("options")),
            "lang": view.language(d.get("lang")),
            "trace": words.trace(d, "decisions"),
            # (nobody known: ``who`` says "Onbekend")
            "lifted": t(
                "plan.lifted_line",
                date=long_date(d["lifted_at"]),
                who=words.who(d.get("lifted_by")),
            )
            if d.get("lifted_at")
            else "",
        }
        for d in view.items(plan, "decisions")
    ]
    removed = [
        {
            "kind": t(f"plan.removed_kind.{r['list']}"),
            "text": view.text(r.get("text")),
            "by": t(
                "plan.removed_line",
                date=long_date(r.get("removed_at")) or "",
                who=words.who(r.get("removed_by"), r["list"] == "goals"),
            ),
        }
        for r in view.items(plan, "removed")
        if r.get("list") in schema.LISTS
    ]
    return {
        "version": _version_row(ctx, version),
        "older": version.number != ctx.versions[-1].number,
        "plan": {
            "title": view.text(plan.get("title")),
            "vision": view.text(plan.get("vision")),
            "strengths": view.text(plan.get("strengths")),
            "concerns": view.text(plan.get("concerns")),
            "minutes": view.text(plan.get("minutes")),
            "next_meeting": long_date(plan.get("next_meeting")),
        },
        # the language each text was written in, for its ``lang`` (read aloud speaks it)
        "languages": {
            name: view.language(view.mapping(plan, "languages").get(name)) for name in schema.TEXTS
        },
        "goals": goals,
        "other_actions": other_actions,
        "contacts": contacts,
        "decisions": decisions,
        "removed": removed,
        "attendance": view.attendance(plan),
        # who changed the vision, strengths, concerns at this version's meeting
        "changed": {
            part: t("plan.part_changed", who=words.who_all(people, part in plan_words.FAMILY_PARTS))
            for part, people in view.mapping(plan, part_trace.ROOT).items()
            if part in ("vision", "strengths", "concerns") and isinstance(people, list) and people
        },
    }


def _version_row(ctx: Context, version: Version) -> dict[str, Any]:
    closed_by = _person(ctx, version.plan, version.closed_by) if version.closed_by else None
    return {
        "number": version.number,
        "date": long_date(version.closed_at, time_zone(ctx.family.time_zone)),
        "closed_by": closed_by["name"] if closed_by else "",
        "latest": version.number == ctx.versions[-1].number,
    }


def _goal_view(
    ctx: Context, plan: schema.Plan, goal: dict[str, Any], history: list[Version]
) -> dict[str, Any]:
    goal_id = goal.get("id")
    points: list[tuple[int, int]] = []
    for version in history:
        earlier = next(
            (g for g in view.items(version.plan, "goals") if g.get("id") == goal_id), None
        )
        score = view.score(earlier.get("score")) if earlier else None
        if score is not None:
            points.append((version.number, score))
    score = view.score(goal.get("score"))
    return {
        "id": str(goal_id),
        "text": view.text(goal.get("text")),
        "domain": view.domain(goal.get("domain")),
        "professional_view": view.text(goal.get("professional_view")),
        "lang": view.language(goal.get("lang")),
        "score": score,
        "score_line": _score_line(score, view.score(goal.get("last_score"))),
        "chart": view.chart(points),
    }


def _score_line(score: int | None, last: int | None) -> str:
    """The goal's score in words, one sentence for the page, its print and its PDF alike: a
    goal not scored this time says what it had last time, not that it never had one."""
    if score is not None:
        return t("plan.score_value", score=score)
    if last is not None:
        return t("plan.last_score_only", score=last)
    return t("plan.no_score")


def _action_view(ctx: Context, plan: schema.Plan, action: dict[str, Any]) -> dict[str, Any]:
    status = action.get("status")
    status = status if status in schema.ACTION_STATUSES else "open"  # as schema.extract does
    carried = action.get("carried_from")
    return {
        "goal_id": str(action["goal_id"]) if action.get("goal_id") else None,
        "text": view.text(action.get("text")),
        "lang": view.language(action.get("lang")),
        "owner": _person(ctx, plan, action.get("owner_id")) if action.get("owner_id") else None,
        "due": long_date(action.get("due")),
        "status": status,
        "status_label": view.label("common.statuses", status),
        "evaluation": view.text(action.get("evaluation")),
        # not evaluated at this round table: what the one before said stays readable
        "last_evaluation": view.text(action.get("last_evaluation")),
        "carried_from": None if isinstance(carried, bool) else view.whole(carried),
    }


def _person(ctx: Context, plan: schema.Plan, person_id: Any) -> Person:
    """Name and a short description of a person: the plan's own record first (the plan is
    what was agreed then), the family's current people list second."""
    known = view.mapping(plan, "people").get(str(person_id)) or ctx.people.get(str(person_id))
    if not isinstance(known, dict) or not known.get("name"):
        return {"name": t("plan.unknown_person"), "about": ""}
    about = ", ".join(str(known[k]) for k in ("relation", "organisation") if known.get(k))
    return {"name": str(known["name"]), "about": about}


routes = [
    Route("/families/{family_id}/plan", current_plan),
    Route("/families/{family_id}/plan/versions/{number}", plan_version),
    Route("/families/{family_id}/plan/compare", compare),
    Route("/families/{family_id}/plan/print", print_plan),
]
