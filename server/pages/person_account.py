"""A professional's account, from the family's side: ``/families/{id}/people/{pid}/account``.

The family's coordinator links a professional of the family to an existing staff account
(by username), or makes a new account with a one-time link to set its password (see
``pages/accounts.py``). Either way the professional then signs in and finds the family on
their home, with the role the person has here.

Access as on every family page (``base.family_member``): no session 401, another family's id
or a person of another family 404, anyone but the coordinator 403; each refusal audited as
``link_account``. Only professionals get accounts here: family and network join by link, an
admin account sees no family, and a coordinator never resets a working account's password
(that is the admin's): a new link is offered only while the account has none.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..access import accounts, guard
from ..access.account_invites import create_account_invite
from ..access.sessions import Principal
from ..crdt.schema import Role
from ..errors import AccountError, NotFound
from ..messages import t
from ..privacy.audit import Action, Outcome
from ..services import services
from ..storage.models import Family, Person, User
from .accounts import ADMIN, MadeLink, account_link, invite_ttl
from .base import family_member, read_form
from .templating import TEMPLATES

USERNAME_FIELD_MAX = 200


async def _person(request: Request, db: AsyncSession, principal: Principal) -> Person:
    """The person in the path, of the coordinator's own family; else 404 (audited)."""
    person = await db.get(Person, str(request.path_params["person_id"]))
    if person is None or person.family_id != principal.family_id:
        await guard.audited(
            request, principal, Action.LINK_ACCOUNT, Outcome.REFUSED, "unknown person"
        )
        raise NotFound("unknown person")
    return person


async def _page(
    request: Request,
    principal: Principal,
    *,
    error: str = "",
    notice: str = "",
    made: MadeLink | None = None,
    typed: str = "",
    status: int = 200,
) -> Response:
    async with services(request).sessions() as db:
        person = await _person(request, db, principal)
        family = await db.get(Family, principal.family_id)
        user = await db.get(User, person.user_id) if person.user_id else None
    if family is None:
        raise NotFound("family gone")
    return TEMPLATES.TemplateResponse(
        request,
        "person_account.html",
        {
            "principal": principal,
            "family": family,
            "person": person,
            "user": user,
            "may_have_account": person.role == Role.PROFESSIONAL,
            "error": error,
            "notice": notice,
            "made": made,
            "typed": typed,
        },
        status,
    )


async def account_page(request: Request) -> Response:
    principal = await family_member(request, Action.LINK_ACCOUNT)
    return await _page(request, principal)


def _check_linkable(person: Person, user: User | None) -> User:
    if person.role != Role.PROFESSIONAL:
        raise AccountError("Only a professional gets an account here.", "not_staff")
    if user is None:
        raise AccountError("No such account.", "unknown")
    if user.role == ADMIN:
        raise AccountError("An admin account sees no family.", "admin")
    if user.disabled_at is not None:
        raise AccountError("The account is disabled.", "disabled")
    return user


async def _refused(
    request: Request, principal: Principal, exc: AccountError, typed: str = ""
) -> Response:
    """Nothing was stored (the transaction rolled back); say why, in Dutch."""
    detail = f"person {request.path_params['person_id'][:64]}: {exc.reason}"
    await guard.audited(request, principal, Action.LINK_ACCOUNT, Outcome.REFUSED, detail)
    return await _page(request, principal, error=t(exc.key), typed=typed, status=400)


async def link_account(request: Request) -> Response:
    """Link the professional to an existing account, by its username."""
    principal = await family_member(request, Action.LINK_ACCOUNT)
    form = await read_form(request)
    typed = form.get("username", "")[:USERNAME_FIELD_MAX]
    try:
        async with services(request).sessions.begin() as db:
            person = await _person(request, db, principal)
            user = await db.scalar(select(User).where(User.username == accounts.normalise(typed)))
            user = _check_linkable(person, user)
            taken = await db.scalar(
                select(Person.id).where(
                    Person.family_id == person.family_id,
                    Person.user_id == user.id,
                    Person.id != person.id,
                )
            )
            if taken:  # one account, one seat at a family's table
                raise AccountError("The account is someone else's in this family.", "taken")
            person.user_id = user.id
    except AccountError as exc:
        return await _refused(request, principal, exc, typed)
    detail = f"person {person.id}; user {user.id}; linked"
    await guard.audited(request, principal, Action.LINK_ACCOUNT, Outcome.OK, detail)
    notice = t("accounts.linked_done", name=person.name, username=user.username)
    return await _page(request, principal, notice=notice)


async def invite_account(request: Request) -> Response:
    """A new professional account for the person (or, while it has no password yet, a new
    link for the one made before), and the link to set its password, shown once."""
    state = services(request)
    principal = await family_member(request, Action.LINK_ACCOUNT)
    form = await read_form(request)
    typed = form.get("username", "")[:USERNAME_FIELD_MAX]
    try:
        async with state.sessions.begin() as db:
            person = await _person(request, db, principal)
            user = await db.get(User, person.user_id) if person.user_id else None
            if user is not None and user.password_hash is not None:
                raise AccountError("The account has a password: the admin resets it.", "exists")
            if user is None:
                if person.role != Role.PROFESSIONAL:
                    raise AccountError("Only a professional gets an account here.", "not_staff")
                user = await accounts.create_user(
                    db, typed, person.name, Role.PROFESSIONAL, None, person.language
                )
                person.user_id = user.id
            user = _check_linkable(person, user)
            token = await create_account_invite(
                db, state.settings.secret_key, user, principal.user_id, invite_ttl(request)
            )
    except AccountError as exc:
        return await _refused(request, principal, exc, typed)
    detail = f"person {person.id}; user {user.id}; invited"
    await guard.audited(request, principal, Action.LINK_ACCOUNT, Outcome.OK, detail)
    return await _page(request, principal, made=account_link(request, user, token))


routes = [
    Route("/families/{family_id}/people/{person_id}/account", account_page, methods=["GET"]),
    Route("/families/{family_id}/people/{person_id}/account/link", link_account, methods=["POST"]),
    Route(
        "/families/{family_id}/people/{person_id}/account/invite",
        invite_account,
        methods=["POST"],
    ),
]
