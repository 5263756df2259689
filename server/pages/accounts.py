"""Staff accounts on the web: the admin's page (``/admin/accounts``: create, disable, reset)
and the page where a staff member sets their password with an account invitation
(``/account/{token}``).

The admin page uses the functions the command line uses (``access/accounts.py``), and is
audited the same way (``admin_action``, ids only). Only a signed-in account with the admin
role reaches it: no session answers 401, any other account 403, each refusal audited. A new
account has no password; the admin hands its owner a one-time link instead, so no password
ever passes through another person's hands. The link is shown once, in the answer to the
POST that made it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import field_checks
from ..access import accounts, guard
from ..access.account_invites import (
    create_account_invite,
    find_account_invite,
    redeem_account_invite,
    reset_password,
)
from ..access.sessions import Visitor
from ..errors import AccountError, AccountInviteError, NotFound, NotSignedIn, WrongRole
from ..messages import language_query, t
from ..privacy import audit
from ..privacy.audit import Action, Actor, Outcome
from ..services import services
from ..storage.models import User
from .base import read_form
from .family import link_lifetime
from .templating import TEMPLATES

ADMIN = "admin"
PASSWORD_FIELD_MAX = 1024  # as the login form


@dataclass(frozen=True, slots=True)
class MadeLink:
    """A password link just made: shown once."""

    user_id: str
    name: str
    url: str
    lifetime: str


def account_link(request: Request, user: User, token: str) -> MadeLink:
    settings = services(request).settings
    return MadeLink(
        user.id,
        user.display_name,
        f"{settings.base_url}/account/{token}{language_query(user.language)}",
        link_lifetime(settings.account_invite_ttl_hours),
    )


def invite_ttl(request: Request) -> timedelta:
    return timedelta(hours=services(request).settings.account_invite_ttl_hours)


async def _admin(request: Request, what: str) -> Visitor:
    """The signed-in admin; anyone else is refused (and audited) before anything is read."""
    found = await guard.visitor(request)
    if found is None:
        detail = guard.from_where(request, f"{what}: no valid session")
        await guard.audited_as(
            request, guard.ANONYMOUS, Action.ADMIN_ACTION, Outcome.REFUSED, detail
        )
        raise NotSignedIn()
    if not found.is_staff or found.role != ADMIN:
        detail = f"{what}: role {found.role} is not admin"
        await guard.audited_as(
            request, guard.actor_of(found), Action.ADMIN_ACTION, Outcome.REFUSED, detail
        )
        raise WrongRole(detail)
    return found


async def _audited(
    request: Request, admin: Visitor, detail: str, outcome: Outcome = Outcome.OK
) -> None:
    await guard.audited_as(request, guard.actor_of(admin), Action.ADMIN_ACTION, outcome, detail)


async def _page(
    request: Request,
    admin: Visitor,
    *,
    error: str = "",
    notice: str = "",
    made: MadeLink | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    async with services(request).sessions() as db:
        users = list(await db.scalars(select(User).order_by(User.username)))
    return TEMPLATES.TemplateResponse(
        request,
        "admin_accounts.html",
        {
            "admin": admin,
            "users": users,
            "roles": accounts.STAFF_ROLES,
            "error": error,
            "notice": notice,
            "made": made,
            "typed": typed or {},
        },
        status,
    )


async def accounts_page(request: Request) -> Response:
    admin = await _admin(request, "view accounts")
    await _audited(request, admin, "view accounts")
    return await _page(request, admin)


async def create_account(request: Request) -> Response:
    admin = await _admin(request, "user add")
    state = services(request)
    form = await read_form(request)
    typed = {k: form.get(k, "") for k in ("username", "name", "role", "language")}
    language = field_checks.language(typed["language"])
    try:
        async with state.sessions.begin() as db:
            user = await accounts.create_user(
                db, typed["username"], typed["name"], typed["role"], None, language
            )
            token = await create_account_invite(
                db, state.settings.secret_key, user, admin.user_id, invite_ttl(request)
            )
    except AccountError as exc:  # nothing stored: the transaction rolled back
        await _audited(request, admin, f"user add: {exc.reason}", Outcome.REFUSED)
        return await _page(request, admin, error=t(exc.key), typed=typed, status=400)
    await _audited(request, admin, f"user add {user.id}")
    notice = t("accounts.created", name=user.display_name)
    return await _page(request, admin, notice=notice, made=account_link(request, user, token))


async def _target(request: Request, admin: Visitor, what: str) -> User:
    """The account in the path; the admin's own is refused (no locking oneself out)."""
    user_id = str(request.path_params["user_id"])
    async with services(request).sessions() as db:
        user = await db.get(User, user_id)
    if user is None:
        await _audited(request, admin, f"{what}: unknown account", Outcome.REFUSED)
        raise NotFound("unknown account")
    if user.id == admin.user_id:
        await _audited(request, admin, f"{what} {user.id}: own account", Outcome.REFUSED)
        raise AccountError("An admin cannot do this to their own account.", "self")
    return user


