"""Staff accounts on the web: only an admin reaches the admin page (each rule attacked), an
account is made without a password and its owner sets one through a link that works once,
before it expires; the link's token is stored only as a keyed hash and never logged; disabling
and resetting end the account's sessions. The command line keeps working beside it."""

from __future__ import annotations

import html
import logging
import re
import sqlite3
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from server.privacy.redaction import RedactSecrets
from server.settings import Settings
from tests.access.test_accounts import add_admin
from tests.conftest import Family, join, login

LINK = re.compile(r'value="(http://[^"]+/account/([^"]+))"')


def rows(settings: Settings, sql: str, *args: object) -> list[tuple]:  # type: ignore[type-arg]
    with sqlite3.connect(settings.sqlite_path()) as db:
        return db.execute(sql, args).fetchall()


async def as_admin(client: httpx.AsyncClient, settings: Settings) -> str:
    return await login(client, "beheer", await add_admin(settings))


async def create(
    client: httpx.AsyncClient, admin: str, username: str, name: str, role: str = "professional"
) -> httpx.Response:
    return await client.post(
        f"/admin/accounts?as={admin}", data={"username": username, "name": name, "role": role}
    )


def browser_of(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """Another browser (its own cookies) on the same app: the owner of the account."""
    return httpx.AsyncClient(transport=client._transport, base_url=client.base_url)


def link_in(page: httpx.Response) -> tuple[str, str]:
    match = LINK.search(page.text)
    assert match, "no link on the page"
    return match.group(1), match.group(2)


async def set_password(
    client: httpx.AsyncClient, token: str, password: str, again: str | None = None
) -> httpx.Response:
    data = {"password": password, "password_again": password if again is None else again}
    return await client.post(f"/account/{token}", data=data)


async def test_admin_makes_an_account_whose_owner_sets_the_password_once(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await as_admin(client, settings)
    listing = await client.get(f"/admin/accounts?as={admin}")
    assert listing.status_code == 200 and "Accounts van medewerkers" in listing.text
    page = await create(client, admin, "Esther.Nieuw", "Esther Nieuw")
    assert page.status_code == 200, page.text
    url, token = link_in(page)
    assert rows(
        settings, "select username, role, password_hash from users where username=?", "esther.nieuw"
    ) == [("esther.nieuw", "professional", None)]
    # the token is stored only as its keyed hash
    assert token not in str(rows(settings, "select * from account_invites"))

    async with browser_of(client) as owner:
        form = await owner.get(f"/account/{token}")
        assert form.status_code == 200 and "Kies je wachtwoord" in form.text
        short = await set_password(owner, token, "kort")
        assert short.status_code == 400 and "minstens 10 tekens" in short.text
        differ = await set_password(owner, token, "een-goed-wachtwoord", "een-ander-wachtwoord")
        assert differ.status_code == 400 and "niet gelijk" in differ.text
        assert rows(settings, "select password_hash from users where username='esther.nieuw'") == [
            (None,)
        ]
        done = await set_password(owner, token, "een-goed-wachtwoord")
        assert done.status_code == 200 and "opgeslagen" in done.text
        again = await set_password(owner, token, "nog-een-wachtwoord")
        assert again.status_code == 410 and "al gebruikt" in again.text
        assert (await owner.get(f"/account/{token}")).status_code == 410
        await login(owner, "esther.nieuw", "een-goed-wachtwoord")
    actions = rows(
        settings,
        "select action, outcome, detail from audit_log where action in "
        "('admin_action', 'set_password') order by id",
    )
    assert ("admin_action", "ok", "view accounts") in actions
    assert any(a[2].startswith("user add ") and a[1] == "ok" for a in actions)
    assert ("set_password", "ok", "") in actions
    assert token not in str(rows(settings, "select * from audit_log"))
    assert url.endswith(f"/account/{token}")


async def test_an_expired_or_withdrawn_link_sets_nothing(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    admin = await as_admin(client, settings)
    _, first = link_in(await create(client, admin, "joost2", "Joost Twee"))
    user_id = rows(settings, "select id from users where username='joost2'")[0][0]
    reset = await client.post(f"/admin/accounts/{user_id}/reset?as={admin}")
    _, second = link_in(reset)
    owner = browser_of(client)
    assert (await set_password(owner, first, "een-goed-wachtwoord")).status_code == 410
    past = (datetime.now(UTC) - timedelta(minutes=1)).replace(tzinfo=None).isoformat(sep=" ")
    with sqlite3.connect(settings.sqlite_path()) as db:
        db.execute("update account_invites set expires_at=?", (past,))
    expired = await set_password(owner, second, "een-goed-wachtwoord")
    assert expired.status_code == 410 and "verlopen" in expired.text
    assert (await set_password(owner, "not-a-token", "een-goed-wachtwoord")).status_code == 410
    await owner.aclose()
    assert rows(settings, "select password_hash from users where id=?", user_id) == [(None,)]


async def test_disable_and_reset_end_the_accounts_sessions(
    client: httpx.AsyncClient, settings: Settings, family: Family
) -> None:
    admin = await as_admin(client, settings)
    async with browser_of(client) as esther:
        session = await login(esther, family.accounts["Esther de Wit"], family.password)
        assert (await esther.get(f"/home?as={session}")).status_code == 200
        user_id = rows(
            settings, "select id from users where username=?", family.accounts["Esther de Wit"]
        )[0][0]
        reset = await client.post(f"/admin/accounts/{user_id}/reset?as={admin}")
        assert reset.status_code == 200 and "werkt niet meer" in reset.text
        assert (await esther.get(f"/home?as={session}")).status_code == 303  # to the login
        with pytest.raises(AssertionError):  # the old password is gone
            await login(esther, family.accounts["Esther de Wit"], family.password)

        joost = await login(esther, family.accounts["Joost Verhoef"], family.password)
        joost_id = rows(
            settings, "select id from users where username=?", family.accounts["Joost Verhoef"]
        )[0][0]
        done = await client.post(f"/admin/accounts/{joost_id}/disable?as={admin}")
        assert done.status_code == 200 and "uitgeschakeld" in done.text
        assert (await esther.get(f"/home?as={joost}")).status_code == 303
    own = rows(settings, "select id from users where username='beheer'")[0][0]
    refused = await client.post(f"/admin/accounts/{own}/disable?as={admin}")
    assert refused.status_code == 400 and "eigen account" in refused.text
    assert rows(settings, "select disabled_at from users where id=?", own) == [(None,)]
    unknown = await client.post(f"/admin/accounts/{'0' * 32}/reset?as={admin}")
    assert unknown.status_code == 404


@pytest.mark.parametrize(
    ("username", "name", "role", "says"),
    [
        ("", "Leeg", "professional", "één woord"),
        ("twee woorden", "Naam", "professional", "één woord"),
        ("lang", "x" * 10_000, "professional", "niet meer dan 200"),
        ("beheer", "Dubbel", "professional", "al een account"),
        ("rol", "Rol", "family", "rol uit de lijst"),
    ],
)
async def test_bad_input_is_refused_in_dutch_and_stores_nothing(
    client: httpx.AsyncClient, settings: Settings, username: str, name: str, role: str, says: str
) -> None:
    admin = await as_admin(client, settings)
    before = rows(settings, "select count(*) from users")
    page = await create(client, admin, username, name, role)
    assert page.status_code == 400 and says in html.unescape(page.text)
    assert rows(settings, "select count(*) from users") == before
    assert rows(settings, "select count(*) from account_invites") == [(0,)]


async def test_html_in_a_name_stays_text(client: httpx.AsyncClient, settings: Settings) -> None:
    admin = await as_admin(client, settings)
    page = await create(client, admin, "xss", '<img src=x onerror="alert(1)">')
    assert page.status_code == 200
    assert "<img src=x" not in page.text and "&lt;img src=x" in page.text


async def test_only_an_admin_reaches_the_admin_page(
    client: httpx.AsyncClient, settings: Settings, family: Family
) -> None:
    paths = [
        ("GET", "/admin/accounts"),
        ("POST", "/admin/accounts"),
        ("POST", f"/admin/accounts/{'0' * 32}/disable"),
        ("POST", f"/admin/accounts/{'0' * 32}/reset"),
    ]
    form = {"username": "indringer", "name": "Indringer", "role": "admin"}
    for method, path in paths:  # nobody signed in
        assert (
            await client.request(method, path, data=form if method == "POST" else None)
        ).status_code == 401
    coordinator = await login(client, family.accounts["Lotte Smit"], family.password)
    sanne = await join(client, family.links["Sanne Bakker"]["url"])
    for session in (coordinator, sanne):
        for method, path in paths:
            response = await client.request(
                method, f"{path}?as={session}", data=form if method == "POST" else None
            )
            assert response.status_code == 403, (session, path)
    assert rows(settings, "select count(*) from users where username='indringer'") == [(0,)]
    refused = rows(
        settings, "select count(*) from audit_log where action='admin_action' and outcome='refused'"
    )
    assert refused == [(12,)]


async def test_account_tokens_are_redacted_from_logs() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "POST", "/account/SECRET-account_token", "1.1", 200),
        None,
    )
    assert RedactSecrets().filter(record)
    assert "SECRET" not in record.getMessage() and "/account/[verborgen]" in record.getMessage()
