"""A coordinator gives a professional of the family an account: links an existing one, or
makes one with a link to set its password; the professional's home then lists every family
she takes part in. Each rule attacked: only this family's coordinator, only professionals,
no admin or disabled accounts, a person of another family is 404, and a refusal stores
nothing."""

from __future__ import annotations

import re
import sqlite3

import httpx
import pytest

from server.settings import Settings
from tests.access.test_accounts import add_admin, disable
from tests.conftest import Family, join, login, make_family
from tests.pages.test_accounts_admin import browser_of, link_in, set_password


def one(settings: Settings, sql: str, *args: object) -> object:
    with sqlite3.connect(settings.sqlite_path()) as db:
        row = db.execute(sql, args).fetchone()
    return row[0] if row else None


def person_id(settings: Settings, family: Family, name: str) -> str:
    return str(
        one(settings, "select id from people where family_id=? and name=?", family.family_id, name)
    )


def account_path(family: Family, pid: str, what: str = "") -> str:
    return f"/families/{family.family_id}/people/{pid}/account{what}"


def unlink(settings: Settings, pid: str) -> None:
    with sqlite3.connect(settings.sqlite_path()) as db:
        db.execute("update people set user_id=null where id=?", (pid,))


async def home_families(client: httpx.AsyncClient, session: str) -> list[str]:
    page = await client.get(f"/home?as={session}")
    assert page.status_code == 200
    return re.findall(r"<h2>([^<]+)</h2>", page.text)


@pytest.fixture
async def other(settings: Settings) -> Family:
    return await make_family(settings, "Familie Yilmaz")


async def test_linking_an_existing_account_puts_the_family_on_her_home(
    client: httpx.AsyncClient, settings: Settings, family: Family, other: Family
) -> None:
    lotte = await login(client, other.accounts["Lotte Smit"], other.password)
    pid = person_id(settings, other, "Esther de Wit")
    page = await client.get(f"{account_path(other, pid)}?as={lotte}")
    assert page.status_code == 200 and "Account van Esther de Wit" in page.text
    esther = family.accounts["Esther de Wit"]  # her account from the first family
    linked = await client.post(
        f"{account_path(other, pid, '/link')}?as={lotte}", data={"username": esther.upper()}
    )
    assert linked.status_code == 200 and "is gekoppeld aan het account" in linked.text
    async with browser_of(client) as hers:
        session = await login(hers, esther, family.password)
        assert sorted(await home_families(hers, session)) == ["Familie Test", "Familie Yilmaz"]
    assert (
        one(
            settings,
            "select count(*) from audit_log where action='link_account' "
            "and outcome='ok' and family_id=?",
            other.family_id,
        )
        == 1
    )


async def test_a_new_account_by_invitation_sets_its_password_once(
    client: httpx.AsyncClient, settings: Settings, family: Family
) -> None:
    pid = person_id(settings, family, "Joost Verhoef")
    unlink(settings, pid)
    lotte = await login(client, family.accounts["Lotte Smit"], family.password)
    page = await client.get(f"{account_path(family, pid)}?as={lotte}")
    assert "heeft nog geen account" in page.text
    made = await client.post(
        f"{account_path(family, pid, '/invite')}?as={lotte}", data={"username": "joost.verhoef"}
    )
    assert made.status_code == 200, made.text
    _, token = link_in(made)
    assert (
        one(
            settings,
            "select role || ' ' || display_name from users where username=?",
            "joost.verhoef",
        )
        == "professional Joost Verhoef"
    )
    async with browser_of(client) as his:
        assert (await set_password(his, token, "joost-zijn-wachtwoord")).status_code == 200
        assert (await set_password(his, token, "nog-een-keer-anders")).status_code == 410
        session = await login(his, "joost.verhoef", "joost-zijn-wachtwoord")
        assert await home_families(his, session) == ["Familie Test"]
    # a working account's password is the admin's to reset, never the coordinator's
    again = await client.post(
        f"{account_path(family, pid, '/invite')}?as={lotte}", data={"username": "x"}
    )
    assert again.status_code == 400
    assert one(settings, "select count(*) from account_invites") == 1


@pytest.mark.parametrize(
    ("who", "target", "username", "says"),
    [
        ("Sanne Bakker", "person", "", "Alleen hulpverleners"),  # a family member: no account
        ("Joost Verhoef", "admin", "beheer", "beheeraccount"),
        ("Joost Verhoef", "disabled", "", "uitgeschakeld"),
        ("Joost Verhoef", "unknown", "niemand", "geen account"),
        ("Joost Verhoef", "taken", "", "iemand anders in dit gezin"),
    ],
)
async def test_links_that_cannot_be_are_refused_and_store_nothing(
    client: httpx.AsyncClient,
    settings: Settings,
    family: Family,
    who: str,
    target: str,
    username: str,
    says: str,
) -> None:
    await add_admin(settings)
    pid = person_id(settings, family, who)
    unlink(settings, pid)
    if target == "disabled":
        username = family.accounts["Joost Verhoef"]
        await disable(settings, username)
    if target == "taken":
        username = family.accounts["Esther de Wit"]  # already Esther's seat here
    if target == "person":
        username = family.accounts["Esther de Wit"]
    lotte = await login(client, family.accounts["Lotte Smit"], family.password)
    page = await client.post(
        f"{account_path(family, pid, '/link')}?as={lotte}", data={"username": username}
    )
    assert page.status_code == 400 and says in page.text
    assert one(settings, "select user_id from people where id=?", pid) is None
    assert (
        one(
            settings,
            "select count(*) from audit_log where action='link_account' and outcome='refused'",
        )
        == 1
    )


async def test_only_the_familys_coordinator_reaches_the_account_page(
    client: httpx.AsyncClient, settings: Settings, family: Family, other: Family
) -> None:
    pid = person_id(settings, family, "Joost Verhoef")
    unlink(settings, pid)
    paths = [("GET", ""), ("POST", "/link"), ("POST", "/invite")]
    form = {"username": "indringer"}

    async def tries(session: str | None, fam: Family, target: str) -> set[int]:
        seen = set()
        for method, what in paths:
            url = account_path(fam, target, what) + (f"?as={session}" if session else "")
            response = await client.request(method, url, data=form if method == "POST" else None)
            seen.add(response.status_code)
        return seen

    assert await tries(None, family, pid) == {401}
    esther = await login(client, family.accounts["Esther de Wit"], family.password)
    assert await tries(esther, family, pid) == {403}  # a professional of the family
    sanne = await join(client, family.links["Sanne Bakker"]["url"])
    assert await tries(sanne, family, pid) == {403}  # a family member
    stranger = await login(client, other.accounts["Lotte Smit"], other.password)
    assert await tries(stranger, family, pid) == {404}  # another family's coordinator
    assert await tries(stranger, other, pid) == {404}  # her family, a person of another
    admin = await login(client, "beheer", await add_admin(settings))
    assert await tries(admin, family, pid) == {404}  # an admin sees no family
    assert one(settings, "select user_id from people where id=?", pid) is None
    assert one(settings, "select count(*) from users where username='indringer'") == 0