async def disable_account(request: Request) -> Response:
    admin = await _admin(request, "user disable")
    try:
        user = await _target(request, admin, "user disable")
    except AccountError as exc:
        return await _page(request, admin, error=t(exc.key), status=400)
    async with services(request).sessions.begin() as db:
        await accounts.disable_user(db, user.username)
    await _audited(request, admin, f"user disable {user.id}")
    return await _page(request, admin, notice=t("accounts.disabled", name=user.display_name))


async def reset_account(request: Request) -> Response:
    admin = await _admin(request, "user password")
    state = services(request)
    try:
        user = await _target(request, admin, "user password")
    except AccountError as exc:
        return await _page(request, admin, error=t(exc.key), status=400)
    async with state.sessions.begin() as db:
        fresh = await db.get(User, user.id)
        assert fresh is not None
        token = await reset_password(
            db, state.settings.secret_key, fresh, admin.user_id, invite_ttl(request)
        )
    await _audited(request, admin, f"user password {user.id}")
    notice = t("accounts.reset_done", name=user.display_name)
    return await _page(request, admin, notice=notice, made=account_link(request, user, token))


# -- the owner of the account sets a password ----------------------------------------------


async def set_password_form(request: Request) -> Response:
    state = services(request)
    async with state.sessions() as db:
        _, user = await find_account_invite(
            db, state.settings.secret_key, str(request.path_params["token"])
        )
    return _set_page(request, user)


def _set_page(request: Request, user: User, error: str = "", status: int = 200) -> Response:
    return TEMPLATES.TemplateResponse(
        request, "account_password.html", {"user": user, "error": error}, status
    )


async def set_password(request: Request) -> Response:
    state = services(request)
    token = str(request.path_params["token"])
    form = await read_form(request)
    password = form.get("password", "")[:PASSWORD_FIELD_MAX]
    async with state.sessions() as db:
        _, user = await find_account_invite(db, state.settings.secret_key, token)
    actor = Actor(user.id, user.role)
    try:
        if password != form.get("password_again", "")[:PASSWORD_FIELD_MAX]:
            raise AccountError("The passwords differ.", "mismatch")
        hashed = await state.password_checks.run(lambda: accounts.hash_password(password))
    except AccountError as exc:
        return _set_page(request, user, t(exc.key), 400)
    try:
        async with state.sessions.begin() as db:
            user = await redeem_account_invite(db, state.settings.secret_key, token, hashed)
    except AccountInviteError:  # used meanwhile, in another tab
        await audit.record(
            state.engine, actor, Action.SET_PASSWORD, Outcome.REFUSED, access_point="/account"
        )
        raise
    # the path holds the token: the access point is the route's name, never its address
    await audit.record(
        state.engine, actor, Action.SET_PASSWORD, Outcome.OK, access_point="/account"
    )
    return TEMPLATES.TemplateResponse(request, "account_password_set.html", {"user": user})


routes = [
    Route("/admin/accounts", accounts_page, methods=["GET"]),
    Route("/admin/accounts", create_account, methods=["POST"]),
    Route("/admin/accounts/{user_id}/disable", disable_account, methods=["POST"]),
    Route("/admin/accounts/{user_id}/reset", reset_account, methods=["POST"]),
    Route("/account/{token}", set_password_form, methods=["GET"]),
    Route("/account/{token}", set_password, methods=["POST"]),
]
